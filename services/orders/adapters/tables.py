from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
)

from shared.messaging.tables import add_messaging_tables
from shared.sequences import add_sequence_table

metadata = MetaData()
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
)

listings = Table(
    "listings",
    metadata,
    Column("service_id", Uuid, primary_key=True),
    Column("code", String(40), nullable=False),
    Column("title", String(200), nullable=False),
    Column("service_type", String(20), nullable=False),
    Column("category", String(60), nullable=False),
    Column("unit_price_pence", Integer, nullable=False),
    Column("vat_rate", String(10), nullable=False),
    Column("price_version", Integer, nullable=False),
)

orders = Table(
    "orders",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("urn", Integer, ForeignKey("schools.urn"), nullable=False, index=True),
    Column("payment_method", String(10), nullable=False),
    Column("purchase_order", String(60)),
    Column("placed_on", Date, nullable=False),
    Column("status", String(20), nullable=False),
)

order_lines = Table(
    "order_lines",
    metadata,
    Column("order_id", Uuid, ForeignKey("orders.id"), primary_key=True),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("service_id", Uuid, nullable=False),
    Column("title", String(200), nullable=False),
    Column("service_type", String(20), nullable=False),
    Column("category", String(60), nullable=False),
    Column("price_version", Integer, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price_pence", Integer, nullable=False),
    Column("vat_rate", String(10), nullable=False),
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
    Column("net_pence", Integer, nullable=False),
    Column("vat_pence", Integer, nullable=False),
)

sequences = add_sequence_table(metadata)
