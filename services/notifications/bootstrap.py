"""The one place where notifications is wired together."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.notifications.adapters.mailers import mailer
from services.notifications.adapters.tables import messaging
from services.notifications.application.sending import Addressing
from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.config import Settings
from services.notifications.entrypoints import messages_api
from services.notifications.entrypoints.worker import jobs, subscriptions
from shared.clock import Clock
from shared.service import Service, ServiceDefinition


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
            routers=[messages_api.router],
            migrations_dir=Path(__file__).parent / "migrations",
            subscribe=subscriptions(addressing),
            jobs=jobs(settings, addressing=addressing, clock=clock, mailer=mailer(settings)),
            clock=clock,
        )
    )


def create_api() -> FastAPI:
    return service().api()
