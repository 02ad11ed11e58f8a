"""A journal transaction: postings that balance to the penny, in one strand at most, keyed by
what caused it. A transaction is never changed: a mistake is put right by its reversal."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from uuid import UUID, uuid5

from services.ledger.domain.accounts import DEFERRED_INCOME, Account, AccountKind
from shared.calendar import long_date
from shared.errors import Invalid
from shared.fitting import shortened
from shared.money import Strand

_KEYS = UUID("6f1c1f4e-9b1e-4a57-8d7e-0c3b2f1a9d21")


@dataclass(frozen=True)
class Dimensions:
    """What a posting is about, beside its account; its month and financial year come from the
    date it is posted on."""

    urn: int | None = None
    phase: str | None = None
    la_code: str | None = None
    service_id: str | None = None
    category: str | None = None
    contract_id: str | None = None
    funding_source: str | None = None
    document: str | None = None  # invoice number, payment reference, payout id…
    cfr_code: str | None = None  # the CFR code a maintained school books the purchase against
    trust_code: str | None = None  # an academy trust that is the customer (its own receivable)

    def but(self, **changes: str | int | None) -> Dimensions:
        return replace(self, **changes)  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, str | int | None]:
        return dict(vars(self))  # `dataclasses.asdict`, without its deep copies of each value


@dataclass(frozen=True)
class Posting:
    account: Account
    amount_pence: int  # debit positive, credit negative
    dimensions: Dimensions = Dimensions()


@dataclass(frozen=True)
class Source:
    """What caused a transaction. `key` is unique in the book: the same cause never posts twice
    (an event's own transaction is keyed by its id; its recognitions by id and date)."""

    key: str
    subject: str
    event_id: UUID | None = None


# The causes of what finance makes through the API, which no other service's event causes (and
# so no stream holds): its journals, its reversals, the Stripe payouts it imports and the LA's
# payments of its invoices.
JOURNAL_SUBJECT = "ledger.journal"
REVERSAL_SUBJECT = "ledger.reversal"
PAYOUT_SUBJECT = "ledger.stripe.payout"
LA_PAYMENT_SUBJECT = "ledger.la.payment"
MADE_THROUGH_THE_API = (JOURNAL_SUBJECT, REVERSAL_SUBJECT, PAYOUT_SUBJECT, LA_PAYMENT_SUBJECT)

REVERSAL_REASON_WIDTH = 200
"""The longest reason for a reversal finance may give: kept whole, beside the description that
quotes it (and may be shortened)."""

DESCRIPTION_WIDTH = 300
"""The longest description the book keeps (and announces): one composed around a refund's or a
service credit's reason, or a provider's name, is shortened to it with an ellipsis."""


@dataclass(frozen=True)
class JournalTransaction:
    source: Source
    kind: str  # sale, recognition, refund, settlement, la_invoice, … (see the posting rules)
    strand: Strand  # core: the company's own accounts only, in neither strand
    description: str
    dated: date  # the day it happened; it is posted then unless that month is closed
    postings: tuple[Posting, ...]
    reverses: UUID | None = None
    reference: str | None = None  # the outside party's own, kept whole: the bank's for a payment
    reversal_reason: str | None = None  # a reversal's: finance's reason, kept whole

    def __post_init__(self) -> None:
        object.__setattr__(self, "description", shortened(self.description, DESCRIPTION_WIDTH))
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
            if self.strand is not Strand.CORE and _companys_own(posting.account):
                raise Invalid(
                    f"account {posting.account.code} is the company's own (core) income or "
                    f"cost, kept out of the strands; this transaction is {self.strand}",
                    field="postings",
                )

    @cached_property
    def id(self) -> UUID:
        """Derived from the source key, so a replay into an empty book rebuilds the same ids."""
        return uuid5(_KEYS, self.source.key)


def _companys_own(account: Account) -> bool:
    """Income or cost of neither strand (grants, overheads, staff development): the core's. The
    balance-sheet accounts of neither strand (bank, receivables, VAT, deferred income) are
    shared by all three."""
    return account.strand is None and account.kind in (AccountKind.INCOME, AccountKind.EXPENSE)


def strand_of(accounts: list[Account], stated: Strand | None = None) -> Strand:
    """The one strand a set of accounts belongs to (core if none); two strands in one
    transaction are refused. A journal of shared balance-sheet accounts alone may be `stated` to
    be a strand's: a sale imported from earlier books, money at the bank and income deferred."""
    strands = {account.strand for account in accounts if account.strand is not None}
    if len(strands) > 1:
        raise Invalid("a transaction may not mix the traded and statutory strands", field="lines")
    found = next(iter(strands), Strand.CORE)
    if stated is None or stated == found:
        return found
    if found is not Strand.CORE or any(_companys_own(account) for account in accounts):
        raise Invalid(f"these accounts make the journal {found}, not {stated}", field="strand")
    return stated


def reversal(
    original: JournalTransaction, *, on: date, reason: str, original_id: UUID | None = None
) -> JournalTransaction:
    """The transaction that undoes `original`, pointing at it; the original stays as it was.
    It is dated no earlier than the original: before, it would take the original's income,
    costs and debts out of days the original was never in."""
    if not reason.strip() or len(reason) > REVERSAL_REASON_WIDTH:
        raise Invalid(
            f"a reversal needs a reason of 1 to {REVERSAL_REASON_WIDTH} characters", field="reason"
        )
    if on < original.dated:
        raise Invalid(
            f"a reversal is dated on or after the day of what it undoes, "
            f"{long_date(original.dated)}, not {long_date(on)}",
            field="on",
        )
    target = original_id or original.id
    return JournalTransaction(
        source=Source(f"reversal:{target}", REVERSAL_SUBJECT, original.source.event_id),
        kind="reversal",
        strand=original.strand,
        description=f"Reversal of '{original.description}': {reason}",
        dated=on,
        postings=tuple(replace(p, amount_pence=-p.amount_pence) for p in original.postings),
        reverses=target,
        reversal_reason=reason,
    )


def income_recognised_later(transaction: JournalTransaction) -> bool:
    """Whether an event's transaction moved deferred income, which the book's own transactions
    scheduled with it recognise later (month by month, on a course's day, on the order's
    delivery): a sale that put income there, a refund or credit note that took it back, or one
    of those recognitions. Reversed alone, its schedule would still post."""
    return transaction.source.event_id is not None and any(
        posting.account.code == DEFERRED_INCOME.code for posting in transaction.postings
    )


def without_zero(postings: list[Posting]) -> tuple[Posting, ...]:
    return tuple(posting for posting in postings if posting.amount_pence != 0)
