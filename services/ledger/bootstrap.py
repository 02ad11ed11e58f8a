"""The one place where the ledger is wired together."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from services.ledger.adapters.tables import messaging
from services.ledger.application.handlers import COMMANDS, EVENTS
from services.ledger.application.unit_of_work import LedgerUnitOfWork
from services.ledger.config import Settings
from services.ledger.entrypoints.worker import jobs
from shared.events import published_by
from shared.service import Service, ServiceDefinition

if TYPE_CHECKING:
    from fastapi import APIRouter, FastAPI


def service(settings: Settings | None = None) -> Service[LedgerUnitOfWork]:
    settings = settings or Settings()
    return Service(
        ServiceDefinition(
            settings=settings,
            title="Ledger",
            description="One double-entry book for the traded and statutory strands.",
            tables=messaging,
            unit_of_work=LedgerUnitOfWork,
            routers=routers,
            migrations_dir=Path(__file__).parent / "migrations",
            publishes=published_by("ledger"),
            commands=COMMANDS,
            events=EVENTS,
            jobs=partial(jobs, settings),
        )
    )


def create_api() -> FastAPI:
    return service().api()


def routers() -> list[APIRouter]:
    """The HTTP API's routes: imported when an API is built, so a worker starts without them."""
    from services.ledger.entrypoints import (
        accounts_api,
        la_invoices_api,
        payouts_api,
        periods_api,
        reports_api,
        transactions_api,
    )

    return [
        accounts_api.router,
        transactions_api.router,
        periods_api.router,
        payouts_api.router,
        la_invoices_api.router,
        reports_api.router,
    ]
