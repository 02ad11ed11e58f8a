"""The one place where the catalogue is wired together."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.catalogue.adapters.tables import messaging
from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.catalogue.config import Settings
from services.catalogue.entrypoints.api import router
from shared.events import ServicePublishedV1
from shared.service import Service, ServiceDefinition


def service(settings: Settings | None = None) -> Service[CatalogueUnitOfWork]:
    return Service(
        ServiceDefinition(
            settings=settings or Settings(),
            title="Catalogue",
            description="What the company sells, to whom, at what price.",
            tables=messaging,
            unit_of_work=CatalogueUnitOfWork,
            routers=[router],
            migrations_dir=Path(__file__).parent / "migrations",
            publishes=(ServicePublishedV1,),
        )
    )


def create_api() -> FastAPI:
    return service().api()
