"""The one place where the ledger is wired together."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from services.ledger.adapters.tables import messaging
from services.ledger.application.unit_of_work import LedgerUnitOfWork
from services.ledger.config import Settings
from services.ledger.entrypoints.worker import jobs, subscriptions
from shared.clock import Clock
from shared.events import TransactionPostedV1
from shared.service import Service, ServiceDefinition

if TYPE_CHECKING:
    from fastapi import APIRouter, FastAPI


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
            routers=routers,
            migrations_dir=Path(__file__).parent / "migrations",
            publishes=(TransactionPostedV1,),
            subscribe=subscriptions(clock),
            jobs=jobs(clock, every_seconds=settings.recognition_every_seconds),
            clock=clock,
        )
    )


def create_api() -> FastAPI:
    return service().api()


def routers() -> list[APIRouter]:
    """The HTTP API's routes: imported when an API is built, so a worker starts without them."""
    from services.ledger.entrypoints import api, reports_api

    return [api.router, reports_api.router]
