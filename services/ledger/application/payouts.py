"""Stripe's payouts: each imported once, each emptying Stripe clearing of its payments."""

from __future__ import annotations

from dataclasses import dataclass

from services.ledger.application.book_entries import post
from services.ledger.application.unit_of_work import LedgerUnitOfWork
from services.ledger.domain.reconciliation import Payout, paid_out
from shared.bus import Command


@dataclass(frozen=True)
class ImportPayouts(Command["int"]):
    """Record these payouts (the result: how many were new); one imported twice counts once."""

    payouts: list[Payout]


async def import_payouts(command: ImportPayouts, *, uow: LedgerUnitOfWork) -> int:
    imported = 0
    for payout in command.payouts:
        if await uow.payouts.known(payout.payout_id):
            continue
        await uow.payouts.add(payout)
        await post(uow, [paid_out(payout)])
        imported += 1
    return imported
