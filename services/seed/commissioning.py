"""Demo data for commissioning: the LA's contract with its particulars, variations, milestones
and a KPI; a few real Hertfordshire schools categorised (illustrative categories, not the LA's
real judgements); one case for a school causing concern, with brokered support deployed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from uuid import uuid4

from services.commissioning.application import cases, contracts, deployments, kpis, schools
from services.commissioning.application.unit_of_work import CommissioningUnitOfWork
from services.commissioning.domain.case import Stage, StageEntry
from services.commissioning.domain.categorisation import Category
from services.commissioning.domain.contract import Contract
from services.commissioning.domain.deployment import Provider, ProviderKind
from services.commissioning.domain.particulars import FundingSource, Particulars, ProcurementRoute
from services.commissioning.domain.terms import Variation, VariationKind
from services.orders.adapters.register_csv import read_register
from services.orders.domain.school import School as RegisteredSchool
from services.seed.files import SCHOOLS_CSV
from shared.bus import MessageBus
from shared.clock import Clock
from shared.events import Envelope, SchoolRegisteredV1
from shared.messaging.consumer import apply_once
from shared.money import VatRate
from shared.service import Service

# URN: category and why (real schools from services/seed/data; the categories are made up)
CATEGORIES = {
    117083: (Category.GOOD_OR_BETTER, "Strong outcomes and leadership at the last visit"),
    117084: (Category.SOME_CONCERNS, "Key stage 2 writing below the national average"),
    117088: (Category.SIGNIFICANT_CONCERNS, "Leadership turnover; attendance falling"),
    117091: (Category.CAUSING_CONCERN, "Safeguarding and leadership concerns after a visit"),
}
CASE_URN = 117091
REGISTER_FIELDS = tuple(SchoolRegisteredV1.model_fields)


async def seed_commissioning(
    service: Service[CommissioningUnitOfWork], today: date, register: Path = SCHOOLS_CSV
) -> int:
    """Seeds once; returns the number of contracts recorded."""
    async with service.unit_of_work() as uow:
        if await uow.contracts.list():
            return 0
    await register_schools(service, CATEGORIES, register)
    bus = service.bus_on(Clock(today))
    contract = await _contract(bus, today)
    for urn, (category, reasons) in CATEGORIES.items():
        await bus.handle(
            schools.CategoriseSchool(urn, category, today - timedelta(days=30), reasons, "seed")
        )
    await _case_with_support(bus, contract, today)
    return 1


def school_registered(school: RegisteredSchool) -> Envelope[SchoolRegisteredV1]:
    """The event the orders service publishes for a school of its register."""
    return Envelope.of(
        SchoolRegisteredV1(**{name: getattr(school, name) for name in REGISTER_FIELDS})
    )


async def register_schools(
    service: Service[CommissioningUnitOfWork], urns: Iterable[int], register: Path = SCHOOLS_CSV
) -> None:
    """Bring schools of the real register into commissioning as the orders service's events
    would: through the consumer's own apply function and inbox."""
    wanted = set(urns)
    for school in read_register(register):
        if school.urn in wanted:
            await apply_once(
                school_registered(school),
                uow_factory=service.unit_of_work,
                apply=service.bus.apply,
            )


async def _contract(bus: MessageBus[CommissioningUnitOfWork], today: date) -> Contract:
    year = today.year if today.month >= 4 else today.year - 1
    contract: Contract = await bus.handle(
        contracts.RecordContract(
            reference=f"HCC-SI-{year}",
            title="Statutory school improvement: monitoring, challenge, support, intervention",
            description="Monitoring and challenge of maintained schools; support and "
            "brokered intervention for schools causing concern",
            statutory_duty="Education and Inspections Act 2006, Part 4: schools causing concern",
            funding_source=FundingSource.COUNCIL_BUDGET,
            value_pence=120_000_000,
            vat_rate=VatRate.STANDARD,
            start_on=date(year, 4, 1),
            end_on=date(year + 1, 3, 31),
            particulars=Particulars(
                department="Children's Services: Education",
                supplier_name="Schools Company Ltd",
                annual_value_pence=120_000_000,
                review_on=date(year, 10, 1),
                procurement_route=ProcurementRoute.DIRECT_AWARD,
                contract_manager="Head of School Effectiveness",
            ),
            signed_on=date(year, 4, 1),
        )
    )
    for quarter, due_on in enumerate(quarter_ends(year), start=1):
        await bus.handle(
            contracts.AddMilestone(
                contract_id=contract.id,
                title=f"Quarter {quarter} monitoring report",
                due_on=due_on,
                payment_pence=30_000_000,
            )
        )
    for variation in (
        Variation(
            id=uuid4(),
            kind=VariationKind.VALUE,
            reason="Additional intervention capacity for schools causing concern",
            approved_by="Director of Education",
            approved_on=min(date(year, 9, 15), today),
            value_pence=125_000_000,
        ),
        Variation(
            id=uuid4(),
            kind=VariationKind.SCOPE,
            reason="Attendance added to the monitoring scope",
            approved_by="Director of Education",
            approved_on=min(date(year, 10, 1), today),
            scope="Monitoring and challenge of maintained schools, including attendance; "
            "support and brokered intervention for schools causing concern",
        ),
    ):
        contract = await bus.handle(contracts.VaryContract(contract.id, variation))
    await bus.handle(
        kpis.DefineKpi(
            contract_id=contract.id,
            title="Schools causing concern visited within 10 school days (%)",
            target=95,
            higher_is_better=True,
            service_credit_pence=500_000,
        )
    )
    return contract


def quarter_ends(year: int) -> tuple[date, ...]:
    """The last days of the first three quarters of the financial year from April `year`:
    30 June, 30 September and 31 December."""
    return tuple(
        date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1) for month in (6, 9, 12)
    )


async def _case_with_support(
    bus: MessageBus[CommissioningUnitOfWork], contract: Contract, today: date
) -> None:
    # Four weeks ago, or the contract's first day if it began since: nothing before the
    # contract, and nothing that has happened dated after today.
    opened_on = max(today - timedelta(days=28), contract.start_on)

    def by(days: int) -> date:
        return min(opened_on + timedelta(days=days), today)

    case = await bus.handle(
        cases.OpenCase(contract.id, CASE_URN, opened_on, CATEGORIES[CASE_URN][1])
    )
    await bus.handle(
        cases.MoveCase(
            case.id,
            StageEntry(
                stage=Stage.WARNING_NOTICE,
                entered_on=by(7),
                grounds="Safeguarding arrangements do not meet requirements",
                required_action="Secure safeguarding procedures and training for all staff",
                compliance_by=by(7) + timedelta(days=15),
            ),
        )
    )
    await bus.handle(
        cases.NoteVisit(
            case.id,
            visited_on=by(2),
            author="School improvement adviser",
            note="Met the headteacher and chair of governors; agreed an urgent review.",
        )
    )
    await bus.handle(
        deployments.Deploy(
            case_id=case.id,
            provider=Provider(name="National Leader of Education (demo)", kind=ProviderKind.NLE),
            half_days=12,
            day_rate_pence=65_000,
            vat_rate=VatRate.STANDARD,
            objectives="Rebuild safeguarding leadership; coach the headteacher",
            expected_impact="Warning notice complied with within the compliance period",
            starts_on=opened_on + timedelta(days=10),
        )
    )
