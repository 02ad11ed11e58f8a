"""A contract's KPIs: targets set by the LA, actuals reported against them."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from services.commissioning.application import kpis, views
from services.commissioning.domain.kpi import EarnedCredit
from services.commissioning.entrypoints.deps import (
    BusDep,
    Officer,
    OfficerOrStaff,
    Reader,
    UnitOfWorkDep,
)
from services.commissioning.entrypoints.schemas import ActualPublic, KpiPublic
from shared.api.commissioning import ActualCreate, KpiCreate

router = APIRouter(prefix="/contracts/{contract_id}/kpis", tags=["KPIs"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def define_kpi(contract_id: UUID, body: KpiCreate, bus: BusDep, _: Officer) -> KpiPublic:
    """Set a KPI and its target; a miss earns the KPI's service credit (plus VAT) off the LA's next
    invoices, oldest credit first, in part when an invoice has less left."""
    command = kpis.DefineKpi(contract_id=contract_id, **body.model_dump())
    return KpiPublic.of(await bus.handle(command))


@router.get("")
async def list_kpis(contract_id: UUID, uow: UnitOfWorkDep, _: Reader) -> list[KpiPublic]:
    """A contract's KPIs."""
    return [KpiPublic.of(kpi) for kpi in await views.kpis(uow, contract_id)]


@router.post("/{kpi_id}/actuals", status_code=status.HTTP_201_CREATED)
async def report_actual(
    contract_id: UUID,
    kpi_id: UUID,
    body: ActualCreate,
    bus: BusDep,
    _: OfficerOrStaff,
) -> ActualPublic:
    """Report a period's actual against the target, while the contract is in force (409 if not)."""
    command = kpis.ReportActual(contract_id, kpi_id, **body.model_dump())
    report, credit = await bus.handle(command)
    return ActualPublic.of(report, EarnedCredit([credit]) if credit else None, {})


@router.get("/{kpi_id}/actuals")
async def list_actuals(
    contract_id: UUID, kpi_id: UUID, uow: UnitOfWorkDep, _: Reader
) -> list[ActualPublic]:
    """The actuals reported against a KPI, by period; a miss with the service credit it earned,
    in the parts invoices took of it and what still waits for the next."""
    found = await views.actuals(uow, contract_id, kpi_id)
    return [ActualPublic.of(a.report, a.credit, a.invoice_numbers) for a in found]
