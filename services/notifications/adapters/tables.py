from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)

from shared.messaging.tables import add_messaging_tables

metadata = MetaData()
messaging = add_messaging_tables(metadata)

# Every message decided on, kept for good: one per occasion and recipient.
messages = Table(
    "messages",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("key", String(200), nullable=False),
    Column("recipient", String(80), nullable=False, index=True),
    Column("email", String(254), nullable=True),
    Column("template", String(60), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("link", String(500), nullable=False),
    Column("cause_event_id", String(36), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("status", String(10), nullable=False),
    Column("attempts", Integer, nullable=False),
    # of them, those that failed neither for a while nor for good (domain/message.py)
    Column("unexpected_errors", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", DateTime(timezone=True), nullable=True),
    # The delivery worker's claim while it sends it (its lease: next_attempt_at); None between.
    Column("claim", Uuid, nullable=True),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Column("outcome", String(500), nullable=True),  # the mail service's reference, or its error
    Column("read_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("key", "recipient", name="uq_messages_key_recipient"),
)
Index("ix_messages_due", messages.c.status, messages.c.next_attempt_at)

attachments = Table(
    "attachments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("message_id", Uuid, nullable=False, index=True),
    Column("filename", String(120), nullable=False),
    Column("media_type", String(60), nullable=False),
    Column("content", LargeBinary, nullable=False),
)

# A school's named contacts (business manager, finance, headteacher, chair of governors, approver).
contacts = Table(
    "contacts",
    metadata,
    Column("urn", Integer, primary_key=True, autoincrement=False),
    Column("contact", String(30), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("email", String(254), nullable=False),
    # when the school named them (None: kept before it was): only a later naming replaces them
    Column("changed_at", DateTime(timezone=True), nullable=True),
)

# Read models of other services' events, for the messages the calendar brings.
open_invoices = Table(
    "open_invoices",
    metadata,
    Column("invoice_id", Uuid, primary_key=True),
    Column("number", String(40), nullable=False),
    Column("urn", Integer, nullable=False),
    Column("school_name", String(200), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("outstanding_pence", BigInteger, nullable=False),
    Column("trust_name", String(200), nullable=True),  # a trust's invoice: its debtor
    Column("trust_code", String(20), nullable=True),  # whose buyer is reminded
    Column("gross_pence", BigInteger, nullable=True),  # its total (None: kept before it was)
)

# Payments and credits applied before their invoice was seen, applied when it opens.
early_reductions = Table(
    "early_reductions",
    metadata,
    Column("invoice_id", Uuid, primary_key=True),
    Column("owed_pence", BigInteger, nullable=True),  # the least one said is left
    Column("less_pence", BigInteger, nullable=False),  # taken off by ones that did not say
)

open_offers = Table(
    "open_offers",
    metadata,
    Column("line_id", Uuid, primary_key=True),
    Column("order_id", Uuid, nullable=False, index=True),
    Column("urn", Integer, nullable=False),
    Column("places", Integer, nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("session_id", Uuid, nullable=True, index=True),
    Column("title", String(200), nullable=True),  # the course (None: kept before it was)
    Column("starts_on", Date, nullable=True),  # the day its session starts
)

# Orders awaiting their school's approver: until approved or cancelled (declined, lapsed), and not
# asked for once either was applied first.
approvals_awaited = Table(
    "approvals_awaited",
    metadata,
    Column("order_id", Uuid, primary_key=True),
)

# Warning notices whose compliance date the LA officer must hear about if the case stays put.
open_notices = Table(
    "open_notices",
    metadata,
    Column("case_id", Uuid, primary_key=True),
    Column("urn", Integer, nullable=False),
    Column("school_name", String(200), nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("grounds", Text, nullable=False),
    Column("required_action", Text, nullable=False),
    Column("compliance_by", Date, nullable=False),
)

# Programmes whose baseline is not yet recorded: the evaluator hears of one due to start soon.
programmes_without_baseline = Table(
    "programmes_without_baseline",
    metadata,
    Column("programme_id", Uuid, primary_key=True),
    Column("title", String(200), nullable=False),
    Column("starts_on", Date, nullable=False),
)

# Course places a trust's order booked for its schools: the trust, which booked them (and pays),
# is told if the session is called off. Kept when the order is cancelled, with the day: a
# call-off cancels the orders it empties, and that cancellation may be applied first. Forgotten
# a while after the session ran or the order was cancelled (domain/trust_bookings.py).
trust_bookings = Table(
    "trust_bookings",
    metadata,
    Column("line_id", Uuid, primary_key=True),
    Column("order_id", Uuid, nullable=False, index=True),
    Column("session_id", Uuid, nullable=False, index=True),
    Column("urn", Integer, nullable=False),
    Column("trust_code", String(20), nullable=False),
    Column("cancelled_on", Date, nullable=True),  # the day its order was cancelled
    Column("runs_on", Date, nullable=True, index=True),  # its session's (None: kept before)
)

# Each school as orders' register last announced it: the academy trust it is in (None: in
# none), for a trust renews only for its schools (a school never announced counts as in the
# trust that bought for it); and its name, for a trust's buyer to read its schools by.
school_trusts = Table(
    "school_trusts",
    metadata,
    Column("urn", Integer, primary_key=True, autoincrement=False),
    Column("trust_code", String(20), nullable=True),
    Column("announced_at", DateTime(timezone=True), nullable=False),
    Column("name", String(200), nullable=True),  # None: kept before names were
    Column("version", BigInteger, nullable=False, server_default="0"),
)

# What each recipient's renewal reminders of a year told it of, by kind (open, closing): each
# service for a school it renews, not yet renewed then. A later reminder of the kind tells only
# of what it was not told of (what a trust a school has left bought for it, which the school
# renews from then on).
renewals_told = Table(
    "renewals_told",
    metadata,
    Column("recipient", String(80), primary_key=True),
    Column("year", String(7), primary_key=True),
    Column("reminder", String(10), primary_key=True),
    Column("urn", Integer, primary_key=True, autoincrement=False),
    Column("service_id", Uuid, primary_key=True),
)

# What an event closed (an invoice paid, a case moved on), kept so that the event that opens it,
# when it is applied later (another subject, another consumer), does not open it again.
closures = Table(
    "closures",
    metadata,
    Column("kind", String(40), primary_key=True),
    Column("key", String(36), primary_key=True),
)

# Subscription terms schools bought (ordered, not cancelled: as orders counts a renewal, paid
# or not): who renewed, who did not.
# A trust's order holds a term for each of its schools, bought (and renewed) by the trust.
subscription_terms = Table(
    "subscription_terms",
    metadata,
    Column("order_id", Uuid, primary_key=True),
    Column("term_start", Date, primary_key=True),
    Column("urn", Integer, primary_key=True, autoincrement=False, index=True),
    Column("trust_code", String(20), nullable=True),  # bought by its trust; None: by the school
    # its service (`SOME_SERVICE`: a term kept before services were, standing for any)
    Column("service_id", Uuid, primary_key=True),
)

# Each card payment, and each of its refunds: an order's refunds that give back all it paid
# refunded it in full, as orders counts it (domain/card_payments.py).
card_payments = Table(
    "card_payments",
    metadata,
    Column("order_id", Uuid, primary_key=True),
    Column("paid_pence", BigInteger, nullable=False),
)
card_refunds = Table(
    "card_refunds",
    metadata,
    Column("refund_id", Uuid, primary_key=True),
    Column("order_id", Uuid, nullable=False, index=True),
    Column("gross_pence", BigInteger, nullable=False),
)
