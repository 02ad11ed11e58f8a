"""Rolling subscriptions: the renewal job raises each next period's order at the price then in
force (the catalogue's quote, as checkout asks it), once per period however many workers run
it; the school cancels with notice."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from uuid import UUID

from services.orders.application.checkout import Checkout, checkout
from services.orders.application.ports import PaymentGateway, Quotes
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.domain.lines import OrderLine
from services.orders.domain.order import PaymentMethod
from services.orders.domain.rolling import RollingStatus, RollingSubscription
from shared.errors import DomainError

log = logging.getLogger(__name__)


async def renew_due(
    uows: Callable[[], OrdersUnitOfWork],
    *,
    quotes_for: Callable[[int], Quotes],
    gateway: PaymentGateway,
    today: date,
    payment_days: int,
) -> list[UUID]:
    """Raise the order of every period begun by `today` and not yet ordered; end those
    cancelled whose last period is over. The ids of the orders raised (or found raised)."""
    async with uows() as uow:
        found = await uow.rolling.to_look_at(today)
    raised = []
    for subscription in found:
        if subscription.status is RollingStatus.ENDING:
            await _end_if_over(uows, subscription.id, today)
            continue
        try:
            while subscription.renewal_due(today):
                subscription = await _renew(
                    uows,
                    subscription,
                    quotes=quotes_for(subscription.urn),
                    gateway=gateway,
                    today=today,
                    payment_days=payment_days,
                )
                raised.append(subscription.last_order_id)
        except DomainError as refused:  # a retired service, say: tried again next run
            log.warning("rolling subscription %s not renewed: %s", subscription.id, refused)
    return raised


async def _renew(
    uows: Callable[[], OrdersUnitOfWork],
    subscription: RollingSubscription,
    *,
    quotes: Quotes,
    gateway: PaymentGateway,
    today: date,
    payment_days: int,
) -> RollingSubscription:
    period = subscription.next_period
    quote = await quotes.quote(
        service_id=subscription.service_id,
        urn=subscription.urn,
        quantity=subscription.quantity,
        session_id=None,
    )
    checked_out = await checkout(
        uows,
        Checkout(
            urn=subscription.urn,
            payment_method=PaymentMethod(subscription.payment_method),
            purchase_order=subscription.purchase_order,
            idempotency_key=subscription.renewal_key,
            lines=[OrderLine.quoted(quote, term=period)],
            renewing=True,
        ),
        gateway=gateway,
        today=today,
        payment_days=payment_days,
    )
    async with uows() as uow:
        current = await uow.rolling.get(subscription.id, locked=True)
        current.renewed(checked_out.order.id, period)
        await uow.rolling.save(current)
        await uow.commit()
    return current


async def _end_if_over(
    uows: Callable[[], OrdersUnitOfWork], subscription_id: UUID, today: date
) -> None:
    async with uows() as uow:
        subscription = await uow.rolling.get(subscription_id, locked=True)
        if subscription.end_if_over(today):
            await uow.rolling.save(subscription)
            await uow.commit()


async def cancel(
    uow: OrdersUnitOfWork, subscription_id: UUID, *, today: date
) -> RollingSubscription:
    """Notice to end with the current period; refused inside the notice period."""
    subscription = await uow.rolling.get(subscription_id, locked=True)
    subscription.cancel(today)
    await uow.rolling.save(subscription)
    await uow.commit()
    return subscription
