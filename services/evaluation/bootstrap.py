"""The one place where evaluation is wired together."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from services.evaluation.adapters.tables import messaging
from services.evaluation.application.handlers import COMMANDS, EVENTS
from services.evaluation.application.unit_of_work import EvaluationUnitOfWork
from services.evaluation.config import Settings
from shared.events import published_by
from shared.service import Service, ServiceDefinition

if TYPE_CHECKING:
    from fastapi import APIRouter, FastAPI


def service(settings: Settings | None = None) -> Service[EvaluationUnitOfWork]:
    return Service(
        ServiceDefinition(
            settings=settings or Settings(),
            title="Evaluation",
            description="Programmes, baselines, effect sizes, ratings and partnership maturity.",
            tables=messaging,
            unit_of_work=EvaluationUnitOfWork,
            routers=routers,
            publishes=published_by("evaluation"),
            migrations_dir=Path(__file__).parent / "migrations",
            commands=COMMANDS,
            events=EVENTS,
        )
    )


def create_api() -> FastAPI:
    return service().api()


def routers() -> list[APIRouter]:
    """The HTTP API's routes: imported when an API is built, so a worker starts without them."""
    from services.evaluation.entrypoints import (
        maturity_api,
        measures_api,
        participants_api,
        programmes_api,
        published_results_api,
        ratings_api,
        reports_api,
    )

    return [
        participants_api.router,
        programmes_api.router,
        published_results_api.router,
        measures_api.router,
        reports_api.router,
        ratings_api.router,
        maturity_api.router,
    ]
