"""A school's basket: lines priced by the catalogue's quote for that school."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.orders.application.bought import refuse_bought_already
from services.orders.application.ports import Catalogue
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.domain.basket import Basket, check_year_on_sale, check_year_quoted
from services.orders.domain.renewal import check_year
from services.orders.domain.rolling import refuse_on_trust_order, term_for
from shared.bus import Command
from shared.errors import Invalid


@dataclass(frozen=True)
class AddLine(Command["Basket"]):
    urn: int
    service_id: UUID
    quantity: int
    token: str  # the school's: the catalogue quotes the price it would show them
    session_id: UUID | None = None
    academic_year: str | None = None  # a subscription: the year it covers
    trust_code: str | None = None  # added by this trust's buyer, to the trust's basket for it


@dataclass(frozen=True)
class ChangeLine(Command["Basket"]):
    urn: int
    line_id: UUID
    quantity: int
    token: str  # the school's: the line is quoted afresh
    trust_code: str | None = None  # of the trust's basket for the school


@dataclass(frozen=True)
class RemoveLine(Command["Basket"]):
    urn: int
    line_id: UUID
    trust_code: str | None = None  # of the trust's basket for the school


async def add_line(
    command: AddLine, *, uow: OrdersUnitOfWork, catalogue: Catalogue, today: date
) -> Basket:
    """The line at the catalogue's quote, asked before the transaction begins: nothing is
    locked while the catalogue answers."""
    async with uow.first_look():
        await uow.schools.get(command.urn)
    # A subscription for the year asked, at that year's price list as the shop shows it;
    # else the catalogue knows the one it is sold for now.
    year = command.academic_year and check_year_on_sale(check_year(command.academic_year), today)
    try:
        quote = await catalogue.asked_by(command.token).quote(
            service_id=command.service_id,
            urn=command.urn,
            quantity=command.quantity,
            session_id=command.session_id,
            academic_year=year,
        )
    except Invalid as refused:  # the day asked for is the year the school asked for
        refused.field = "academic_year" if refused.field == "starts_on" else refused.field
        raise
    if year:
        check_year_quoted(year, quote)
    if command.trust_code:
        refuse_on_trust_order(quote, urn=command.urn, field="service_id")
    basket = await uow.baskets.get(command.urn, trust_code=command.trust_code)
    line = basket.add(quote, term=term_for(quote, today=today))
    await refuse_bought_already(uow, [line], urn=command.urn, field="service_id")
    await uow.baskets.save(basket)
    _audit(uow, "basket.line_added", command.urn, f"{command.quantity} of {command.service_id}")
    return basket


def price_day(term_start: date | None, today: date) -> date | None:
    """The day whose prices a line is quoted at: a year not yet begun is sold at its own price
    list (next year's, prepared ahead); one already running at today's. None: today."""
    return term_start if term_start is not None and term_start > today else None


async def change_line(
    command: ChangeLine, *, uow: OrdersUnitOfWork, catalogue: Catalogue, today: date
) -> Basket:
    """The line quoted afresh, as `add_line` does: the line is looked at apart, then the
    catalogue asked, then the basket locked and changed (if the line is still there)."""
    urn, line_id, quantity, trust = (
        command.urn,
        command.line_id,
        command.quantity,
        command.trust_code,
    )
    async with uow.first_look():
        line = (await uow.baskets.get(urn, trust_code=trust, locked=False)).line(line_id)
    quote = await catalogue.asked_by(command.token).quote(
        service_id=line.service_id,
        urn=urn,
        quantity=quantity,
        session_id=line.session_id,
        starts_on=price_day(line.term_start, today),
    )
    basket = await uow.baskets.get(urn, trust_code=trust)
    basket.change(line_id, quote)
    await uow.baskets.save(basket)
    _audit(uow, "basket.line_changed", urn, f"line {line_id} to {quantity}")
    return basket


async def remove_line(command: RemoveLine, *, uow: OrdersUnitOfWork) -> Basket:
    basket = await uow.baskets.get(command.urn, trust_code=command.trust_code)
    basket.remove(command.line_id)
    await uow.baskets.save(basket)
    _audit(uow, "basket.line_removed", command.urn, f"line {command.line_id}")
    return basket


def _audit(uow: OrdersUnitOfWork, action: str, urn: int, summary: str) -> None:
    uow.audit(action, object_type="basket", object_id=urn, summary=summary)
