"""Journal transactions: the book itself, read as the database holds it or as an accountant
reads it, and what finance posts to it (finance and admin only)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from services.ledger.application import views
from services.ledger.application.journals import JournalLine, PostJournal, ReverseTransaction
from services.ledger.domain.transaction import Dimensions
from services.ledger.entrypoints.deps import AsOf, BusDep, Finance, UnitOfWorkDep
from shared.api.ledger import JournalCreate, JournalEntryPublic, ReversalCreate, TransactionPublic
from shared.bounds import Label, Offset

router = APIRouter(tags=["ledger"])


@router.get("/transactions")
async def list_transactions(
    uow: UnitOfWorkDep,
    _: Finance,
    source_event_id: Label | None = None,
    account: Label | None = None,
    limit: Annotated[int | None, Query(ge=1, le=10_000)] = None,
    offset: Offset = 0,
) -> list[TransactionPublic]:
    """Journal transactions in date order: those a given event caused, or those touching an
    account; a page of them with `limit` and `offset`."""
    found = await views.transactions(
        uow, source_event_id=source_event_id, account=account, limit=limit, offset=offset
    )
    return [TransactionPublic.model_validate(row) for row in found]


@router.get("/journal")
async def journal_as_read(
    uow: UnitOfWorkDep,
    _: Finance,
    as_of: AsOf,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 500,
    offset: Offset = 0,
) -> list[JournalEntryPublic]:
    """The journal as an accountant reads it, newest first: entries posted by `as_of` (default
    today), one line per account in debit and credit columns, the school's name beside its
    URN, the source document, and a sale's recognition schedule shown once."""
    entries = await views.journal(uow, as_of=as_of, limit=limit, offset=offset)
    return [JournalEntryPublic.model_validate(entry) for entry in entries]


@router.post("/transactions/{transaction_id}/reverse", status_code=201)
async def reverse_transaction(
    transaction_id: UUID, body: ReversalCreate, bus: BusDep, _: Finance
) -> TransactionPublic:
    """Undo a transaction by posting its reversal, which points at it; nothing is deleted."""
    command = ReverseTransaction(transaction_id, reason=body.reason, on=body.on)
    return TransactionPublic.model_validate(await bus.handle(command))


@router.post("/journals")
async def post_journal(
    body: JournalCreate, response: Response, bus: BusDep, _: Finance
) -> TransactionPublic:
    """Finance's own journal (reserves, staff development, grants, overheads), once per
    reference: 201 when posted, 200 when that reference was posted before."""
    command = PostJournal(
        reference=body.reference,
        description=body.description,
        on=body.on,
        lines=[
            JournalLine(
                line.account,
                line.amount_pence,
                Dimensions(
                    urn=line.urn,
                    contract_id=str(line.contract_id) if line.contract_id else None,
                    document=line.document,
                ),
            )
            for line in body.lines
        ],
        strand=body.strand,
    )
    journalled = await bus.handle(command)
    response.status_code = 201 if journalled.new else 200
    return TransactionPublic.model_validate(journalled.transaction)


@router.get("/transactions/{transaction_id}")
async def one_transaction(
    transaction_id: UUID, uow: UnitOfWorkDep, _: Finance
) -> TransactionPublic:
    """One transaction with its postings and the event that caused it (drill-down)."""
    return TransactionPublic.model_validate(await views.transaction(uow, transaction_id))
