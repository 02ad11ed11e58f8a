from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)

from shared.messaging.tables import add_messaging_tables
from shared.sequences import add_sequence_table

metadata = MetaData()


def priced_line_columns() -> list[Column[Any]]:
    """A line as the catalogue quoted it: in a basket, then in an order."""
    return [
        Column("service_id", Uuid, nullable=False),
        Column("title", String(200), nullable=False),
        Column("service_type", String(20), nullable=False),
        Column("category", String(60), nullable=False),
        Column("price_version", Integer, nullable=False),
        Column("quantity", Integer, nullable=False),
        Column("unit_price_pence", BigInteger, nullable=False),
        Column("vat_rate", String(10), nullable=False),
        Column("provider_id", Uuid),
        Column("session_id", Uuid),
        Column("delivery_on", Date),
        Column("term_start", Date),
        Column("term_end", Date),
        Column("renews_every", String(10)),
        Column("notice_days", Integer, nullable=False, server_default="0"),
        Column("cfr_code", String(4)),
    ]


messaging = add_messaging_tables(metadata)

schools = Table(
    "schools",
    metadata,
    Column("urn", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("la_code", String(10), nullable=False),
    Column("la_name", String(100), nullable=False),
    Column("establishment_type", String(100), nullable=False),
    Column("type_group", String(60), nullable=False),
    Column("phase", String(40), nullable=False),
    Column("pupils", Integer),
    Column("postcode", String(10), nullable=False),
    Column("town", String(100), nullable=False),
    Column("trust_code", String(20), index=True),
    Column("trust_name", String(200)),
    Column("version", BigInteger, nullable=False, server_default="0"),
)

# A retired service's row stays, with its day of retirement, so that an update of it delivered
# late cannot list it again; one retired before orders heard of it holds nothing else.
listings = Table(
    "listings",
    metadata,
    Column("service_id", Uuid, primary_key=True),
    Column("code", String(40), nullable=False),
    Column("title", String(200)),
    Column("service_type", String(20)),
    Column("category", String(60)),
    Column("unit_price_pence", BigInteger),
    Column("vat_rate", String(10)),
    Column("price_version", Integer),
    Column("retired_on", Date),
    Column("revision", Integer, nullable=False, server_default="0"),
    Column("academic_years", Text, nullable=False, server_default=""),  # "2026/27,2027/28"
)

orders = Table(
    "orders",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("urn", Integer, ForeignKey("schools.urn"), nullable=False, index=True),
    Column("payment_method", String(10), nullable=False),
    Column("purchase_order", String(60)),
    Column("placed_on", Date, nullable=False),
    Column("placed_at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False),
    Column("payment_status", String(20), nullable=False, server_default="not_asked"),
    Column("idempotency_key", String(100)),
    Column("payment_reference", String(100)),
    Column("paid_pence", BigInteger, nullable=False, server_default="0"),
    Column("refunded_pence", BigInteger, nullable=False, server_default="0"),
    Column("cancelled_on", Date),
    Column("fulfilled_on", Date),
    Column("trust_code", String(20), index=True),  # a trust's order: the trust is the customer
    Column("trust_name", String(200)),  # as the register named the trust when it ordered
    Column("approved_by", String(200)),
    Column("approved_on", Date),
    Column("approve_by", Date),
    # a retried checkout (same school, same key) finds the order the first one placed
    UniqueConstraint("urn", "idempotency_key", name="uq_orders_idempotency_key"),
    UniqueConstraint("payment_reference", name="uq_orders_payment_reference"),
)

order_lines = Table(
    "order_lines",
    metadata,
    Column("order_id", Uuid, ForeignKey("orders.id"), primary_key=True),
    Column("position", Integer, primary_key=True, autoincrement=False),
    *priced_line_columns(),
    Column("line_id", Uuid),
    Column("booking", String(20)),
    Column("waiting_position", Integer),
    Column("offer_expires_at", DateTime(timezone=True)),
    Column("school_urn", Integer, index=True),
)

invoices = Table(
    "invoices",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("number", String(20), nullable=False, unique=True),
    Column("order_id", Uuid, ForeignKey("orders.id"), nullable=False, unique=True),
    Column("purchase_order", String(60), nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("net_pence", BigInteger, nullable=False),
    Column("vat_pence", BigInteger, nullable=False),
    Column("paid_pence", BigInteger, nullable=False, server_default="0"),
    Column("credited_pence", BigInteger, nullable=False, server_default="0"),
)

remittances = Table(
    "remittances",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("invoice_id", Uuid, ForeignKey("invoices.id"), nullable=False, index=True),
    Column("amount_pence", BigInteger, nullable=False),
    Column("received_on", Date, nullable=False),
    Column("reference", String(100), nullable=False),
    Column("recorded_by", String(100), nullable=False),
    # the same bank credit recorded twice against an invoice would settle it twice
    UniqueConstraint("invoice_id", "reference", name="uq_remittances_invoice_reference"),
)

refunds = Table(
    "refunds",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("order_id", Uuid, ForeignKey("orders.id"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),  # card_refund or credit_note
    Column("number", String(20), unique=True),  # a credit note's number
    Column("reference", String(100)),  # Stripe's refund id; the bank's, paid by transfer
    Column("net_pence", BigInteger, nullable=False),
    Column("vat_pence", BigInteger, nullable=False),
    # the day the money went back (a card refund: the day the card processor made it; until
    # then, the day it was asked)
    Column("issued_on", Date, nullable=False),
    Column("reason", String(300), nullable=False),
    Column("idempotency_key", String(100)),
    Column("asked_on", Date),  # a card refund: the day it was first asked
    # a card refund is recorded `asked` with the change that gives the money back, and is `done`
    # once Stripe has made it (a credit note is done at once), or `failed` if Stripe refused it
    Column("status", String(10), nullable=False, server_default="done", index=True),
    Column("asked_at", DateTime(timezone=True)),  # when last asked of Stripe under a new key
    Column("refused", String(300)),  # why Stripe refused it, for finance to act on
    # finance asks again for a refused refund: each attempt asks Stripe under a key of its own
    Column("attempt", Integer, nullable=False, server_default="1"),
    # a card refund: card (Stripe made it), or bank_transfer (Stripe refused it, and finance
    # paid it from the bank instead)
    Column("method", String(20)),
    # the refund.issued event (its envelope), held back until Stripe has made the refund
    Column("news", Text),
    # finance clicking "refund" twice gets one refund
    UniqueConstraint("order_id", "idempotency_key", name="uq_refunds_idempotency_key"),
)

basket_lines = Table(
    "basket_lines",
    metadata,
    Column("line_id", Uuid, primary_key=True),
    Column("urn", Integer, ForeignKey("schools.urn"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    *priced_line_columns(),
    # added by the buyer of this academy trust, for the trust's order; None: by the school
    Column("trust_code", String(20)),
)

# The course sessions the catalogue called off (`catalogue.session.cancelled.v1`): a basket's
# line on one is refused at checkout.
called_off_sessions = Table(
    "called_off_sessions",
    metadata,
    Column("session_id", Uuid, primary_key=True),
    Column("called_off_on", Date, nullable=False),
)

# An order's card payment that must be cancelled at Stripe, recorded with the change that
# voided it, and deleted once Stripe has (or the payment, made meanwhile, has been refunded).
payments_to_cancel = Table(
    "payments_to_cancel",
    metadata,
    Column("order_id", Uuid, ForeignKey("orders.id"), primary_key=True),
    Column("reference", String(100), nullable=False),  # Stripe's PaymentIntent id
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)

stripe_events = Table(
    "stripe_events",
    metadata,
    Column("event_id", String(100), primary_key=True),  # a webhook's event, applied once
    Column("type", String(100), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)

sequences = add_sequence_table(metadata)

rolling_subscriptions = Table(
    "rolling_subscriptions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("urn", Integer, nullable=False, index=True),
    Column("service_id", Uuid, nullable=False),
    Column("title", String(200), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("renews_every", String(10), nullable=False),
    Column("notice_days", Integer, nullable=False),
    Column("payment_method", String(10), nullable=False),
    Column("purchase_order", String(60)),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False, index=True),
    Column("last_order_id", Uuid, nullable=False),
    Column("status", String(10), nullable=False),
    Column("ends_on", Date),
)

# A school's rule for spending its approver must approve: above a limit, or every order.
approval_policies = Table(
    "approval_policies",
    metadata,
    Column("urn", Integer, ForeignKey("schools.urn"), primary_key=True, autoincrement=False),
    Column("spending_limit_pence", BigInteger, nullable=True),
    Column("every_order", Boolean, nullable=False),
    Column("approval_days", Integer, nullable=False),
)

# A school's named contacts (business manager, finance, headteacher, chair of governors,
# approver), kept by the school; announced to notifications, which writes to them.
school_contacts = Table(
    "school_contacts",
    metadata,
    Column("urn", Integer, ForeignKey("schools.urn"), primary_key=True, autoincrement=False),
    Column("contact", String(30), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("email", String(254), nullable=False),
)
