from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    text,
)

from services.ledger.domain.transaction import DESCRIPTION_WIDTH, REVERSAL_REASON_WIDTH
from shared.messaging.tables import add_messaging_tables

metadata = MetaData()
messaging = add_messaging_tables(metadata)

accounts = Table(
    "accounts",
    metadata,
    Column("code", String(120), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(12), nullable=False),
    Column("strand", String(10)),
)

# Only ever inserted: never updated, never deleted (a reversal points at what it undoes).
transactions = Table(
    "journal_transactions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("source_key", String(120), nullable=False, unique=True),
    Column("source_event_id", String(36), index=True),
    Column("source_subject", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("strand", String(10), nullable=False),  # traded, statutory, or core
    Column("description", String(DESCRIPTION_WIDTH), nullable=False),
    Column("dated", Date, nullable=False),
    Column("posted_on", Date, nullable=False, index=True),
    Column("financial_year", String(7), nullable=False),
    Column("note", String(300)),
    Column("reverses_id", Uuid, ForeignKey("journal_transactions.id"), unique=True),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    # the outside party's own reference, kept whole (the bank's for an LA payment; the API takes
    # one of 100 characters at most)
    Column("reference", String(100)),
    Column("reversal_reason", String(REVERSAL_REASON_WIDTH)),  # a reversal's, kept whole
)

postings = Table(
    "journal_postings",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column(
        "transaction_id", Uuid, ForeignKey("journal_transactions.id"), nullable=False, index=True
    ),
    Column("account", String(120), ForeignKey("accounts.code"), nullable=False),
    Column("amount_pence", BigInteger, nullable=False),
    Column("strand", String(10), nullable=False),
    Column("posted_on", Date, nullable=False),
    Column("dated", Date, nullable=False),  # the transaction's own date (an invoice's, say)
    Column("financial_year", String(7), nullable=False),
    Column("month", String(7), nullable=False),
    Column("urn", Integer),
    Column("phase", String(40)),
    Column("la_code", String(10)),
    Column("service_id", String(36)),
    Column("category", String(60)),
    Column("contract_id", String(36)),
    Column("funding_source", String(30)),
    Column("document", String(200)),  # a provider cost's: the provider's name, whole
    Column("cfr_code", String(4)),
    Column("trust_code", String(20)),
    # an account's postings in the order a statement pages through them
    Index("ix_journal_postings_account_posted_on", "account", "posted_on", "id"),
    Index("ix_journal_postings_document", "document"),
    Index("ix_journal_postings_posted_on", "posted_on"),
)

# What the reports group postings by: a balance is kept per account, month and each value of
# these. To add one, add the posting's column here and a migration that adds it to `balances`
# (and rebuilds them with `adapters.balances.rebuild`).
BALANCE_DIMENSIONS = (
    "strand",
    "urn",
    "phase",
    "la_code",
    "service_id",
    "category",
    "contract_id",
    "funding_source",
    "cfr_code",
)

# The sum of the postings of each account, month and combination of dimensions, kept in the
# transaction that posts them: the reports read these instead of every posting.
balances = Table(
    "balances",
    metadata,
    Column("month", String(7), primary_key=True),
    Column("account", String(120), primary_key=True),
    Column("dimensions_key", String(400), primary_key=True),  # the values below, joined
    *(postings.c[name]._copy() for name in BALANCE_DIMENSIONS),
    Column("amount_pence", BigInteger, nullable=False),
    Column("debit_pence", BigInteger, nullable=False),  # its positive postings only
    # what the reports by school read, from the index alone: an account's months, school by school
    Index(
        "ix_balances_account_month",
        "account",
        "month",
        "strand",
        "urn",
        "phase",
        "amount_pence",
        "debit_pence",
    ),
)

# The same sums across every school: the school's own dimensions left out, so a report that
# names no school reads a few rows per account and month instead of one per school; and by day,
# for the days of a period around its whole months, instead of the postings.
SCHOOL_DIMENSIONS = ("urn", "phase", "la_code")
ACROSS_SCHOOLS_DIMENSIONS = tuple(d for d in BALANCE_DIMENSIONS if d not in SCHOOL_DIMENSIONS)


def _across_schools(name: str, *days: Column[Any]) -> Table:
    return Table(
        name,
        metadata,
        *days,
        Column("account", String(120), primary_key=True),
        Column("dimensions_key", String(400), primary_key=True),  # the values below, joined
        *(postings.c[name]._copy() for name in ACROSS_SCHOOLS_DIMENSIONS),
        Column("amount_pence", BigInteger, nullable=False),
        Column("debit_pence", BigInteger, nullable=False),
    )


balances_across_schools = _across_schools(
    "balances_across_schools", Column("month", String(7), primary_key=True)
)
balances_across_schools_by_day = _across_schools(
    "balances_across_schools_by_day",
    Column("posted_on", Date, primary_key=True),
    Column("month", String(7), nullable=False),  # the day's
)

# What is still owed on each school invoice, kept as it is posted, for the aged debt (a posting
# with no document is kept under "").
open_items = Table(
    "open_items",
    metadata,
    Column("account", String(120), primary_key=True),
    Column("document", String(120), primary_key=True),
    # NO_SCHOOL: the LA's, a trust's invoice (trust_code) or a journal that named no school
    Column("urn", Integer, primary_key=True),
    Column("trust_code", String(20)),
    Column("first_debit_on", Date),  # the `dated` of its first debit: the invoice's day
    Column("amount_pence", BigInteger, nullable=False),
    # what the aged debt reads, from the index alone: the invoices still owed, debtor by debtor
    Index(
        "ix_open_items_owed",
        "account",
        "urn",
        "trust_code",
        "first_debit_on",
        "amount_pence",
        sqlite_where=text("amount_pence > 0"),
        postgresql_where=text("amount_pence > 0"),
    ),
)

# An LA invoice's number by its id, from commissioning's invoice.raised events: a service credit
# sent before credits named their invoice's number (an old event replayed) is filed under the
# number. A credit that comes first claims the row with no number, which its invoice's event
# then fills in (and files the credit under it).
la_invoice_numbers = Table(
    "la_invoice_numbers",
    metadata,
    Column("invoice_id", String(36), primary_key=True),
    Column("number", String(20)),
)

# Income not yet earned: each recognition waits here, keyed as its journal transaction will be,
# until the recognition job posts it on (or after) its day. A row is never changed: it is due
# once its day has come and posted while no transaction in the book has its key.
scheduled_recognitions = Table(
    "scheduled_recognitions",
    metadata,
    Column("source_key", String(120), primary_key=True),
    Column("source_event_id", String(36)),
    Column("source_subject", String(200), nullable=False),
    Column("strand", String(10), nullable=False),
    Column("description", String(DESCRIPTION_WIDTH), nullable=False),
    Column("due_on", Date, nullable=False, index=True),
    Column("postings", Text, nullable=False),  # JSON: account, name, kind, pence, dimensions
)

# An order whose lines await delivery (a consultancy day, a one-off): its row is taken first by
# every event of the order that touches such a line, so two workers apply them one at a time;
# `delivered_on` is set by the order's fulfilment.
order_deliveries = Table(
    "order_deliveries",
    metadata,
    Column("order_id", String(36), primary_key=True),
    Column("delivered_on", Date),
)

# The net income of each such line held in deferred income until its order is delivered: what
# its sale put there less what refunds and credit notes before delivery took back. The
# fulfilment moves it to income and deletes the row.
awaiting_delivery = Table(
    "awaiting_delivery",
    metadata,
    Column("order_id", String(36), primary_key=True),
    Column("line_id", String(36), primary_key=True),
    Column("pence", BigInteger, nullable=False),
    Column("dimensions", Text, nullable=False),  # JSON: those of the postings that held it
    # the sale's invoice or payment reference, for the journal to say what a sale still holds
    Column("document", String(120), index=True),
)

# Each termed line (a subscription's) as its sale sold it, one row however long its term: each
# month of the term earns its part of the net (`recognition.monthly`) less what `term_months`
# says refunds and credit notes took from it. A give-back of the line takes its row first (on
# PostgreSQL), so that two give-backs of it take from its months one after the other.
term_lines = Table(
    "term_lines",
    metadata,
    Column("order_id", String(36), primary_key=True),
    Column("line_id", String(36), primary_key=True),
    Column("net_pence", BigInteger, nullable=False),
    Column("term_start", Date, nullable=False),
    Column("term_end", Date, nullable=False),
)

# What refunds and credit notes of a termed line took from each month of its term (as less it
# earns: negative), added to by each (a give-back applied before its sale takes from nothing).
# A line sold before `term_lines` was kept has its sale's part here too. A give-back of the line
# reads both to take from each month what leaves it the spread of what is left
# (`recognition.given_back`); a sale writes nothing here.
term_months = Table(
    "term_months",
    metadata,
    Column("order_id", String(36), primary_key=True),
    Column("line_id", String(36), primary_key=True),
    Column("earned_on", Date, primary_key=True),  # the month's day of recognition
    Column("pence", BigInteger, nullable=False),
)

periods = Table(
    "closed_periods",
    metadata,
    Column("month", String(7), primary_key=True),
    Column("closed_by", String(200), nullable=False),
    Column("closed_at", DateTime(timezone=True), nullable=False),
)

# Every closing and reopening of a month, for the audit: only ever inserted.
period_events = Table(
    "period_events",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("month", String(7), nullable=False, index=True),
    Column("action", String(10), nullable=False),  # closed | reopened
    Column("by", String(200), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("reason", String(300)),
)

schools = Table(
    "schools",
    metadata,
    Column("urn", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("phase", String(40), nullable=False),
    Column("la_code", String(10), nullable=False),
    Column("la_name", String(100), nullable=False),
    Column("version", BigInteger, nullable=False, server_default="0"),
)

# Each service's title as the order lines that sold it gave it, for the reports' names.
service_names = Table(
    "service_names",
    metadata,
    Column("service_id", String(36), primary_key=True),
    Column("title", String(200), nullable=False),
)

# Each commissioning contract's reference and title, from `commissioning.contract.signed.v1`.
contract_names = Table(
    "contract_names",
    metadata,
    Column("contract_id", String(36), primary_key=True),
    Column("reference", String(60), nullable=False),
    Column("title", String(200), nullable=False),
)

payouts = Table(
    "stripe_payouts",
    metadata,
    Column("payout_id", String(60), primary_key=True),
    Column("arrival_on", Date, nullable=False),
    Column("amount_pence", BigInteger, nullable=False),
    Column("fee_pence", BigInteger, nullable=False),
)

payout_references = Table(
    "stripe_payout_references",
    metadata,
    Column("payout_id", String(60), ForeignKey("stripe_payouts.payout_id"), primary_key=True),
    Column("payment_reference", String(120), primary_key=True),
)
