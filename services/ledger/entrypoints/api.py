"""Ledger HTTP API: the book itself, and what finance does to it (finance and admin only)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from annotated_types import MaxLen
from fastapi import APIRouter, Query, Response

from services.ledger.application import handlers, reports
from services.ledger.application import journal as journal_view
from services.ledger.domain.accounts import FIXED
from services.ledger.domain.posting_rules import journal
from services.ledger.domain.reconciliation import Payout
from services.ledger.domain.transaction import Dimensions
from services.ledger.entrypoints.schemas import Finance, UnitOfWorkDep
from shared.api.ledger import (
    MAX_PAYOUTS_IN_A_REPORT,
    BalancePublic,
    ImportedPublic,
    IncomeByStrandPublic,
    JournalCreate,
    JournalEntryPublic,
    PayoutCreate,
    PeriodEventPublic,
    PeriodPublic,
    ReopeningCreate,
    ReversalCreate,
    TransactionPublic,
)
from shared.bounds import Day, Label, Month, Offset
from shared.deps import Today
from shared.errors import NotFound

router = APIRouter(tags=["ledger"])


@router.get("/accounts")
async def chart_of_accounts(uow: UnitOfWorkDep, _: Finance, today: Today) -> list[BalancePublic]:
    """The chart of accounts: the fixed accounts and every income account opened so far, each
    with its balance today."""
    async with uow:
        opened = {row["code"]: row for row in await uow.book.balances(as_of=today)}
    for account in FIXED:
        opened.setdefault(
            account.code,
            {
                "code": account.code,
                "name": account.name,
                "kind": account.kind,
                "strand": account.strand,
                "balance_pence": 0,
            },
        )
    return [BalancePublic.model_validate(opened[code]) for code in sorted(opened)]


@router.get("/balances")
async def balances(
    uow: UnitOfWorkDep, _: Finance, today: Today, as_of: Day | None = None
) -> list[BalancePublic]:
    """Every account's balance in pence (debit positive, credit negative) at the end of
    `as_of` (default: today): nothing dated later counts."""
    async with uow:
        found = await uow.book.balances(as_of=as_of or today)
    return [BalancePublic.model_validate(row) for row in found]


@router.get("/reports/income-by-strand")
async def income_by_strand(
    uow: UnitOfWorkDep, _: Finance, today: Today, as_of: Day | None = None
) -> IncomeByStrandPublic:
    """Income recognised in each strand, never mixed, this financial year to `as_of` (default:
    today), before VAT."""
    return IncomeByStrandPublic.model_validate(
        await reports.income_by_strand(uow, as_of=as_of or today)
    )


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
    async with uow:
        found = await uow.book.transactions_for(
            source_event_id=source_event_id, account=account, limit=limit, offset=offset
        )
    return [TransactionPublic.model_validate(row) for row in found]


@router.get("/journal")
async def journal_as_read(
    uow: UnitOfWorkDep,
    _: Finance,
    today: Today,
    as_of: Day | None = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 500,
    offset: Offset = 0,
) -> list[JournalEntryPublic]:
    """The journal as an accountant reads it, newest first: entries posted by `as_of` (default
    today), one line per account in debit and credit columns, the school's name beside its
    URN, the source document, and a sale's recognition schedule shown once."""
    entries = await journal_view.journal(uow, as_of=as_of or today, limit=limit, offset=offset)
    return [JournalEntryPublic.model_validate(entry) for entry in entries]


@router.post("/transactions/{transaction_id}/reverse", status_code=201)
async def reverse_transaction(
    transaction_id: UUID, body: ReversalCreate, uow: UnitOfWorkDep, _: Finance, today: Today
) -> TransactionPublic:
    """Undo a transaction by posting its reversal, which points at it; nothing is deleted."""
    undo = await handlers.reverse(
        uow, transaction_id=transaction_id, on=body.on or today, reason=body.reason
    )
    async with uow:
        (found,) = await uow.book.transactions_for(key=undo.source.key)
    return TransactionPublic.model_validate(found)


@router.post("/journals")
async def post_journal(
    body: JournalCreate, response: Response, uow: UnitOfWorkDep, _: Finance
) -> TransactionPublic:
    """Finance's own journal (reserves, staff development, grants, overheads), once per
    reference: 201 when posted, 200 when that reference was posted before."""
    entry = journal(
        reference=body.reference,
        description=body.description,
        on=body.on,
        lines=[
            (
                line.account,
                line.amount_pence,
                Dimensions(urn=line.urn, contract_id=line.contract_id, document=line.document),
            )
            for line in body.lines
        ],
    )
    response.status_code = 201 if await handlers.post_journal(uow, entry) else 200
    async with uow:
        (found,) = await uow.book.transactions_for(key=entry.source.key)
    return TransactionPublic.model_validate(found)


@router.get("/periods")
async def closed_periods(uow: UnitOfWorkDep, _: Finance) -> list[PeriodPublic]:
    """The months finance has closed."""
    async with uow:
        return [PeriodPublic.model_validate(row) for row in await uow.book.periods()]


@router.post("/periods/{month}/close", status_code=201)
async def close_period(month: Month, uow: UnitOfWorkDep, user: Finance) -> PeriodPublic:
    """Close a month (YYYY-MM): what is dated in it from now on posts in the next open month."""
    await handlers.close_period(uow, month=month, by=user.subject)
    return PeriodPublic(month=month, closed_by=user.subject)


@router.post("/periods/{month}/reopen")
async def reopen_period(
    month: Month, body: ReopeningCreate, uow: UnitOfWorkDep, user: Finance
) -> PeriodEventPublic:
    """Reopen a closed month (YYYY-MM), with a reason; what moved to the next month stays."""
    await handlers.reopen_period(uow, month=month, by=user.subject, reason=body.reason)
    async with uow:
        return PeriodEventPublic.model_validate((await uow.book.period_events())[0])


@router.get("/periods/history")
async def period_history(uow: UnitOfWorkDep, _: Finance) -> list[PeriodEventPublic]:
    """Every closing and reopening of a month, newest first: who, when, and why."""
    async with uow:
        return [PeriodEventPublic.model_validate(row) for row in await uow.book.period_events()]


@router.post("/stripe/payouts")
async def import_payouts(
    body: Annotated[list[PayoutCreate], MaxLen(MAX_PAYOUTS_IN_A_REPORT)],
    uow: UnitOfWorkDep,
    _: Finance,
) -> ImportedPublic:
    """Import payouts from Stripe's payout report; each empties clearing for its payments."""
    payouts = [
        Payout(
            payout_id=item.payout_id,
            arrival_on=item.arrival_on,
            amount_pence=item.amount_pence,
            fee_pence=item.fee_pence,
            references=tuple(item.payment_references),
        )
        for item in body
    ]
    return ImportedPublic(imported=await handlers.import_payouts(uow, payouts))


@router.get("/transactions/{transaction_id}")
async def one_transaction(
    transaction_id: UUID, uow: UnitOfWorkDep, _: Finance
) -> TransactionPublic:
    """One transaction with its postings and the event that caused it (drill-down)."""
    async with uow:
        found = await uow.book.transactions_for(transaction_id=transaction_id)
    if not found:
        raise NotFound(f"no transaction {transaction_id}")
    return TransactionPublic.model_validate(found[0])
