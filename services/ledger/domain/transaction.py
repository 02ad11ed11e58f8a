"""A journal transaction: postings that balance to the penny, all in one strand."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from uuid import UUID, uuid4

from services.ledger.domain.accounts import Account
from shared.errors import Invalid
from shared.money import Strand


@dataclass(frozen=True)
class Dimensions:
    financial_year: str
    urn: int | None = None
    phase: str | None = None
    service_id: str | None = None
    category: str | None = None
    contract_id: str | None = None

    def but(self, **changes: str | int | None) -> Dimensions:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Posting:
    account: Account
    amount_pence: int  # debit positive, credit negative
    dimensions: Dimensions


@dataclass(frozen=True)
class Source:
    """The event that caused a transaction: the key that stops a replay posting twice."""

    event_id: UUID
    subject: str


@dataclass(frozen=True)
class JournalTransaction:
    source: Source
    strand: Strand
    description: str
    posted_on: date
    postings: tuple[Posting, ...]
    id: UUID = field(default_factory=uuid4)

    def __post_init__(self) -> None:
        if not self.postings:
            raise Invalid("a transaction needs postings", field="postings")
        if sum(posting.amount_pence for posting in self.postings) != 0:
            raise Invalid("debits and credits must balance to the penny", field="postings")
        for posting in self.postings:
            if posting.account.strand not in (None, self.strand):
                raise Invalid(
                    f"account {posting.account.code} belongs to the {posting.account.strand} "
                    f"strand; this transaction is {self.strand}",
                    field="postings",
                )

    @property
    def financial_year(self) -> str:
        return self.postings[0].dimensions.financial_year


def without_zero(postings: list[Posting]) -> tuple[Posting, ...]:
    return tuple(posting for posting in postings if posting.amount_pence != 0)
