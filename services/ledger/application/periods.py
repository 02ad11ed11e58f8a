"""Finance closes a month, and may reopen it: what is dated in a closed month posts in the
next open one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from services.ledger.application.book_entries import post
from services.ledger.application.unit_of_work import LedgerUnitOfWork
from services.ledger.domain.periods import first_day_after
from shared.bus import Command
from shared.calendar import long_date
from shared.errors import Conflict, Invalid
from shared.unique import taken_as


@dataclass(frozen=True)
class ClosePeriod(Command[None]):
    month: str  # YYYY-MM
    by: str


@dataclass(frozen=True)
class ReopenPeriod(Command["dict[str, Any]"]):
    """A reopened month takes postings again; those already moved to the next month stay."""

    month: str  # YYYY-MM
    by: str
    reason: str


async def close_period(command: ClosePeriod, *, uow: LedgerUnitOfWork, today: date) -> None:
    """A month is closed once it has ended: closed before, what is still to be dated in it (its
    month-end income, an invoice raised on its last day) would be booked in the next month."""
    _check_month(command.month)
    closes_from = first_day_after(command.month)
    if today < closes_from:
        raise Conflict(
            f"period {command.month} has not ended: it can be closed from {long_date(closes_from)}",
            field="month",
        )
    await _post_what_it_earned(uow, command.month, last_day=closes_from - timedelta(days=1))
    if not await uow.book.close(command.month, by=command.by):
        raise Conflict(f"period {command.month} is already closed", field="month")
    uow.audit("period.closed", object_type="period", object_id=command.month)


async def _post_what_it_earned(uow: LedgerUnitOfWork, month: str, *, last_day: date) -> None:
    """Post the income earned by the month's end that still waits in the schedule (the worker
    had not run since), while the month is open to it: closed first, the month's own income
    would go into the next month."""
    due = await uow.schedule.due(last_day)
    if due:
        await post(uow, due)
        async with taken_as(lambda: _posted_meanwhile(month)):  # by the worker, a moment ago
            await uow.flush()


def _posted_meanwhile(month: str) -> Conflict:
    return Conflict(
        f"income earned in {month} was being posted by the ledger's worker as the month was "
        "closed: close it again",
        field="month",
    )


async def reopen_period(command: ReopenPeriod, *, uow: LedgerUnitOfWork) -> dict[str, Any]:
    """The reopening, as the period history holds it."""
    _check_month(command.month)
    if not await uow.book.reopen(command.month, by=command.by, reason=command.reason):
        raise Conflict(f"period {command.month} is not closed", field="month")
    uow.audit(
        "period.reopened", object_type="period", object_id=command.month, summary=command.reason
    )
    return (await uow.book.period_events())[0]


def _check_month(month: str) -> None:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise Invalid("a period is a month written YYYY-MM", field="month")
