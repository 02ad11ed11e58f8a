"""Stripe payouts against Stripe clearing.

Finance imports each payout from Stripe's payout report: its id, the day it reached the bank,
the amount paid in, Stripe's fee, and the payment references (PaymentIntent ids) it settles.
Paying out empties clearing: Dr bank (amount), Dr card fees (fee), Cr Stripe clearing (both).
A payout matches when amount + fee equals what the book holds in clearing for its references.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.ledger.domain import accounts as chart
from services.ledger.domain.transaction import (
    PAYOUT_SUBJECT,
    Dimensions,
    JournalTransaction,
    Posting,
    Source,
    without_zero,
)
from shared.money import Strand


@dataclass(frozen=True)
class Payout:
    payout_id: str
    arrival_on: date
    amount_pence: int
    fee_pence: int
    references: tuple[str, ...]

    @property
    def gross_pence(self) -> int:
        return self.amount_pence + self.fee_pence


def paid_out(payout: Payout) -> JournalTransaction:
    at = Dimensions(document=payout.payout_id)
    return JournalTransaction(
        source=Source(f"payout:{payout.payout_id}", PAYOUT_SUBJECT),
        kind="payout",
        strand=Strand.TRADED,
        description=f"Stripe payout {payout.payout_id} ({len(payout.references)} payments)",
        dated=payout.arrival_on,
        postings=without_zero(
            [
                Posting(chart.BANK, payout.amount_pence, at),
                Posting(chart.CARD_FEES, payout.fee_pence, at),
                Posting(chart.STRIPE_CLEARING, -payout.gross_pence, at),
            ]
        ),
    )


@dataclass(frozen=True)
class PayoutCheck:
    payout_id: str
    arrival_on: date
    gross_pence: int
    expected_pence: int
    unknown_references: tuple[str, ...]
    repeated_references: tuple[str, ...]

    @property
    def difference_pence(self) -> int:
        return self.gross_pence - self.expected_pence

    @property
    def matched(self) -> bool:
        return not (self.difference_pence or self.unknown_references or self.repeated_references)


def check_payouts(
    payouts: list[Payout], clearing: dict[str, int]
) -> tuple[list[PayoutCheck], dict[str, int]]:
    """Each payout checked against clearing (reference → net pence from sales and refunds), and
    the references still waiting in clearing that no payout has settled."""
    seen: dict[str, str] = {}
    checks = []
    for payout in payouts:
        repeated = tuple(ref for ref in payout.references if ref in seen)
        for ref in payout.references:
            seen.setdefault(ref, payout.payout_id)
        checks.append(
            PayoutCheck(
                payout_id=payout.payout_id,
                arrival_on=payout.arrival_on,
                gross_pence=payout.gross_pence,
                expected_pence=sum(
                    clearing.get(ref, 0) for ref in payout.references if ref not in repeated
                ),
                unknown_references=tuple(ref for ref in payout.references if ref not in clearing),
                repeated_references=repeated,
            )
        )
    waiting = {ref: pence for ref, pence in sorted(clearing.items()) if ref not in seen and pence}
    return checks, waiting
