"""Use cases of a contract's KPIs: define one, report an actual against it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.commissioning.application.unit_of_work import CommissioningUnitOfWork
from services.commissioning.domain.contract import ContractStatus
from services.commissioning.domain.kpi import Kpi, KpiReport, ServiceCredit
from shared.bus import Command
from shared.errors import Conflict
from shared.measurements import format_measurement


@dataclass(frozen=True)
class DefineKpi(Command["Kpi"]):
    contract_id: UUID
    title: str
    target: float
    higher_is_better: bool
    service_credit_pence: int


@dataclass(frozen=True)
class ReportActual(Command["tuple[KpiReport, ServiceCredit | None]"]):
    """Report a period's actual; a missed KPI's credit waits for the LA's next invoice."""

    contract_id: UUID
    kpi_id: UUID
    period: str
    actual: float
    reported_on: date | None = None  # today


async def define_kpi(command: DefineKpi, *, uow: CommissioningUnitOfWork) -> Kpi:
    contract = await uow.contracts.get(command.contract_id)
    if contract.status is ContractStatus.CLOSED:
        raise Conflict(f"contract {contract.reference} is closed")
    kpi = Kpi.define(**command.__dict__)
    await uow.kpis.add(kpi)
    uow.audit(
        "kpi.defined",
        object_type="kpi",
        object_id=kpi.id,
        summary=f"{kpi.title} on {contract.reference}, target {format_measurement(kpi.target)}",
    )
    return kpi


async def report_actual(
    command: ReportActual, *, uow: CommissioningUnitOfWork, today: date
) -> tuple[KpiReport, ServiceCredit | None]:
    contract_id, kpi_id = command.contract_id, command.kpi_id
    period, actual, on = command.period, command.actual, command.reported_on or today
    contract = await uow.contracts.get(contract_id, for_update=True)
    if not contract.status.in_force:
        # a credit earned now could never come off an invoice: nothing is signed off under it
        raise Conflict(
            f"contract {contract.reference} is {contract.status}, not in force: "
            f"no actual is reported against it",
            field="contract_id",
        )
    contract.check_started_by(on, field="reported_on")
    kpi = await uow.kpis.get(contract_id, kpi_id)
    reported = {report.period for report in await uow.kpis.reports(kpi_id)}
    report, credit = kpi.report(
        period=period, actual=actual, on=on, reported_periods=reported, today=today
    )
    await uow.kpis.add_report(report, credit)
    uow.audit(
        "kpi.reported",
        object_type="kpi",
        object_id=kpi.id,
        summary=f"{period}: {format_measurement(actual)} ({'met' if report.met else 'missed'})",
    )
    return report, credit
