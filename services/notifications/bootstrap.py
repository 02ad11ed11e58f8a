"""The one place where notifications is wired together."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from services.notifications.adapters.mailers import mailer
from services.notifications.adapters.tables import messaging
from services.notifications.application.sending import Addressing
from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.config import Settings
from services.notifications.entrypoints.worker import jobs, subscriptions
from shared.clock import Clock
from shared.service import Service, ServiceDefinition

if TYPE_CHECKING:
    from fastapi import APIRouter, FastAPI


def service(settings: Settings | None = None) -> Service[NotificationsUnitOfWork]:
    settings = settings or Settings()
    clock = Clock()
    addressing = Addressing.of(settings)
    return Service(
        ServiceDefinition(
            settings=settings,
            title="Notifications",
            description="Tells people what they must act on, by email (SMTP or GOV.UK Notify).",
            tables=messaging,
            unit_of_work=NotificationsUnitOfWork,
            routers=routers,
            migrations_dir=Path(__file__).parent / "migrations",
            subscribe=subscriptions(addressing),
            jobs=jobs(settings, addressing=addressing, clock=clock, mailer=mailer(settings)),
            clock=clock,
        )
    )


def create_api() -> FastAPI:
    return service().api()


def routers() -> list[APIRouter]:
    """The HTTP API's routes: imported when an API is built, so a worker starts without them."""
    from services.notifications.entrypoints import messages_api

    return [messages_api.router]
