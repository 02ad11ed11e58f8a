"""The ledger's demo data: its copy of the schools register (the denominator of the buy-back
rate), entered as the `orders.school.registered.v1` events would enter it; and the sales of
the years before the platform, imported as finance would bring a previous system's history:
one journal per sale, so that what the evaluation counts as a programme's cost is in the book."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from uuid import UUID

from services.ledger.application.journals import JournalLine, PostJournal
from services.ledger.application.unit_of_work import LedgerUnitOfWork
from services.ledger.domain import accounts as chart
from services.ledger.domain.transaction import Dimensions
from services.orders.adapters.register_csv import read_register
from services.seed.files import SCHOOLS_CSV
from shared.events import SchoolRegisteredV1
from shared.service import Service


@dataclass(frozen=True)
class EarlierSale:
    """A sale of the years before the platform, paid for then: its income, before VAT."""

    reference: str
    description: str
    on: date
    urn: int
    phase: str
    la_code: str
    service_id: UUID
    title: str
    category: str
    cfr_code: str
    net_pence: int


async def seed_ledger_register(
    service: Service[LedgerUnitOfWork], register: Path = SCHOOLS_CSV
) -> int:
    """Seeds once; returns the number of schools entered."""
    async with service.unit_of_work() as uow:
        if await uow.register.names():
            return 0
        schools = read_register(register)
        for school in schools:
            await uow.register.save(SchoolRegisteredV1(**school.__dict__))
        await uow.commit()
    return len(schools)


async def seed_ledger_history(service: Service[LedgerUnitOfWork], sales: list[EarlierSale]) -> int:
    """Posts each sale once (its journal is keyed by its reference); returns how many now. Each
    is money at the bank and income of its service, school and category, on the day sold."""
    async with service.unit_of_work() as uow:  # account and service named as a sale names them
        uow.writes.open_accounts([chart.traded_income(sale.category) for sale in sales])
        uow.writes.name_services({str(sale.service_id): sale.title for sale in sales})
        await uow.commit()
    posted = 0
    for sale in sales:
        at = Dimensions(
            urn=sale.urn,
            phase=sale.phase,
            la_code=sale.la_code,
            service_id=str(sale.service_id),
            category=sale.category,
            cfr_code=sale.cfr_code,
            document=sale.reference,
        )
        journalled = await service.bus.handle(
            PostJournal(
                reference=sale.reference,
                description=sale.description,
                on=sale.on,
                lines=[
                    JournalLine(chart.BANK.code, sale.net_pence, at),
                    JournalLine(chart.traded_income(sale.category).code, -sale.net_pence, at),
                ],
            )
        )
        posted += journalled.new
    return posted
