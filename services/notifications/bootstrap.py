"""The one place where notifications is wired together."""

from __future__ import annotations

from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from services.notifications.adapters.mailers import mailer
from services.notifications.adapters.tables import messaging
from services.notifications.application.handlers import COMMANDS, EVENTS
from services.notifications.application.sending import Addressing
from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.config import Settings
from services.notifications.entrypoints.worker import jobs
from shared.clock import Clock
from shared.service import Service, ServiceDefinition

if TYPE_CHECKING:
    from fastapi import APIRouter, FastAPI


def service(settings: Settings | None = None) -> Service[NotificationsUnitOfWork]:
    settings = settings or Settings()
    # The mail service's client, built once when first asked for: the delivery job hands it the
    # messages, and the bus, which holds it among the outside parties, closes it on shutdown.
    the_mailer = cache(partial(mailer, settings))
    return Service(
        ServiceDefinition(
            settings=settings,
            title="Notifications",
            description="Tells people what they must act on, by email (SMTP or GOV.UK Notify).",
            tables=messaging,
            unit_of_work=NotificationsUnitOfWork,
            routers=routers,
            migrations_dir=Path(__file__).parent / "migrations",
            commands=COMMANDS,
            events=EVENTS,
            parties=lambda: {"mailer": the_mailer(), "addressing": Addressing.of(settings)},
            jobs=lambda bus: jobs(settings, the_mailer(), bus),
            # One clock: reminders read its day, and messages are kept, claimed (leases) and
            # retried by its moment, so a test that sets the day moves them all together.
            clock=Clock(),
        )
    )


def create_api() -> FastAPI:
    return service().api()


def routers() -> list[APIRouter]:
    """The HTTP API's routes: imported when an API is built, so a worker starts without them."""
    from services.notifications.entrypoints import messages_api

    return [messages_api.router]
