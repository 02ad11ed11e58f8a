"""An academy trust's order: its buyer fills the baskets of the trust's schools, then checks
them out together as one order, on one consolidated invoice to the trust, a line per school's
purchase. Each school's own orders stay its own; the trust's order is the trust's."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from services.orders.application import events_out
from services.orders.application.bought import refuse_bought_already
from services.orders.application.checkout import check_still_on_sale
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.config import Settings
from services.orders.domain.basket import Basket, check_terms_running
from services.orders.domain.lines import OrderLine
from services.orders.domain.order import Order, PaymentMethod
from services.orders.domain.school import School
from shared.bus import Command
from shared.clock import business_day
from shared.errors import Invalid, NotFound


@dataclass(frozen=True)
class CheckoutTrust(Command["Order"]):
    trust_code: str
    purchase_order: str | None
    idempotency_key: str


async def trust_baskets(uow: OrdersUnitOfWork, trust_code: str) -> list[tuple[School, Basket]]:
    """Each school of the trust with the trust's basket for it (locked, so checkouts queue),
    by school name: what the trust's buyer put in it, not what the school put in its own."""
    schools = await uow.schools.of_trust(trust_code)
    if not schools:
        raise NotFound(f"no school on the register is in trust {trust_code}", field="trust_code")
    return [
        (school, await uow.baskets.get(school.urn, trust_code=trust_code)) for school in schools
    ]


async def checkout_trust(
    command: CheckoutTrust, *, uow: OrdersUnitOfWork, now: datetime, settings: Settings
) -> Order:
    """Same trust and key → the same order."""
    baskets = await trust_baskets(uow, command.trust_code)
    found = await uow.orders.find(
        trust_code=command.trust_code, idempotency_key=command.idempotency_key
    )
    if found:
        return found[0]
    buying = [(school, basket) for school, basket in baskets if basket.lines]
    if not buying:
        raise Invalid("the baskets of the trust's schools are empty", field="lines")
    lines = [
        replace(line, school_urn=school.urn) for school, basket in buying for line in basket.empty()
    ]
    check_terms_running(lines, today=business_day(now))
    await check_still_on_sale(uow, lines, today=business_day(now))
    await refuse_bought_already(uow, lines, urn=buying[0][0].urn)
    order = await place_trust_order(
        uow,
        TrustPurchase(command.trust_code, command.purchase_order, command.idempotency_key),
        first=buying[0][0],
        lines=lines,
        now=now,
        settings=settings,
    )
    for _, basket in buying:
        await uow.baskets.save(basket)
    return order


@dataclass(frozen=True)
class TrustPurchase:
    trust_code: str
    purchase_order: str | None
    idempotency_key: str


async def place_trust_order(
    uow: OrdersUnitOfWork,
    purchase: TrustPurchase,
    *,
    first: School,
    lines: list[OrderLine],
    now: datetime,
    settings: Settings,
) -> Order:
    """The trust's order of `lines` (each naming its school), invoiced to the trust at once.
    The events' school fields name `first`; each line names its own school."""
    order = Order.place(
        school=first,
        lines=lines,
        payment_method=PaymentMethod.INVOICE,
        purchase_order=purchase.purchase_order,
        now=now,
        idempotency_key=purchase.idempotency_key,
        trust_code=purchase.trust_code,
        trust_name=first.trust_name,  # one of the trust's schools: the register names the trust
    )
    uow.record(events_out.order_placed(order, first))
    number = await uow.orders.next_invoice_number()
    payment_days = settings.invoice_payment_days
    invoice = order.raise_invoice(number=number, today=order.placed_on, payment_days=payment_days)
    uow.record(events_out.invoice_raised(order, invoice, first))
    await uow.orders.add(order)
    return order
