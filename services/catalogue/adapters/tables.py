from sqlalchemy import Column, Integer, MetaData, String, Table, Text, Uuid

from shared.messaging.tables import add_messaging_tables

metadata = MetaData()
messaging = add_messaging_tables(metadata)

services = Table(
    "services",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("code", String(40), nullable=False, unique=True),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("service_type", String(20), nullable=False),
    Column("category", String(60), nullable=False),
    Column("unit_price_pence", Integer, nullable=False),
    Column("vat_rate", String(10), nullable=False),
    Column("price_version", Integer, nullable=False),
    Column("status", String(12), nullable=False),
)
