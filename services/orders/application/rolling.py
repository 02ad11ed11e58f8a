"""Rolling subscriptions: the renewal job raises each next period's order at the price then in
force (the catalogue's quote, as checkout asks it), once per period however many workers run
it; the school cancels with notice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from services.orders.application.checkout import Checkout, checkout
from services.orders.application.ports import Catalogue, PaymentGateway
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.config import Settings
from services.orders.domain.lines import OrderLine
from services.orders.domain.order import PaymentMethod
from services.orders.domain.rolling import RollingSubscription
from shared.auth import Role, issue_token
from shared.bus import Command


@dataclass(frozen=True)
class RenewRolling(Command["RollingSubscription"]):
    """Raise the order for a subscription's next period, as the renewal job found it due."""

    due: RollingSubscription


@dataclass(frozen=True)
class EndRolling(Command[None]):
    """End a subscription cancelled with notice, once the period it ends with is over."""

    subscription_id: UUID


@dataclass(frozen=True)
class CancelRolling(Command["RollingSubscription"]):
    subscription_id: UUID


async def renew_rolling(
    command: RenewRolling,
    *,
    uow: OrdersUnitOfWork,
    catalogue: Catalogue,
    gateway: PaymentGateway,
    now: datetime,
    settings: Settings,
) -> RollingSubscription:
    """The subscription with its order for the period: raised now, at the catalogue's price
    for the school, or found raised by another worker (whose order it names). The catalogue,
    and Stripe for a card buyer's payment, are asked before the transaction begins."""
    due, period = command.due, command.due.next_period
    async with uow.first_look():
        looked = await uow.rolling.get(due.id)
    if looked.period == period:  # another worker raised it
        return looked
    quote = await catalogue.asked_by(_school_token(settings, due.urn)).quote(
        service_id=due.service_id, urn=due.urn, quantity=due.quantity, session_id=None
    )
    renewal = Checkout(
        urn=due.urn,
        payment_method=PaymentMethod(due.payment_method),
        purchase_order=due.purchase_order,
        idempotency_key=due.renewal_key,
        lines=[OrderLine.quoted(quote, term=period)],
        renewing=True,
    )
    checked_out = await checkout(renewal, uow=uow, gateway=gateway, now=now, settings=settings)
    subscription = await uow.rolling.get(due.id, locked=True)
    if subscription.period == period:  # raised meanwhile by another worker, whose order it was
        return subscription
    subscription.renewed(checked_out.order.id, period)
    await uow.rolling.save(subscription)
    return subscription


def _school_token(settings: Settings, urn: int) -> str:
    """The catalogue asked on the school's behalf, as the school's own checkout asks it."""
    return issue_token(
        secret=settings.jwt_secret,
        subject="orders-rolling-renewals",
        role=Role.SCHOOL,
        urn=urn,
        ttl_seconds=300,
    )


async def end_rolling(command: EndRolling, *, uow: OrdersUnitOfWork, today: date) -> None:
    subscription = await uow.rolling.get(command.subscription_id, locked=True)
    if subscription.end_if_over(today):
        await uow.rolling.save(subscription)


async def cancel_rolling(
    command: CancelRolling, *, uow: OrdersUnitOfWork, today: date
) -> RollingSubscription:
    """Notice to end at the earliest end it is in time for; refused once already given or
    ended."""
    subscription = await uow.rolling.get(command.subscription_id, locked=True)
    subscription.cancel(today)
    await uow.rolling.save(subscription)
    return subscription
