"""Rolling subscriptions: the renewal job raises each next period's order at the price then in
force (the catalogue's quote, as checkout asks it), once per period however many workers run
it; the school cancels with notice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.orders.application.checkout import Checkout, checkout
from services.orders.application.ports import Catalogue, PaymentGateway
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.config import Settings
from services.orders.domain.lines import OrderLine
from services.orders.domain.order import PaymentMethod
from services.orders.domain.rolling import RollingSubscription
from shared.auth import Role, issue_token


@dataclass(frozen=True)
class RenewRolling:
    """Raise a subscription's order for `period` (its next, as the renewal job found it)."""

    subscription_id: UUID
    period: tuple[date, date]


@dataclass(frozen=True)
class EndRolling:
    """End a subscription cancelled with notice, once its last period is over."""

    subscription_id: UUID


@dataclass(frozen=True)
class CancelRolling:
    subscription_id: UUID


async def renew_rolling(
    command: RenewRolling,
    *,
    uow: OrdersUnitOfWork,
    catalogue: Catalogue,
    gateway: PaymentGateway,
    today: date,
    settings: Settings,
) -> RollingSubscription:
    """The subscription with its order for the period: raised now, or found raised by another
    worker (whose order it names), at the catalogue's price for the school."""
    subscription = await uow.rolling.get(command.subscription_id, locked=True)
    if subscription.period == command.period:  # another worker raised it
        return subscription
    quotes = catalogue.asked_by(_school_token(settings, subscription.urn))
    quote = await quotes.quote(
        service_id=subscription.service_id,
        urn=subscription.urn,
        quantity=subscription.quantity,
        session_id=None,
    )
    renewal = Checkout(
        urn=subscription.urn,
        payment_method=PaymentMethod(subscription.payment_method),
        purchase_order=subscription.purchase_order,
        idempotency_key=subscription.renewal_key,
        lines=[OrderLine.quoted(quote, term=command.period)],
        renewing=True,
    )
    checked_out = await checkout(renewal, uow=uow, gateway=gateway, today=today, settings=settings)
    subscription.renewed(checked_out.order.id, command.period)
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
    """Notice to end with the current period; refused inside the notice period."""
    subscription = await uow.rolling.get(command.subscription_id, locked=True)
    subscription.cancel(today)
    await uow.rolling.save(subscription)
    return subscription
