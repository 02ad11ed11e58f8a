"""The one place where commissioning is wired together."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from services.commissioning.adapters.tables import messaging
from services.commissioning.application.handlers import COMMANDS, EVENTS
from services.commissioning.application.unit_of_work import CommissioningUnitOfWork
from services.commissioning.config import Settings
from shared.events import published_by
from shared.service import Service, ServiceDefinition

if TYPE_CHECKING:
    from fastapi import APIRouter, FastAPI


def service(settings: Settings | None = None) -> Service[CommissioningUnitOfWork]:
    return Service(
        ServiceDefinition(
            settings=settings or Settings(),
            title="Commissioning",
            description="The LA's statutory contracts, schools causing concern and brokered "
            "school-to-school support.",
            tables=messaging,
            unit_of_work=CommissioningUnitOfWork,
            routers=routers,
            migrations_dir=Path(__file__).parent / "migrations",
            publishes=published_by("commissioning"),
            commands=COMMANDS,
            events=EVENTS,
        )
    )


def create_api() -> FastAPI:
    return service().api()


def routers() -> list[APIRouter]:
    """The HTTP API's routes: imported when an API is built, so a worker starts without them."""
    from services.commissioning.entrypoints import (
        cases_api,
        contracts_api,
        deployments_api,
        invoices_api,
        kpis_api,
        schools_api,
    )

    return [
        contracts_api.router,
        kpis_api.router,
        invoices_api.router,
        schools_api.router,
        cases_api.router,
        deployments_api.router,
    ]
