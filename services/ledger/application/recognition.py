"""Income recognised as it falls due: the recognition job posts every scheduled recognition
whose day has come."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.ledger.application.book_entries import post
from services.ledger.application.unit_of_work import LedgerUnitOfWork
from services.ledger.domain.transaction import JournalTransaction
from shared.bus import Command


@dataclass(frozen=True)
class RecogniseDue(Command["list[JournalTransaction]"]):
    """Post the recognitions due today (the result: those posted now)."""


async def recognise_due(
    _: RecogniseDue, *, uow: LedgerUnitOfWork, today: date
) -> list[JournalTransaction]:
    """A rerun finds them in the book and posts nothing; of two workers running it at once,
    the second's insert of the same keys fails and it rolls back, leaving them to the first."""
    await post(uow, await uow.schedule.due(today))
    return await uow.flush()
