"""The one place where the catalogue is wired together."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from services.catalogue.adapters.tables import messaging
from services.catalogue.application.handlers import COMMANDS, EVENTS
from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.catalogue.config import Settings
from services.catalogue.entrypoints.worker import jobs
from shared.events import published_by
from shared.service import Service, ServiceDefinition

if TYPE_CHECKING:
    from fastapi import APIRouter, FastAPI


def service(settings: Settings | None = None) -> Service[CatalogueUnitOfWork]:
    settings = settings or Settings()
    return Service(
        ServiceDefinition(
            settings=settings,
            title="Catalogue",
            description="What the company sells, to whom, at what price.",
            tables=messaging,
            unit_of_work=CatalogueUnitOfWork,
            routers=routers,
            migrations_dir=Path(__file__).parent / "migrations",
            publishes=published_by("catalogue"),
            commands=COMMANDS,
            events=EVENTS,
            jobs=partial(jobs, settings),
        )
    )


def create_api() -> FastAPI:
    return service().api()


def routers() -> list[APIRouter]:
    """The HTTP API's routes: imported when an API is built, so a worker starts without them."""
    from services.catalogue.entrypoints import (
        csv_api,
        providers_api,
        quotes_api,
        services_api,
        sessions_api,
        trusts_api,
    )

    # the CSV routes come before /services/{service_id}, which would swallow them
    return [
        csv_api.router,
        services_api.router,
        quotes_api.router,
        providers_api.router,
        sessions_api.router,
        trusts_api.router,
    ]
