"""Notifications' jobs on timers (its subscriptions are the EVENTS table of
application/handlers.py): the calendar's reminders, delivery, and forgetting what no longer
matters."""

from __future__ import annotations

from datetime import timedelta

from services.notifications.adapters.mailers import Mailer
from services.notifications.application.delivery import deliver_due
from services.notifications.application.reminders import SendDueReminders
from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.application.upkeep import ForgetPastTrustBookings
from services.notifications.config import Settings
from shared.bus import MessageBus
from shared.scheduling import Job


def jobs(
    settings: Settings, mailer: Mailer, bus: MessageBus[NotificationsUnitOfWork]
) -> tuple[Job, ...]:
    async def remind() -> None:
        await bus.handle(SendDueReminders())

    async def forget() -> None:
        await bus.handle(ForgetPastTrustBookings())

    async def deliver() -> None:
        await deliver_due(
            bus,
            mailer,
            backoff_seconds=tuple(settings.delivery_backoff_seconds),
            batch_size=settings.deliver_batch_size,
            lease=timedelta(seconds=settings.deliver_claim_seconds),
        )

    return (
        Job("reminders", settings.remind_every_seconds, remind),
        Job("delivery", settings.deliver_every_seconds, deliver),
        Job("forgetting", settings.remind_every_seconds, forget),  # on the reminders' timer
    )
