"""Notifications' worker: a subscription for each event that needs someone's attention, and
two jobs on timers (the calendar's reminders, and delivery)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from services.notifications.adapters.mailers import Mailer
from services.notifications.application.delivery import deliver_due
from services.notifications.application.events_in import HANDLERS, Handler
from services.notifications.application.reminders import Calendar, send_due_reminders
from services.notifications.application.sending import Addressing
from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.config import Settings
from shared.bus import MessageBus
from shared.clock import Clock
from shared.events import Envelope
from shared.messaging.consumer import Subscriptions, subscribe
from shared.scheduling import Job

UowFactory = Callable[[], NotificationsUnitOfWork]


def subscriptions(addressing: Addressing) -> Callable[[Subscriptions, UowFactory], None]:
    def with_addressing(handler: Handler) -> Any:
        async def apply(uow: NotificationsUnitOfWork, envelope: Envelope[Any]) -> None:
            await handler(uow, addressing, envelope)

        return apply

    def subscribe_all(subscriptions: Subscriptions, uow: UowFactory) -> None:
        for event_type, handler in HANDLERS:
            subscribe(
                subscriptions,
                consumer="notifications",
                event_type=event_type,
                uow_factory=uow,
                apply=with_addressing(handler),
            )

    return subscribe_all


def jobs(
    settings: Settings, *, addressing: Addressing, clock: Clock, mailer: Mailer
) -> Callable[[MessageBus[NotificationsUnitOfWork]], tuple[Job, ...]]:
    calendar = Calendar(
        renewal_opens_days_before=settings.renewal_opens_days_before,
        renewal_closes_days_after=settings.renewal_closes_days_after,
    )

    def notification_jobs(bus: MessageBus[NotificationsUnitOfWork]) -> tuple[Job, ...]:
        uow = bus.unit_of_work

        async def remind() -> None:
            async with uow() as work:
                await send_due_reminders(work, addressing, today=clock.today(), calendar=calendar)
                await work.commit()

        async def deliver() -> None:
            await deliver_due(
                uow,
                mailer,
                backoff_seconds=tuple(settings.delivery_backoff_seconds),
                batch_size=settings.deliver_batch_size,
            )

        return (
            Job("reminders", settings.remind_every_seconds, remind),
            Job("delivery", settings.deliver_every_seconds, deliver),
        )

    return notification_jobs
