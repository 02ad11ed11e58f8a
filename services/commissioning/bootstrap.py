"""The one place where commissioning is wired together."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.commissioning.adapters.tables import messaging
from services.commissioning.application.handlers import COMMANDS, EVENTS
from services.commissioning.application.unit_of_work import CommissioningUnitOfWork
from services.commissioning.config import Settings
from services.commissioning.entrypoints import (
    cases_api,
    contracts_api,
    deployments_api,
    invoices_api,
    kpis_api,
    schools_api,
)
from shared.events import (
    CaseMovedV1,
    ContractSignedV1,
    ContractVariedV1,
    DeploymentCompletedV1,
    LaInvoiceRaisedV1,
    MilestoneCompletedV1,
    SchoolCategorisedV1,
    ServiceCreditAppliedV1,
    WarningNoticeIssuedV1,
)
from shared.service import Service, ServiceDefinition


def service(settings: Settings | None = None) -> Service[CommissioningUnitOfWork]:
    return Service(
        ServiceDefinition(
            settings=settings or Settings(),
            title="Commissioning",
            description="The LA's statutory contracts, schools causing concern and brokered "
            "school-to-school support.",
            tables=messaging,
            unit_of_work=CommissioningUnitOfWork,
            routers=[
                contracts_api.router,
                kpis_api.router,
                invoices_api.router,
                schools_api.router,
                cases_api.router,
                deployments_api.router,
            ],
            migrations_dir=Path(__file__).parent / "migrations",
            publishes=(
                ContractSignedV1,
                ContractVariedV1,
                MilestoneCompletedV1,
                LaInvoiceRaisedV1,
                ServiceCreditAppliedV1,
                SchoolCategorisedV1,
                DeploymentCompletedV1,
                WarningNoticeIssuedV1,
                CaseMovedV1,
            ),
            commands=COMMANDS,
            events=EVENTS,
        )
    )


def create_api() -> FastAPI:
    return service().api()
