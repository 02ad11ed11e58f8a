"""Orders use cases: the register, the catalogue read model, and the direct order."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.orders.application import events_out
from services.orders.application.checkout import CheckedOut, Checkout, checkout
from services.orders.application.ports import PaymentGateway, Quotes
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.domain.lines import OrderLine
from services.orders.domain.listing import Listing
from services.orders.domain.order import PaymentMethod
from services.orders.domain.rolling import term_for
from services.orders.domain.school import School
from shared.calendar import academic_year
from shared.events import Envelope, ServicePublishedV1, ServiceRetiredV1


@dataclass(frozen=True)
class PlaceOrder:
    urn: int
    lines: list[tuple[UUID, int]]  # service id, quantity
    payment_method: PaymentMethod
    purchase_order: str | None
    idempotency_key: str | None = None


async def place_order(
    uows: Callable[[], OrdersUnitOfWork],
    command: PlaceOrder,
    *,
    gateway: PaymentGateway,
    quotes: Quotes,
    today: date,
    payment_days: int,
) -> CheckedOut:
    """An order straight from a list of services, each line at the school's own quote, as a
    basket's would be (a subscription for the academic year it is ordered in). The catalogue
    prices every line in one question."""
    quoted = await quotes.quotes(urn=command.urn, lines=command.lines)
    term_of = functools.partial(term_for, today=today, year=academic_year(today))
    lines = [OrderLine.quoted(quote, term=term_of(quote)) for quote in quoted]
    return await checkout(
        uows,
        Checkout(
            urn=command.urn,
            payment_method=command.payment_method,
            purchase_order=command.purchase_order,
            idempotency_key=command.idempotency_key,
            lines=lines,
        ),
        gateway=gateway,
        today=today,
        payment_days=payment_days,
    )


async def import_schools(
    uow: OrdersUnitOfWork, register: list[School], *, announce: bool = True
) -> int:
    """Load a register; each school new or changed is announced to the other services by
    `orders.school.registered.v1` (the demo seed loads every service's copy directly instead)."""
    if announce:
        known = await uow.schools.all()
        for school in register:
            if known.get(school.urn) != school:
                uow.record(events_out.school_registered(school))
    await uow.schools.replace(register)
    await uow.commit()
    return len(register)


async def record_published_service(
    uow: OrdersUnitOfWork, envelope: Envelope[ServicePublishedV1]
) -> None:
    """A service published or updated (`ServiceUpdatedV1` carries the same full state). The two
    come through separate consumers, so an older price version never replaces a newer one."""
    event = envelope.payload
    known = (await uow.listings.by_id([event.service_id])).get(event.service_id)
    if known is not None and known.price_version > event.price_version:
        return
    await uow.listings.put(
        Listing(
            service_id=event.service_id,
            code=event.code,
            title=event.title,
            service_type=event.service_type,
            category=event.category,
            unit_price_pence=event.unit_price_pence,
            vat_rate=event.vat_rate,
            price_version=event.price_version,
        )
    )


async def forget_retired_service(
    uow: OrdersUnitOfWork, envelope: Envelope[ServiceRetiredV1]
) -> None:
    await uow.listings.remove(envelope.payload.service_id)
