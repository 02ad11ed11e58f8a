"""Orders and their lifecycle, and the listings read model."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, Response, status

from services.orders.application import checkout, payments, views
from services.orders.domain.parts import school_of
from services.orders.entrypoints.deps import (
    STILL_REFUNDING,
    Admin,
    BusDep,
    Buyer,
    OrderReader,
    OrderViewer,
    SignedIn,
    TokenDep,
    UnitOfWorkDep,
    booked_in_view,
    check_school,
    orders_in_view,
    settled,
    visible_order,
)
from services.orders.entrypoints.schemas import (
    CancellationPublic,
    CancelledOrderPublic,
    CheckoutPublic,
    LinePublic,
    OrderPublic,
)
from shared.api.orders import BookingPublic, CancelCreate, ListingPublic, OrderCreate
from shared.bounds import Line, Urn

router = APIRouter(tags=["orders"])
IdempotencyKey = Annotated[
    Line | None,
    Header(max_length=100, description="retrying with the same key returns the same order"),
]


@router.post("/orders", status_code=status.HTTP_201_CREATED)
async def place_order(
    body: OrderCreate,
    uow: UnitOfWorkDep,
    bus: BusDep,
    token: TokenDep,
    user: Buyer,
    idempotency_key: IdempotencyKey = None,
) -> CheckoutPublic:
    """Order services at the school's own prices (the catalogue's quotes); by invoice the
    invoice is raised at once, by card the answer carries the payment for the browser to confirm."""
    await check_school(uow, user, body.urn)
    command = checkout.PlaceOrder(
        urn=body.urn,
        lines=[(line.service_id, line.quantity) for line in body.lines],
        payment_method=body.payment_method,
        purchase_order=body.purchase_order,
        token=token,
        idempotency_key=idempotency_key,
    )
    return CheckoutPublic.of(await checkout.handle(bus, command))


@router.get("/orders")
async def list_orders(
    uow: UnitOfWorkDep, user: OrderViewer, urn: Urn | None = None
) -> list[OrderPublic]:
    """Orders, newest first by the moment placed: a school sees its own, a trust buyer its
    trust's; finance and admin see every school's."""
    return [OrderPublic.of(order) for order in await views.orders(uow, **orders_in_view(user, urn))]


@router.get("/bookings")
async def list_bookings(
    uow: UnitOfWorkDep, user: OrderViewer, urn: Urn | None = None
) -> list[BookingPublic]:
    """Course places booked, waiting or offered: a school sees its own (its lines of its
    trust's orders too), a trust buyer its trust's, staff every school's."""
    return [
        BookingPublic(
            order_id=order.id,
            urn=school_of(order, line),
            order_status=order.status,
            line=LinePublic.of(line),
        )
        for order in await booked_in_view(uow, user, urn)
        for line in order.lines
        if line.session_id is not None
    ]


@router.get("/orders/{order_id}")
async def get_order(order_id: UUID, uow: UnitOfWorkDep, user: OrderViewer) -> OrderPublic:
    """One order, with its lines, bookings, invoice and payments."""
    return OrderPublic.of(await visible_order(uow, order_id, user))


@router.get("/orders/{order_id}/payment")
async def get_payment(
    order_id: UUID, uow: UnitOfWorkDep, bus: BusDep, user: OrderViewer
) -> CheckoutPublic:
    """A card order with its payment, for the browser to confirm while it awaits payment."""
    order = await visible_order(uow, order_id, user)
    return CheckoutPublic.of(await bus.handle(checkout.FetchPayment(order)))


@router.get("/orders/{order_id}/cancellation")
async def preview_cancellation(
    order_id: UUID, uow: UnitOfWorkDep, bus: BusDep, user: OrderViewer
) -> CancellationPublic:
    """What cancelling the order today would give back, line by line, by the rule of each
    line's service type; changes nothing (409 if it is already cancelled)."""
    order = await visible_order(uow, order_id, user)
    return CancellationPublic.of(order, order.cancellation(bus.clock.today()))


@router.post("/orders/{order_id}/cancel", responses=STILL_REFUNDING)
async def cancel_order(
    order_id: UUID,
    body: CancelCreate,
    uow: UnitOfWorkDep,
    bus: BusDep,
    response: Response,
    user: OrderReader,
) -> CancelledOrderPublic:
    """Cancel: a card refund or a credit note follows by the rule of each line's service type;
    the answer says what was given back (409 if Stripe refused the card refund: the order is
    cancelled all the same, and the refund listed as failed)."""
    await visible_order(uow, order_id, user)
    command = payments.CancelOrder(order_id, body.reason)
    return CancelledOrderPublic.of(await settled(bus, command, response))


@router.post("/orders/{order_id}/fulfil")
async def fulfil_order(order_id: UUID, bus: BusDep, _: Admin) -> OrderPublic:
    """Record that what a paid order bought has been delivered."""
    return OrderPublic.of(await bus.handle(payments.FulfilOrder(order_id)))


@router.get("/listings")
async def list_listings(uow: UnitOfWorkDep, _: SignedIn) -> list[ListingPublic]:
    """The published services orders knows of (its read model of the catalogue)."""
    return [ListingPublic(**listing.__dict__) for listing in await views.listings(uow)]
