"""The one place where evaluation is wired together."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.evaluation.adapters.tables import messaging
from services.evaluation.application.unit_of_work import EvaluationUnitOfWork
from services.evaluation.config import Settings
from services.evaluation.entrypoints.api import router
from services.evaluation.entrypoints.worker import subscriptions
from shared.service import Service, ServiceDefinition


def service(settings: Settings | None = None) -> Service[EvaluationUnitOfWork]:
    return Service(
        ServiceDefinition(
            settings=settings or Settings(),
            title="Evaluation",
            description="Participants, baselines, outcomes and effect sizes.",
            tables=messaging,
            unit_of_work=EvaluationUnitOfWork,
            routers=[router],
            migrations_dir=Path(__file__).parent / "migrations",
            subscribe=subscriptions,
        )
    )


def create_api() -> FastAPI:
    return service().api()
