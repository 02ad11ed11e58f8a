from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
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

metadata = MetaData()
messaging = add_messaging_tables(metadata)

participations = Table(
    "participations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("urn", Integer, nullable=False, index=True),
    Column("school_name", String(200), nullable=False),
    Column("phase", String(40), nullable=False),
    Column("service_id", Uuid, nullable=False, index=True),
    Column("service_title", String(200), nullable=False),
    Column("order_id", Uuid, nullable=False, index=True),
    Column("since", Date, nullable=False),
    UniqueConstraint("urn", "service_id", "order_id"),
)

# orders cancelled: they make no participant, even if their payment is heard of afterwards
cancelled_orders = Table(
    "cancelled_orders",
    metadata,
    Column("order_id", Uuid, primary_key=True),
    Column("cancelled_on", Date, nullable=False),
)

# An order's service a school was given back whole (`withdrawn` lines of a refund or credit
# note): that school takes no part in it through that order, whichever event came first.
withdrawn_participations = Table(
    "withdrawn_participations",
    metadata,
    Column("order_id", Uuid, primary_key=True),
    Column("urn", Integer, primary_key=True, autoincrement=False),
    Column("service_id", Uuid, primary_key=True),
    Column("withdrawn_on", Date, nullable=False),
)

# read models fed by other services' events
schools = Table(
    "schools",
    metadata,
    Column("urn", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("phase", String(40), nullable=False, index=True),
    Column("pupils", Integer, nullable=True),
    Column("version", BigInteger, nullable=False, server_default="0"),
)

deployments = Table(
    "deployments",
    metadata,
    Column("deployment_id", Uuid, primary_key=True),
    Column("case_id", Uuid, nullable=False, index=True),
    Column("contract_id", Uuid, nullable=False),
    Column("urn", Integer, nullable=False),
    Column("provider_id", Uuid, nullable=True),
    Column("provider_name", String(200), nullable=False),
    Column("completed_on", Date, nullable=False),
    # the event that completed it, which the ledger's provider cost names as its source
    Column("event_id", Uuid, nullable=True, index=True),
)

cost_postings = Table(
    "cost_postings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("transaction_id", Uuid, nullable=False, index=True),
    Column("account", String(120), nullable=False),
    Column("amount_pence", BigInteger, nullable=False),
    Column("urn", Integer, nullable=True),
    Column("service_id", Uuid, nullable=True, index=True),
    Column("contract_id", Uuid, nullable=True, index=True),
    Column("posted_on", Date, nullable=False),
    Column("source_event_id", Uuid, nullable=True),
)

programmes = Table(
    "programmes",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("randomised", Boolean, nullable=False),
    Column("comparison_matched", Boolean, nullable=False),
    Column("created_on", Date, nullable=False),
    Column("ends_on", Date),
)

programme_links = Table(
    "programme_links",
    metadata,
    Column("programme_id", Uuid, ForeignKey("programmes.id"), primary_key=True),
    Column("kind", String(20), primary_key=True),
    Column("target_id", Uuid, primary_key=True),
)

comparison_schools = Table(
    "comparison_schools",
    metadata,
    Column("programme_id", Uuid, ForeignKey("programmes.id"), primary_key=True),
    Column("urn", Integer, primary_key=True, autoincrement=False),
)

measures = Table(
    "measures",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("programme_id", Uuid, ForeignKey("programmes.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("unit", String(60), nullable=False),
)

school_results = Table(
    "school_results",
    metadata,
    Column("measure_id", Uuid, ForeignKey("measures.id"), primary_key=True),
    Column("urn", Integer, primary_key=True, autoincrement=False),
    Column("stage", String(20), primary_key=True),
    Column("value", Float, nullable=False),
    Column("pupils", Integer, nullable=True),
)

group_results = Table(
    "group_results",
    metadata,
    Column("measure_id", Uuid, ForeignKey("measures.id"), primary_key=True),
    Column("group", String(20), primary_key=True),
    Column("stage", String(20), primary_key=True),
    Column("mean", Float, nullable=False),
    Column("sd", Float, nullable=False),
    Column("n", Integer, nullable=False),
)

rating_invitations = Table(
    "rating_invitations",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("urn", Integer, nullable=False, index=True),
    Column("source", String(20), nullable=False),
    Column("source_id", Uuid, nullable=False),
    Column("title", String(200), nullable=False),
    Column("service_id", Uuid, nullable=True),
    Column("provider_id", Uuid, nullable=True),
    Column("invited_on", Date, nullable=False),
    Column("rated", Boolean, nullable=False),
    # One per service a school had of an order (a trust's order serves several schools, each
    # of which may have several services of one title), one per deployment (no service).
    UniqueConstraint("source", "source_id", "urn", "service_id", name="uq_rating_invitations"),
)

ratings = Table(
    "ratings",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("invitation_id", Uuid, ForeignKey("rating_invitations.id"), unique=True),
    Column("urn", Integer, nullable=False),
    Column("service_id", Uuid, nullable=True, index=True),
    Column("provider_id", Uuid, nullable=True, index=True),
    Column("score", Integer, nullable=False),
    Column("comment", Text, nullable=False),
    Column("rated_on", Date, nullable=False),
)

networks = Table(
    "networks",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(60), nullable=False),
)

network_members = Table(
    "network_members",
    metadata,
    Column("network_id", Uuid, ForeignKey("networks.id"), primary_key=True),
    Column("urn", Integer, primary_key=True, autoincrement=False),
)

assessments = Table(
    "assessments",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("network_id", Uuid, ForeignKey("networks.id"), nullable=False, index=True),
    Column("perspective", String(10), nullable=False),
    Column("assessor", String(200), nullable=False),
    Column("assessed_on", Date, nullable=False),
)

judgements = Table(
    "judgements",
    metadata,
    Column("assessment_id", Uuid, ForeignKey("assessments.id"), primary_key=True),
    Column("dimension", String(80), primary_key=True),
    Column("step", Integer, nullable=False),
    Column("evidence", Text, nullable=False),
)

# Results the DfE publishes for every school (Key Stage 2), whoever takes part in what.
published_results = Table(
    "published_results",
    metadata,
    Column("measure", String(40), primary_key=True),
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("urn", Integer, primary_key=True, autoincrement=False),
    Column("value", Float, nullable=True),
    Column("cohort", Integer, nullable=True),
    Column("marker", String(10), nullable=True),
    Column("mainstream", Boolean, nullable=True),
)

tracked_measures = Table(
    "tracked_measures",
    metadata,
    Column("programme_id", Uuid, ForeignKey("programmes.id"), primary_key=True),
    Column("measure", String(40), primary_key=True),
    Column("baseline_year", Integer, nullable=False),
    Column("outcome_year", Integer, nullable=False),
)

outcome_matches = Table(
    "outcome_matches",
    metadata,
    Column("programme_id", Uuid, ForeignKey("programmes.id"), primary_key=True),
    Column("comparison", Integer, primary_key=True, autoincrement=False),
    Column("participant", Integer, nullable=False),
    Column("distance", Float, nullable=False),
    Column("baseline_year", Integer, nullable=False),
)
