"""Seeds each service through its own use cases, so seeded data raises the same events as real
use would. Seeding twice changes nothing."""

from __future__ import annotations

import os
from pathlib import Path

from services.catalogue.application import handlers as catalogue
from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.catalogue.domain.service import ServiceType
from services.orders.adapters.register_csv import read_register
from services.orders.application import handlers as orders
from services.orders.application.unit_of_work import OrdersUnitOfWork
from shared.money import VatRate
from shared.service import Service

REPOSITORY = Path(__file__).resolve().parents[2]
SCHOOLS_CSV = Path(
    os.environ.get(
        "PLATFORM_SCHOOLS_CSV", REPOSITORY.parent / "shared" / "data" / "schools-hertfordshire.csv"
    )
)

# code, title, type, category, price in pence, VAT
CATALOGUE = [
    (
        "SIP-PRI",
        "School improvement partner package (primary)",
        ServiceType.SUBSCRIPTION,
        "School improvement",
        325000,
        VatRate.STANDARD,
    ),
    (
        "SIP-SEC",
        "School improvement partner package (secondary)",
        ServiceType.SUBSCRIPTION,
        "School improvement",
        495000,
        VatRate.STANDARD,
    ),
    (
        "ML-PROG",
        "Middle leadership programme",
        ServiceType.COURSE,
        "CPD and leadership",
        59500,
        VatRate.EXEMPT,
    ),
    (
        "ECT-IND",
        "Early career teacher induction",
        ServiceType.COURSE,
        "CPD and leadership",
        42000,
        VatRate.EXEMPT,
    ),
    (
        "GOV-CLERK",
        "Governor clerking service",
        ServiceType.SUBSCRIPTION,
        "Governance",
        180000,
        VatRate.STANDARD,
    ),
    (
        "FIN-SLA",
        "School finance support SLA",
        ServiceType.SUBSCRIPTION,
        "Finance",
        275000,
        VatRate.STANDARD,
    ),
    (
        "HR-SLA",
        "HR advice and casework SLA",
        ServiceType.SUBSCRIPTION,
        "HR",
        210000,
        VatRate.STANDARD,
    ),
    ("IT-DAY", "IT technician day", ServiceType.CONSULTANCY, "IT", 38500, VatRate.STANDARD),
    (
        "NLE-DAY",
        "National Leader of Education support day",
        ServiceType.CONSULTANCY,
        "School improvement",
        65000,
        VatRate.STANDARD,
    ),
]


async def seed_catalogue(service: Service[CatalogueUnitOfWork]) -> int:
    async with service.unit_of_work() as uow:
        if await uow.services.list():
            return 0
    for code, title, kind, category, price, vat in CATALOGUE:
        async with service.unit_of_work() as uow:
            created = await catalogue.create_service(
                uow,
                catalogue.CreateService(
                    code=code,
                    title=title,
                    description="",
                    service_type=kind,
                    category=category,
                    unit_price_pence=price,
                    vat_rate=vat,
                ),
            )
        async with service.unit_of_work() as uow:
            await catalogue.publish_service(uow, created.id)
    return len(CATALOGUE)


async def seed_schools(service: Service[OrdersUnitOfWork], path: Path = SCHOOLS_CSV) -> int:
    async with service.unit_of_work() as uow:
        if await uow.schools.count():
            return 0
    if not path.exists():
        raise SystemExit(f"schools register not found at {path}; set PLATFORM_SCHOOLS_CSV")
    async with service.unit_of_work() as uow:
        return await orders.import_schools(uow, read_register(path))
