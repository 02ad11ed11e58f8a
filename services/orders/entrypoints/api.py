"""Orders HTTP API: orders and their lifecycle, and the listings read model."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, status
from pydantic import BaseModel

from services.orders.application import handlers, payments
from services.orders.application.checkout import CheckedOut, awaited_payment
from services.orders.domain.order import Order
from services.orders.entrypoints.deps import (
    Admin,
    Buyer,
    GatewayDep,
    OrderReader,
    OrderViewer,
    QuotesDep,
    SettingsDep,
    SignedIn,
    TodayDep,
    UnitOfWorkDep,
    UnitsOfWorkDep,
    check_school,
    may_see_order,
    orders_in_view,
)
from services.orders.entrypoints.schemas import (
    CancelCreate,
    CheckoutPublic,
    LinePublic,
    OrderCreate,
    OrderPublic,
)
from shared.api.orders import BookingPublic
from shared.auth import Principal
from shared.bounds import Line, Urn
from shared.errors import NotFound
from shared.money import VatRate

router = APIRouter(tags=["orders"])
IdempotencyKey = Annotated[
    Line | None,
    Header(max_length=100, description="retrying with the same key returns the same order"),
]


class ListingPublic(BaseModel):
    service_id: UUID
    code: str
    title: str
    service_type: str
    category: str
    unit_price_pence: int
    vat_rate: VatRate
    price_version: int


@router.post("/orders", status_code=status.HTTP_201_CREATED)
async def place_order(
    body: OrderCreate,
    uows: UnitsOfWorkDep,
    settings: SettingsDep,
    gateway: GatewayDep,
    quotes: QuotesDep,
    today: TodayDep,
    user: Buyer,
    idempotency_key: IdempotencyKey = None,
) -> CheckoutPublic:
    """Order services at the school's own prices (the catalogue's quotes); by invoice the
    invoice is raised at once, by card the answer carries the payment for the browser to confirm."""
    await check_school(uows(), user, body.urn)
    checked_out = await handlers.place_order(
        uows,
        handlers.PlaceOrder(
            urn=body.urn,
            lines=[(line.service_id, line.quantity) for line in body.lines],
            payment_method=body.payment_method,
            purchase_order=body.purchase_order,
            idempotency_key=idempotency_key,
        ),
        gateway=gateway,
        quotes=quotes,
        today=today,
        payment_days=settings.invoice_payment_days,
    )
    return CheckoutPublic.of_checkout(checked_out)


@router.get("/orders")
async def list_orders(
    uow: UnitOfWorkDep, user: OrderViewer, urn: Urn | None = None
) -> list[OrderPublic]:
    """Orders: a school sees its own, a trust buyer its trust's; finance and admin see every
    school's."""
    async with uow:
        found = await uow.orders.find(**orders_in_view(user, urn))
        return [OrderPublic.of(order) for order in found]


async def visible_order(uow: UnitOfWorkDep, order_id: UUID, user: Principal) -> Order:
    """An order the user may see (another school's is reported as not found)."""
    async with uow:
        order = await uow.orders.get(order_id)
    if not may_see_order(user, order):
        raise NotFound(f"no order {order_id}", field="order_id")
    return order


@router.get("/bookings")
async def list_bookings(
    uow: UnitOfWorkDep, user: OrderViewer, urn: Urn | None = None
) -> list[BookingPublic]:
    """Course places booked, waiting or offered: a school sees its own, staff every school's."""
    async with uow:
        orders = await uow.orders.find(**orders_in_view(user, urn))
    return [
        BookingPublic(
            order_id=order.id, urn=order.urn, order_status=order.status, line=LinePublic.of(line)
        )
        for order in orders
        for line in order.lines
        if line.session_id is not None
    ]


@router.get("/orders/{order_id}")
async def get_order(order_id: UUID, uow: UnitOfWorkDep, user: OrderViewer) -> OrderPublic:
    """One order, with its lines, bookings, invoice and payments."""
    return OrderPublic.of(await visible_order(uow, order_id, user))


@router.get("/orders/{order_id}/payment")
async def get_payment(
    order_id: UUID, uow: UnitOfWorkDep, gateway: GatewayDep, user: OrderViewer
) -> CheckoutPublic:
    """A card order with its payment, for the browser to confirm while it awaits payment."""
    order = await visible_order(uow, order_id, user)
    return CheckoutPublic.of_checkout(CheckedOut(order, await awaited_payment(order, gateway)))


@router.post("/orders/{order_id}/cancel")
async def cancel_order(
    order_id: UUID,
    body: CancelCreate,
    uow: UnitOfWorkDep,
    gateway: GatewayDep,
    today: TodayDep,
    user: OrderReader,
) -> OrderPublic:
    """Cancel: a card refund or a credit note follows by the rule of each line's service type."""
    await visible_order(uow, order_id, user)
    async with uow:
        order = await payments.cancel_order(
            uow, order_id, reason=body.reason, gateway=gateway, today=today
        )
    return OrderPublic.of(order)


@router.post("/orders/{order_id}/fulfil")
async def fulfil_order(
    order_id: UUID, uow: UnitOfWorkDep, today: TodayDep, _: Admin
) -> OrderPublic:
    """Record that what a paid order bought has been delivered."""
    async with uow:
        return OrderPublic.of(await payments.fulfil_order(uow, order_id, today=today))


@router.get("/listings")
async def list_listings(uow: UnitOfWorkDep, _: SignedIn) -> list[ListingPublic]:
    """The published services orders knows of (its read model of the catalogue)."""
    async with uow:
        return [ListingPublic(**listing.__dict__) for listing in await uow.listings.all()]
