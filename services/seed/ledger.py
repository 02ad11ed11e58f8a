"""The ledger's demo data: its copy of the schools register (the denominator of the buy-back
rate), entered as the `orders.school.registered.v1` events would enter it; and the sales of
the years before the platform, imported as finance would bring a previous system's history:
a journal for each sale and one for each month of its term that earned its income, so that what
the evaluation counts as a programme's cost is in the book, in the years that earned it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from uuid import UUID

from services.ledger.application.journals import JournalLine, PostJournal
from services.ledger.application.unit_of_work import LedgerUnitOfWork
from services.ledger.domain import accounts as chart
from services.ledger.domain.recognition import schedule
from services.ledger.domain.transaction import Dimensions
from services.orders.adapters.register_csv import read_register
from services.seed.files import SCHOOLS_CSV
from shared.events import SchoolRegisteredV1
from shared.money import Strand
from shared.service import Service


@dataclass(frozen=True)
class EarlierSale:
    """A subscription sold in the years before the platform and paid for then: its income,
    before VAT, earned month by month over its term as the platform's own sales are."""

    reference: str
    description: str
    on: date
    term_end: date
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
    """Posts each sale once (its journals are keyed by its reference); returns how many now.
    Each is money at the bank and deferred income on the day sold, and then income of its
    service, school and category at each month's end of its term, as `recognition.schedule`
    spreads a sale's."""
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
                    JournalLine(chart.DEFERRED_INCOME.code, -sale.net_pence, at),
                ],
                strand=Strand.TRADED,  # a school's purchase, as the platform's own sales are
            )
        )
        posted += journalled.new
        months = schedule(
            sale.net_pence, sold_on=sale.on, term_start=sale.on, term_end=sale.term_end
        )
        for day, pence in months:
            await service.bus.handle(
                PostJournal(
                    reference=f"{sale.reference}-{day:%Y-%m}",
                    description=f"{sale.description}: income of {day:%B %Y}",
                    on=day,
                    lines=[
                        JournalLine(chart.DEFERRED_INCOME.code, pence, at),
                        JournalLine(chart.traded_income(sale.category).code, -pence, at),
                    ],
                )
            )
    return posted
