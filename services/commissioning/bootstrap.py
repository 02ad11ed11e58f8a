"""The one place where commissioning is wired together."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.commissioning.adapters.tables import messaging
from services.commissioning.application.unit_of_work import CommissioningUnitOfWork
from services.commissioning.config import Settings
from services.commissioning.entrypoints.api import router
from shared.events import LaInvoiceRaisedV1, MilestoneCompletedV1
from shared.service import Service, ServiceDefinition


def service(settings: Settings | None = None) -> Service[CommissioningUnitOfWork]:
    return Service(
        ServiceDefinition(
            settings=settings or Settings(),
            title="Commissioning",
            description="The LA's statutory contracts, milestones and brokered support.",
            tables=messaging,
            unit_of_work=CommissioningUnitOfWork,
            routers=[router],
            migrations_dir=Path(__file__).parent / "migrations",
            publishes=(MilestoneCompletedV1, LaInvoiceRaisedV1),
        )
    )


def create_api() -> FastAPI:
    return service().api()
