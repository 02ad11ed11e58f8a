"""Orders' jobs (its subscriptions are the EVENTS table of application/handlers.py): renewing
the rolling subscriptions whose next period has begun, lapsing orders whose approval was not
given in time, and asking Stripe again for the card refunds it has not yet been known to make
and to cancel the card payments voided with their orders."""

from __future__ import annotations

import logging
from datetime import timedelta
from uuid import UUID

from services.orders.adapters.payments import Refund
from services.orders.application import views
from services.orders.application.approvals import LapseUnapproved
from services.orders.application.payments import finish_refunds
from services.orders.application.payments_to_cancel import cancel_voided_payments
from services.orders.application.rolling import EndRolling, RenewRolling
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.config import Settings
from services.orders.domain.rolling import RollingStatus, RollingSubscription
from shared.bus import MessageBus
from shared.errors import DomainError
from shared.scheduling import Job

log = logging.getLogger(__name__)

Bus = MessageBus[OrdersUnitOfWork]


def jobs(settings: Settings, bus: Bus) -> tuple[Job, ...]:
    async def renew() -> None:
        await renew_due(bus)

    async def lapse() -> None:
        await lapse_unapproved(bus)

    async def refund() -> None:
        await finish_asked_refunds(bus, settings.refund_asked_again_after_seconds)

    async def cancel_payments() -> None:
        await cancel_voided_payments(bus)

    return (
        Job("rolling-renewals", settings.rolling_renewal_every_seconds, renew),
        Job("approvals-lapse", settings.approval_lapse_every_seconds, lapse),
        Job("card-refunds", settings.refund_retry_every_seconds, refund),
        Job("card-payment-cancels", settings.refund_retry_every_seconds, cancel_payments),
    )


async def renew_due(bus: Bus) -> list[UUID]:
    """Raise the order of every period begun by today and not yet ordered, each in its own
    transaction (a cancelled subscription's too, up to the period it ends with); end those
    cancelled whose last period is over. The ids of the orders raised (or found raised by
    another worker)."""
    today = bus.clock.today()
    raised = []
    for subscription in await views.rolling_to_look_at(bus.unit_of_work(), today):
        try:
            while subscription.renewal_due(today):
                subscription = await renew_next(bus, subscription)
                raised.append(subscription.last_order_id)
        except DomainError as refused:  # a retired service, say: tried again next run
            log.warning("rolling subscription %s not renewed: %s", subscription.id, refused)
            continue
        if subscription.status is RollingStatus.ENDING and not subscription.renews:
            await bus.handle(EndRolling(subscription.id))
    return raised


async def renew_next(bus: Bus, subscription: RollingSubscription) -> RollingSubscription:
    renewed: RollingSubscription = await bus.handle(RenewRolling(subscription))
    return renewed


async def lapse_unapproved(bus: Bus) -> int:
    """Cancel every order whose approval was not given by its last day; how many."""
    lapsed = await views.lapsed_approvals(bus.unit_of_work(), bus.clock.today())
    return sum([await bus.handle(LapseUnapproved(order_id)) for order_id in lapsed])


async def finish_asked_refunds(bus: Bus, asked_seconds_ago: float) -> list[Refund]:
    """Ask Stripe again, each with its own key (so Stripe answers with a refund it made
    already; one asked so long ago Stripe may have forgotten the key is looked for at Stripe
    first), for every card refund still asked at least `asked_seconds_ago` by the bus's clock;
    how each stands now. Two workers at once mark each, and send its event, once."""
    asked_by = bus.clock.now() - timedelta(seconds=asked_seconds_ago)
    asked = await views.asked_refunds(bus.unit_of_work(), asked_by=asked_by)
    return await finish_refunds(bus, asked)
