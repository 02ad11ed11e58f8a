"""What orders' routes and jobs read: each view opens the unit of work it reads in (reads
commit nothing) and returns domain objects for the route to shape."""

from __future__ import annotations

from contextlib import suppress
from datetime import date, datetime
from typing import Any
from uuid import UUID

from services.orders.adapters.payments import Refund, Remittance
from services.orders.application import bought, renewals, trust_orders
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.domain.approval import ApprovalPolicy
from services.orders.domain.basket import Basket
from services.orders.domain.bought import Bought, subscriptions_bought
from services.orders.domain.listing import Listing
from services.orders.domain.order import Order
from services.orders.domain.refunds import CardRefunds
from services.orders.domain.rolling import RollingSubscription
from services.orders.domain.school import School
from shared.errors import NotFound
from shared.events import SchoolContactRole


async def trust_of(uow: OrdersUnitOfWork, urn: int) -> str | None:
    """The trust a school on the register belongs to (None: none, or not on the register)."""
    async with uow:
        with suppress(NotFound):
            return (await uow.schools.get(urn)).trust_code
    return None


async def orders(uow: OrdersUnitOfWork, **in_view: Any) -> list[Order]:
    async with uow:
        return await uow.orders.find(**in_view)


async def order(uow: OrdersUnitOfWork, order_id: UUID) -> Order:
    async with uow:
        return await uow.orders.get(order_id)


async def invoiced_order(uow: OrdersUnitOfWork, invoice_id: UUID) -> Order:
    async with uow:
        return await uow.orders.invoice(invoice_id)


async def invoiced_schools(uow: OrdersUnitOfWork, order: Order) -> dict[int, School]:
    """The school an invoice is to, and (a trust's) each school it has lines for."""
    urns = {order.urn, *(line.school_urn for line in order.lines if line.school_urn)}
    async with uow:
        return {urn: await uow.schools.get(urn) for urn in urns}


async def basket(uow: OrdersUnitOfWork, urn: int, *, trust_code: str | None = None) -> Basket:
    """The school's own basket, or its trust's basket for it."""
    async with uow:
        await uow.schools.get(urn)
        return await uow.baskets.get(urn, trust_code=trust_code)


async def trust_baskets(uow: OrdersUnitOfWork, trust_code: str) -> list[tuple[School, Basket]]:
    async with uow:
        return await trust_orders.trust_baskets(uow, trust_code)


async def bought_for_school(uow: OrdersUnitOfWork, urn: int) -> list[tuple[int, Bought]]:
    """The subscriptions bought for a school, each for its year, whoever bought them (itself or
    a trust for it), with the newest order that did: not sold for that year again."""
    async with uow:
        return await _bought_for(uow, [(await uow.schools.get(urn)).urn])


async def bought_for_trust(uow: OrdersUnitOfWork, trust_code: str) -> list[tuple[int, Bought]]:
    """`bought_for_school` for each school of the trust, whoever bought them."""
    async with uow:
        schools = await uow.schools.of_trust(trust_code)
        return await _bought_for(uow, [school.urn for school in schools])


async def _bought_for(uow: OrdersUnitOfWork, urns: list[int]) -> list[tuple[int, Bought]]:
    found = await bought.bought_for(uow, urns)
    return [(urn, one) for urn, parts in found.items() for one in subscriptions_bought(parts)]


async def listings(uow: OrdersUnitOfWork) -> list[Listing]:
    async with uow:
        return await uow.listings.all()


async def refunds(uow: OrdersUnitOfWork, *, urn: int | None, order_id: UUID | None) -> list[Refund]:
    async with uow:
        return await uow.payments.refunds(urn=urn, order_id=order_id)


async def asked_refunds(
    uow: OrdersUnitOfWork, order_id: UUID | None = None, *, asked_by: datetime | None = None
) -> list[UUID]:
    """The card refunds still waiting for Stripe: an order's, or any asked by a moment."""
    async with uow:
        return await uow.payments.asked_refunds(order_id=order_id, asked_by=asked_by)


async def payments_to_cancel(uow: OrdersUnitOfWork, order_id: UUID | None = None) -> list[UUID]:
    """The orders whose voided card payment is still to be cancelled at Stripe (or this one)."""
    async with uow:
        return await uow.payments_to_cancel.orders(order_id)


async def card_refunds(uow: OrdersUnitOfWork, order_id: UUID) -> CardRefunds:
    """How an order's card refunds stand at Stripe: made, still asked, refused."""
    async with uow:
        return (await uow.orders.card_refunds([order_id])).get(order_id, CardRefunds())


async def remittances(uow: OrdersUnitOfWork, *, urn: int | None) -> list[Remittance]:
    async with uow:
        return await uow.payments.remittances(urn=urn)


async def approval_policy(uow: OrdersUnitOfWork, urn: int) -> ApprovalPolicy:
    async with uow:
        return await uow.approval_policies.of(urn)


async def lapsed_approvals(uow: OrdersUnitOfWork, today: date) -> list[UUID]:
    """The orders whose approval was not given by their last day."""
    async with uow:
        return await uow.approval_policies.lapsed(today)


async def contacts(uow: OrdersUnitOfWork, urn: int) -> dict[SchoolContactRole, tuple[str, str]]:
    async with uow:
        return await uow.contacts.of(urn)


async def rolling_subscription(uow: OrdersUnitOfWork, subscription_id: UUID) -> RollingSubscription:
    async with uow:
        return await uow.rolling.get(subscription_id)


async def rolling_of_school(uow: OrdersUnitOfWork, urn: int) -> list[RollingSubscription]:
    async with uow:
        return await uow.rolling.of_school(urn)


async def rolling_to_look_at(uow: OrdersUnitOfWork, today: date) -> list[RollingSubscription]:
    """The rolling subscriptions to renew, or to end, by `today`."""
    async with uow:
        return await uow.rolling.to_look_at(today)


async def renewal_statuses(uow: OrdersUnitOfWork, year: str) -> list[renewals.RenewalStatus]:
    async with uow:
        return await renewals.renewal_statuses(uow, year)
