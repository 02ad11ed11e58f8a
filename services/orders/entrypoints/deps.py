"""What the orders routes share: the bus, reads' unit of work, who may do what, and which
orders each user sees."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Request, Response, status

from services.orders.application import payments, views
from services.orders.application.payments_to_cancel import cancel_voided_payments
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.config import Settings
from services.orders.domain.order import Order
from services.orders.domain.parts import part_for
from shared.auth import ANY_ROLE, Principal, Role, check_reaches_school
from shared.bus import Command, MessageBus
from shared.deps import bus, settings, unit_of_work
from shared.errors import NotFound
from shared.http import require


async def token(request: Request) -> str:
    """The caller's bearer token: orders asks the catalogue as them."""
    return request.headers.get("authorization", "").removeprefix("Bearer ").strip()


async def check_school(uow: OrdersUnitOfWork, user: Principal, urn: int) -> None:
    """A school acts only for itself, a trust buyer for the schools of its trust (the
    register says which), staff for any school."""
    trust = await views.trust_of(uow, urn) if user.is_trust_buyer else None
    check_reaches_school(user, urn, trust=trust, refusal="a school may act only for itself")


def orders_in_view(user: Principal, urn: int | None) -> dict[str, Any]:
    """Which orders a user sees: a school its own (not its trust's), a trust buyer its trust's,
    staff every school's (or the one asked for: its own and its trust's with a line for it)."""
    if user.is_school:
        return {"urn": user.urn, "schools_own": True}
    if user.is_trust_buyer:
        return {"trust_code": user.trust}
    return {"involving": urn}


def may_see_order(user: Principal, order: Order) -> bool:
    if order.trust_code is not None:
        return not user.is_school and (not user.is_trust_buyer or user.trust == order.trust_code)
    return not user.is_trust_buyer and user.may_see_school(order.urn)


def as_seen_by(user: Principal, order: Order) -> Order:
    """A school sees of its trust's order only its own lines (it answers their offers)."""
    return part_for(order, user.urn) if user.is_school and user.urn is not None else order


async def booked_in_view(uow: OrdersUnitOfWork, user: Principal, urn: int | None) -> list[Order]:
    """The orders whose course places a user sees: a trust buyer its trust's, staff every
    school's; a school's (or the one staff ask for) are its own orders and its lines of its
    trust's orders, whose offers of places are sent to the school."""
    school = user.urn if user.is_school else urn
    if user.is_trust_buyer or school is None:
        return await views.orders(uow, **orders_in_view(user, urn))
    own = await views.orders(uow, urn=school, schools_own=True)
    trusts = await views.orders(uow, lines_for=school)
    return own + [part_for(order, school) for order in trusts]


async def offered_order(
    uow: OrdersUnitOfWork, order_id: UUID, line_id: UUID, user: Principal
) -> Order:
    """The order whose offer of places on a line the user may answer: one the user sees, or
    the trust's order with that line for the user's school."""
    order = await views.order(uow, order_id)
    schools_line = (
        user.is_school
        and order.trust_code is not None
        and any(line.line_id == line_id for line in as_seen_by(user, order).lines)
    )
    if not (schools_line or may_see_order(user, order)):
        raise NotFound(f"no order {order_id}", field="order_id")
    return order


# The answer of a change that gives money back to a card, when Stripe could not be reached.
STILL_REFUNDING: dict[int | str, dict[str, Any]] = {
    202: {
        "description": (
            "Done, but its card refund is not yet made: the card processor did not answer. The "
            "refund is recorded (GET /refunds lists it as asked) and asked again until made."
        )
    }
}


async def settled(
    bus: MessageBus[OrdersUnitOfWork], command: Command[Order], response: Response
) -> Order:
    """The order a change that may refund a card left, its refund asked of Stripe once the
    change committed: 202 if Stripe could not be reached (see STILL_REFUNDING); a card payment
    it voided is cancelled at Stripe then too (or by the worker's job, if Stripe is out of
    reach)."""
    done = await payments.handle(bus, command)
    await cancel_voided_payments(bus, done.order.id)
    if done.refunding:
        response.status_code = status.HTTP_202_ACCEPTED
    return done.order


async def visible_order(uow: OrdersUnitOfWork, order_id: UUID, user: Principal) -> Order:
    """An order the user may see (another school's is reported as not found)."""
    order = await views.order(uow, order_id)
    if not may_see_order(user, order):
        raise NotFound(f"no order {order_id}", field="order_id")
    return order


BusDep = Annotated[MessageBus[OrdersUnitOfWork], Depends(bus)]
UnitOfWorkDep = Annotated[OrdersUnitOfWork, Depends(unit_of_work)]
SettingsDep = Annotated[Settings, Depends(settings)]
TokenDep = Annotated[str, Depends(token)]
Buyer = Annotated[Principal, Depends(require(Role.SCHOOL, Role.ADMIN))]
# a trust buyer fills its schools' baskets, and checks them out together as the trust's order
BasketFiller = Annotated[Principal, Depends(require(Role.SCHOOL, Role.TRUST_BUYER, Role.ADMIN))]
# offers of places on a trust's order: its buyer answers them, and each school on its own lines
OfferAnswerer = Annotated[Principal, Depends(require(Role.SCHOOL, Role.TRUST_BUYER, Role.ADMIN))]
OrderReader = Annotated[
    Principal,
    Depends(require(Role.SCHOOL, Role.SCHOOL_APPROVER, Role.FINANCE, Role.ADMIN)),
]
# reading orders and invoices, a trust buyer's included (refunds and remittances are not theirs)
OrderViewer = Annotated[
    Principal,
    Depends(require(Role.SCHOOL, Role.SCHOOL_APPROVER, Role.TRUST_BUYER, Role.FINANCE, Role.ADMIN)),
]
Finance = Annotated[Principal, Depends(require(Role.FINANCE, Role.ADMIN))]
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]
SignedIn = Annotated[Principal, Depends(require(*ANY_ROLE))]
