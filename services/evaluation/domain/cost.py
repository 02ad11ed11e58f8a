"""What a programme cost, from the ledger's postings, and what its impact cost per pupil.

A traded service's cost to the system is what schools paid for it (the income the ledger
credits against that service); brokered support's cost is the provider cost the ledger debits
for the deployments of the linked cases. The ledger books a provider cost in answer to a
deployment's completion, so a posting names the deployment's case through that event; a school
may have successive cases under one contract, and only the linked case's postings count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from uuid import UUID

PENCE_PER_THOUSAND_POUNDS = 100_000


@dataclass(frozen=True)
class CostPosting:
    account: str
    amount_pence: int  # debit positive, credit negative
    urn: int | None
    service_id: UUID | None
    contract_id: UUID | None
    case_id: UUID | None = None  # the case of the deployment it was booked for, when known
    posted_on: date | None = None

    @property
    def kind(self) -> str:
        """`traded:income:cpd` → income; the chart of accounts names the kind second."""
        parts = self.account.split(":")
        return parts[1] if len(parts) > 1 else ""


def programme_cost_pence(
    postings: list[CostPosting],
    *,
    service_ids: set[UUID],
    case_ids: set[UUID],
    supported: set[tuple[UUID, int]],
    participants: set[int],
    runs_on: Callable[[date], bool] = lambda _: True,
) -> int:
    """`supported`: (contract id, URN) of each school a linked case's deployments reached.

    What schools paid for a linked service counts for the schools taking part (`participants`,
    the report's one list) alone: a school whose order was cancelled, and which so takes no
    part, may have kept part of it (a course cancelled late, the used months of a subscription),
    and that money is no cost of the pupils the report counts.

    A cost posting whose case is known counts when that case is linked. One whose case is not
    known (kept before evaluation noted which event completed each deployment, or a journal of
    finance's own) falls back to its contract and school: it counts when a linked case's
    deployment reached that school under that contract, even if another case booked it.
    A posting on a day the programme does not run on (`runs_on`: before its start or after its
    last day) is not its cost.
    """
    total = 0
    for posting in postings:
        if posting.posted_on is not None and not runs_on(posting.posted_on):
            continue
        if posting.kind == "income" and posting.service_id in service_ids:
            if posting.urn in participants:
                total -= posting.amount_pence  # income is a credit: its negation is the spend
        elif posting.kind in {"cost", "expense"} and _linked(posting, case_ids, supported):
            total += posting.amount_pence
    return total


def _linked(posting: CostPosting, case_ids: set[UUID], supported: set[tuple[UUID, int]]) -> bool:
    if posting.case_id is not None:
        return posting.case_id in case_ids
    return (
        posting.contract_id is not None
        and posting.urn is not None
        and (posting.contract_id, posting.urn) in supported
    )


@dataclass(frozen=True)
class ValueForMoney:
    cost_pence: int
    pupils: int
    cost_per_pupil_pence: int | None  # rounded to show; None: no cost recorded or no pupils
    impact_per_1000_pounds_per_pupil: float | None


def value_for_money(*, cost_pence: int, pupils: int, effect_size: float | None) -> ValueForMoney:
    """Effect size bought per £1,000 spent per pupil: a board's comparison across programmes.
    The impact divides by the exact cost per pupil; only the cost shown is rounded."""
    if pupils <= 0 or cost_pence <= 0:
        return ValueForMoney(cost_pence, pupils, None, None)
    per_pupil = Fraction(cost_pence, pupils)
    impact = None
    if effect_size is not None:
        impact = effect_size * float(PENCE_PER_THOUSAND_POUNDS / per_pupil)
    return ValueForMoney(cost_pence, pupils, round(per_pupil), impact)
