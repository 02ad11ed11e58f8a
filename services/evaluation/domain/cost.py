"""What a programme cost, from the ledger's postings, and what its impact cost per pupil.

A traded service's cost to the system is what schools paid for it (the income the ledger
credits against that service); brokered support's cost is the provider cost the ledger debits
against the contract for the schools the case supported.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

PENCE_PER_THOUSAND_POUNDS = 100_000


@dataclass(frozen=True)
class CostPosting:
    account: str
    amount_pence: int  # debit positive, credit negative
    urn: int | None
    service_id: UUID | None
    contract_id: UUID | None

    @property
    def kind(self) -> str:
        """`traded:income:cpd` → income; the chart of accounts names the kind second."""
        parts = self.account.split(":")
        return parts[1] if len(parts) > 1 else ""


def programme_cost_pence(
    postings: list[CostPosting], *, service_ids: set[UUID], supported: set[tuple[UUID, int]]
) -> int:
    """`supported`: (contract id, URN) of each school a linked case's deployments reached."""
    total = 0
    for posting in postings:
        if posting.kind == "income" and posting.service_id in service_ids:
            total -= posting.amount_pence  # income is a credit: its negation is the spend
        elif (
            posting.kind in {"cost", "expense"}
            and posting.contract_id is not None
            and posting.urn is not None
            and (posting.contract_id, posting.urn) in supported
        ):
            total += posting.amount_pence
    return total


@dataclass(frozen=True)
class ValueForMoney:
    cost_pence: int
    pupils: int
    cost_per_pupil_pence: int | None
    impact_per_1000_pounds_per_pupil: float | None


def value_for_money(*, cost_pence: int, pupils: int, effect_size: float | None) -> ValueForMoney:
    """Effect size bought per £1,000 spent per pupil: a board's comparison across programmes."""
    if pupils <= 0 or cost_pence <= 0:
        return ValueForMoney(cost_pence, pupils, None, None)
    per_pupil = round(cost_pence / pupils)
    impact = None
    if effect_size is not None:
        impact = effect_size / (per_pupil / PENCE_PER_THOUSAND_POUNDS)
    return ValueForMoney(cost_pence, pupils, per_pupil, impact)
