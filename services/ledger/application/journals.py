"""Finance's own journals (reserves, staff development, grants, overheads), each posted once
per reference, and the reversal of a transaction, which points at it: nothing is deleted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from services.ledger.application.book_entries import post
from services.ledger.application.unit_of_work import LedgerUnitOfWork
from services.ledger.domain.entries import journal
from services.ledger.domain.transaction import Dimensions, income_recognised_later, reversal
from shared.bus import Command
from shared.errors import Conflict, NotFound
from shared.money import Strand
from shared.unique import taken_as


@dataclass(frozen=True)
class JournalLine:
    account: str
    amount_pence: int  # debit positive, credit negative
    dimensions: Dimensions


@dataclass(frozen=True)
class PostJournal(Command["Journalled"]):
    reference: str  # finance's own: sent twice, it posts once
    description: str
    on: date
    lines: list[JournalLine]
    strand: Strand | None = None  # of a journal of shared accounts alone; else its accounts'


@dataclass(frozen=True)
class ReverseTransaction(Command["dict[str, Any]"]):
    transaction_id: UUID
    reason: str
    on: date | None = None  # today if not given


@dataclass(frozen=True)
class Journalled:
    transaction: dict[str, Any]  # as the book holds it, postings included
    new: bool  # False when finance's reference was posted before


async def post_journal(command: PostJournal, *, uow: LedgerUnitOfWork) -> Journalled:
    entry = journal(
        reference=command.reference,
        description=command.description,
        on=command.on,
        lines=[(line.account, line.amount_pence, line.dimensions) for line in command.lines],
        strand=command.strand,
    )
    await post(uow, [entry])
    new = bool(await uow.flush())
    (found,) = await uow.book.transactions_for(key=entry.source.key)
    return Journalled(found, new=new)


async def reverse_transaction(
    command: ReverseTransaction, *, uow: LedgerUnitOfWork, today: date
) -> dict[str, Any]:
    """The reversal as the book holds it."""
    original = await uow.book.transaction(command.transaction_id)
    if original is None:
        raise NotFound(f"no transaction {command.transaction_id}")
    if original.reverses is not None:
        raise Conflict("a reversal is not reversed; post the correction again instead")
    if await uow.book.reversal_of(command.transaction_id):
        raise _already_reversed(command.transaction_id)
    if income_recognised_later(original):
        raise Conflict(
            f"transaction {command.transaction_id} moved deferred income, which the book "
            "recognises later by transactions scheduled with it (month by month, on a course's "
            "day or on its order's delivery): reversed alone, those would still be booked. Give "
            "the sale back in orders, by a refund or a credit note, which takes its income back "
            "too; correct anything else by a journal",
            field="transaction_id",
        )
    undo = reversal(
        original, on=command.on or today, reason=command.reason, original_id=command.transaction_id
    )
    await post(uow, [undo])
    async with taken_as(lambda: _already_reversed(command.transaction_id)):  # a moment ago
        posted = await uow.flush()
    if not posted:  # another request's reversal was committed since the look above
        raise _already_reversed(command.transaction_id)
    (found,) = await uow.book.transactions_for(key=undo.source.key)
    return found


def _already_reversed(transaction_id: UUID) -> Conflict:
    return Conflict(f"transaction {transaction_id} is already reversed", field="transaction_id")
