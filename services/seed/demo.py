"""Seeds each service through its own use cases, so seeded data raises the same events as real
use would. Seeding twice changes nothing."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from services.commissioning.application import handlers as commissioning
from services.commissioning.application.unit_of_work import CommissioningUnitOfWork
from services.commissioning.domain.contract import FundingSource
from services.orders.adapters.register_csv import read_register
from services.orders.application import handlers as orders
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.seed.catalogue import seed_catalogue as seed_catalogue
from shared.money import VatRate
from shared.service import Service

REPOSITORY = Path(__file__).resolve().parents[2]
SCHOOLS_CSV = Path(
    os.environ.get(
        "PLATFORM_SCHOOLS_CSV", REPOSITORY.parent / "shared" / "data" / "schools-hertfordshire.csv"
    )
)


async def seed_schools(service: Service[OrdersUnitOfWork], path: Path = SCHOOLS_CSV) -> int:
    async with service.unit_of_work() as uow:
        if await uow.schools.count():
            return 0
    if not path.exists():
        raise SystemExit(f"schools register not found at {path}; set PLATFORM_SCHOOLS_CSV")
    async with service.unit_of_work() as uow:
        return await orders.import_schools(uow, read_register(path))


async def seed_contract(service: Service[CommissioningUnitOfWork], today: date) -> int:
    async with service.unit_of_work() as uow:
        if await uow.contracts.list():
            return 0
    year = today.year if today.month >= 4 else today.year - 1
    async with service.unit_of_work() as uow:
        contract = await commissioning.record_contract(
            uow,
            commissioning.RecordContract(
                reference=f"HCC-SI-{year}",
                title="Statutory school improvement: monitoring, challenge, support, intervention",
                statutory_duty="Education and Inspections Act 2006, Part 4: schools causing concern",
                funding_source=FundingSource.COUNCIL_BUDGET,
                value_pence=120_000_000,
                vat_rate=VatRate.STANDARD,
                start_on=date(year, 4, 1),
                end_on=date(year + 1, 3, 31),
            ),
        )
    for quarter, month in enumerate((6, 9, 12), start=1):
        async with service.unit_of_work() as uow:
            await commissioning.add_milestone(
                uow,
                commissioning.AddMilestone(
                    contract_id=contract.id,
                    title=f"Quarter {quarter} monitoring report",
                    due_on=date(year, month, 30),
                    payment_pence=30_000_000,
                ),
            )
    return 1
