"""The one place where the ledger is wired together."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.ledger.adapters.tables import messaging
from services.ledger.application.unit_of_work import LedgerUnitOfWork
from services.ledger.config import Settings
from services.ledger.entrypoints.api import router
from services.ledger.entrypoints.reports_api import router as reports_router
from services.ledger.entrypoints.worker import jobs, subscriptions
from shared.clock import Clock
from shared.events import TransactionPostedV1
from shared.service import Service, ServiceDefinition


def service(settings: Settings | None = None) -> Service[LedgerUnitOfWork]:
    settings = settings or Settings()
    clock = Clock()
    return Service(
        ServiceDefinition(
            settings=settings,
            title="Ledger",
            description="One double-entry book for the traded and statutory strands.",
            tables=messaging,
            unit_of_work=LedgerUnitOfWork,
            routers=[router, reports_router],
            migrations_dir=Path(__file__).parent / "migrations",
            publishes=(TransactionPostedV1,),
            subscribe=subscriptions(clock),
            jobs=jobs(clock, every_seconds=settings.recognition_every_seconds),
            clock=clock,
        )
    )


def create_api() -> FastAPI:
    return service().api()
