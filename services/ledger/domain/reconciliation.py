"""Stripe payouts against Stripe clearing.

Finance imports each payout from Stripe's payout report: its id, the day it reached the bank,
the amount paid in, Stripe's fee, and the payment references (PaymentIntent ids) it settles.
Paying out empties clearing: Dr bank (amount), Dr card fees (fee), Cr Stripe clearing (both).
A payout matches when amount + fee equals what the book holds in clearing for its references up
to its arrival, less what earlier payouts paid out of them (a refund after a payout is taken
back by a later one).
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


Movements = dict[str, list[tuple[date, int]]]  # reference → its clearing (day, net pence)


def check_payouts(
    payouts: list[Payout], clearing: Movements
) -> tuple[list[PayoutCheck], dict[str, tuple[int, date]]]:
    """Each payout, in order of arrival, checked against what clearing holds for its payments
    up to its arrival that no earlier payout paid out (a refund made after a payment was paid
    out is taken back by a later payout listing the payment again: it counts there, not against
    the first); a payment listed again with nothing new since is paid out twice. And what still
    waits in clearing: each payment's pence no payout has settled, with the day they began."""
    settled_to: dict[str, date] = {}  # reference → the arrival of the last payout listing it
    checks = []
    for payout in sorted(payouts, key=lambda found: found.arrival_on):
        expected, repeated = 0, []
        for ref in payout.references:
            new = _unsettled(clearing.get(ref, []), after=settled_to.get(ref))
            new = [(day, pence) for day, pence in new if day <= payout.arrival_on]
            if ref in settled_to and not new:
                repeated.append(ref)
            expected += sum(pence for _, pence in new)
            settled_to[ref] = payout.arrival_on
        checks.append(
            PayoutCheck(
                payout_id=payout.payout_id,
                arrival_on=payout.arrival_on,
                gross_pence=payout.gross_pence,
                expected_pence=expected,
                unknown_references=tuple(ref for ref in payout.references if ref not in clearing),
                repeated_references=tuple(repeated),
            )
        )
    waiting = {}
    for ref, movements in sorted(clearing.items()):
        left = _unsettled(movements, after=settled_to.get(ref))
        if pence := sum(pence for _, pence in left):
            waiting[ref] = (pence, min(day for day, _ in left))
    return checks, waiting


def _unsettled(movements: list[tuple[date, int]], *, after: date | None) -> list[tuple[date, int]]:
    return [(day, pence) for day, pence in movements if after is None or day > after]
