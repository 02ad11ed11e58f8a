"""The ledger's copy of the schools register for the demo: the denominator of the buy-back
rate, entered as the `orders.school.registered.v1` events would enter it."""

from __future__ import annotations

from pathlib import Path

from services.ledger.application.unit_of_work import LedgerUnitOfWork
from services.orders.adapters.register_csv import read_register
from services.seed.files import SCHOOLS_CSV
from shared.events import SchoolRegisteredV1
from shared.service import Service


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
