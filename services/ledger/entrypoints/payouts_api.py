"""Stripe's payout report, imported by finance (finance and admin only)."""

from __future__ import annotations

from typing import Annotated

from annotated_types import MaxLen
from fastapi import APIRouter

from services.ledger.application.payouts import ImportPayouts
from services.ledger.domain.reconciliation import Payout
from services.ledger.entrypoints.deps import BusDep, Finance
from shared.api.ledger import MAX_PAYOUTS_IN_A_REPORT, ImportedPublic, PayoutCreate

router = APIRouter(tags=["ledger"])


@router.post("/stripe/payouts")
async def import_payouts(
    body: Annotated[list[PayoutCreate], MaxLen(MAX_PAYOUTS_IN_A_REPORT)], bus: BusDep, _: Finance
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
    return ImportedPublic(imported=await bus.handle(ImportPayouts(payouts)))
