"""A milestone the LA pays for once it signs it off, and the invoice that follows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from shared.money import Amounts


@dataclass
class Milestone:
    id: UUID
    title: str
    due_on: date
    payment_pence: int
    completed_on: date | None = None
    signed_off_by: str | None = None  # the signer's identity, from their token
    signed_off_at: datetime | None = None
    evidence: str = ""  # what the LA saw before signing off: a report, a visit note

    @property
    def completed(self) -> bool:
        return self.completed_on is not None


@dataclass(frozen=True)
class LaInvoice:
    """The invoice keeps the milestone's full amounts; service credits reduce what is payable."""

    id: UUID
    number: str
    contract_id: UUID
    milestone_id: UUID
    issued_on: date
    due_on: date
    amounts: Amounts

    def payable_after(self, credits: list[Amounts]) -> Amounts:
        """What the LA pays: the milestone's amounts less the service credits applied here."""
        return less_credits(self.amounts, credits)


def less_credits(amounts: Amounts, credits: list[Amounts]) -> Amounts:
    """What the LA pays on an invoice of these amounts once these service credits come off."""
    return Amounts(
        net=amounts.net - sum(credit.net for credit in credits),
        vat=amounts.vat - sum(credit.vat for credit in credits),
    )
