"""Orders use cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.orders.application import events_out
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.domain.listing import Listing
from services.orders.domain.order import Order, PaymentMethod, RequestedLine
from services.orders.domain.school import School
from shared.events import Envelope, ServicePublishedV1


@dataclass(frozen=True)
class PlaceOrder:
    urn: int
    lines: list[RequestedLine]
    payment_method: PaymentMethod
    purchase_order: str | None


async def place_order(
    uow: OrdersUnitOfWork, command: PlaceOrder, *, today: date, payment_days: int
) -> Order:
    school = await uow.schools.get(command.urn)
    listings = await uow.listings.by_id([line.service_id for line in command.lines])
    order = Order.place(
        school=school,
        requested=command.lines,
        listings=listings,
        payment_method=command.payment_method,
        purchase_order=command.purchase_order,
        today=today,
    )
    uow.record(events_out.order_placed(order, school))
    if order.payment_method is PaymentMethod.INVOICE:
        number = await uow.orders.next_invoice_number()
        invoice = order.raise_invoice(number=number, today=today, payment_days=payment_days)
        uow.record(events_out.invoice_raised(order, invoice, school))
    await uow.orders.add(order)
    await uow.commit()
    return order


async def import_schools(uow: OrdersUnitOfWork, register: list[School]) -> int:
    await uow.schools.replace(register)
    await uow.commit()
    return len(register)


async def record_published_service(
    uow: OrdersUnitOfWork, envelope: Envelope[ServicePublishedV1]
) -> None:
    event = envelope.payload
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
