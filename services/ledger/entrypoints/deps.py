"""Dependencies every ledger route shares; its HTTP models are in shared.api.ledger."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends

from services.ledger.application.unit_of_work import LedgerUnitOfWork
from shared.auth import Principal, Role
from shared.bounds import Day
from shared.bus import MessageBus
from shared.deps import Today, bus, unit_of_work
from shared.http import require

BusDep = Annotated[MessageBus[LedgerUnitOfWork], Depends(bus)]
UnitOfWorkDep = Annotated[LedgerUnitOfWork, Depends(unit_of_work)]
Finance = Annotated[Principal, Depends(require(Role.FINANCE, Role.ADMIN))]
# the LA's own officers read what the LA has paid of the company's invoices to it, and what is
# left; only finance records a payment
LaInvoiceReader = Annotated[Principal, Depends(require(Role.FINANCE, Role.ADMIN, Role.LA_OFFICER))]


async def as_of_or_today(today: Today, as_of: Day | None = None) -> date:
    """The day a report or balance is as of: `?as_of=` if given, else today, and never later
    than today: what the book holds dated after it (a journal for next month, postings moved
    out of a month closed early) is not counted ahead of its day, nor an invoice aged by days
    that have not passed. Each answer names the day it counted to."""
    return min(as_of or today, today)


AsOf = Annotated[date, Depends(as_of_or_today)]

__all__ = ["AsOf", "BusDep", "Finance", "LaInvoiceReader", "Today", "UnitOfWorkDep"]
