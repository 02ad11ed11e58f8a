"""The one place where the ledger is wired together."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.ledger.adapters.tables import messaging
from services.ledger.application.unit_of_work import LedgerUnitOfWork
from services.ledger.config import Settings
from services.ledger.entrypoints.api import router
from services.ledger.entrypoints.reports_api import router as reports_router
from services.ledger.entrypoints.worker import subscriptions
from shared.events import TransactionPostedV1
from shared.service import Service, ServiceDefinition


def service(settings: Settings | None = None) -> Service[LedgerUnitOfWork]:
    return Service(
        ServiceDefinition(
            settings=settings or Settings(),
            title="Ledger",
            description="One double-entry book for the traded and statutory strands.",
            tables=messaging,
            unit_of_work=LedgerUnitOfWork,
            routers=[router, reports_router],
            migrations_dir=Path(__file__).parent / "migrations",
            publishes=(TransactionPostedV1,),
            subscribe=subscriptions,
        )
    )


def create_api() -> FastAPI:
    return service().api()
