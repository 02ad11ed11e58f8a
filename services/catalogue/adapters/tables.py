from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
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

# Lists (phases, academic years, expertise, bundle components) are stored as ",a,b," so that
# one LIKE '%,a,%' finds a member without a table per list.
services = Table(
    "services",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("code", String(40), nullable=False, unique=True),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("service_type", String(20), nullable=False),
    Column("category", String(60), nullable=False),
    Column("unit_price_pence", BigInteger, nullable=False),
    Column("vat_rate", String(10), nullable=False),
    Column("price_version", Integer, nullable=False),
    Column("status", String(12), nullable=False),
    Column("phases", Text, nullable=False, server_default=""),
    Column("academic_years", Text, nullable=False, server_default=""),
    Column(
        "provider_id",
        Uuid,
        ForeignKey("providers.id", name="fk_services_provider_id"),
        nullable=True,
        index=True,
    ),
    Column("term", String(20), nullable=True),
    Column("components", Text, nullable=False, server_default=""),
    Column("discount_percent", Integer, nullable=False, server_default="0"),
    Column("renews_every", String(10), nullable=True),
    Column("notice_days", Integer, nullable=False, server_default="0"),
    Column("cfr_code", String(4), nullable=True),
    Column("rating_average", Float, nullable=True),
    Column("ratings", Integer, nullable=False, server_default="0"),
    Column("revision", Integer, nullable=False, server_default="0"),
    Column("years_changed_at", DateTime(timezone=True), nullable=True),
    Column("retired_at", DateTime(timezone=True), nullable=True),
)

price_versions = Table(
    "price_versions",
    metadata,
    Column("service_id", Uuid, ForeignKey("services.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("prices", Text, nullable=False),  # shared.tariffs.Prices as JSON
    Column("vat_rate", String(10), nullable=False),
    Column("effective_from", Date, nullable=False),
    Column("year", String(7), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

providers = Table(
    "providers",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),
    Column("designation", String(200), nullable=False),
    Column("expertise", Text, nullable=False),
    Column("qa_status", String(20), nullable=False),
    Column("qa_note", Text, nullable=False),
    Column("rating_average", Float, nullable=True),
    Column("ratings", Integer, nullable=False),
)

schools = Table(
    "schools",
    metadata,
    Column("urn", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("la_code", String(10), nullable=False),
    Column("type_group", String(100), nullable=False),
    Column("establishment_type", String(100), nullable=False),
    Column("phase", String(60), nullable=False),
    Column("pupils", Integer, nullable=True),
    Column("trust_code", String(20), nullable=True),
    Column("version", BigInteger, nullable=False, server_default="0"),
)

trust_price_lists = Table(
    "trust_price_lists",
    metadata,
    Column("trust_code", String(20), primary_key=True),
    Column("trust_name", String(200), nullable=False),
    Column("discount_percent", Integer, nullable=False),
)

course_sessions = Table(
    "course_sessions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("service_id", Uuid, ForeignKey("services.id"), nullable=False, index=True),
    Column("starts_on", Date, nullable=False),
    Column("venue", String(200), nullable=False),
    Column("online", Boolean, nullable=False),
    Column("capacity", Integer, nullable=False),
    Column("places_taken", Integer, nullable=False),
    Column("minimum_places", Integer, nullable=False, server_default="0"),
    Column("decision_on", Date, nullable=True, index=True),
    Column("cancelled_on", Date, nullable=True),
    Column("confirmed_on", Date, nullable=True),
)

bookings = Table(
    "bookings",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("session_id", Uuid, ForeignKey("course_sessions.id"), nullable=False, index=True),
    Column("order_id", Uuid, nullable=False, index=True),
    Column("line_id", Uuid, nullable=False),
    Column("urn", Integer, nullable=False),
    Column("places", Integer, nullable=False),
    Column("status", String(12), nullable=False),
    Column("position", Integer, nullable=True),
    Column("offer_expires_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("order_id", "line_id", name="uq_bookings_order_line"),
)


def words(values: tuple[object, ...]) -> str:
    return "," + ",".join(str(value) for value in values) + "," if values else ""


def unwords(text: str) -> tuple[str, ...]:
    return tuple(word for word in text.split(",") if word)
