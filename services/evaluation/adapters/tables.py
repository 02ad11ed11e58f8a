from sqlalchemy import Column, Date, Integer, MetaData, String, Table, UniqueConstraint, Uuid

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
    Column("order_id", Uuid, nullable=False),
    Column("since", Date, nullable=False),
    UniqueConstraint("urn", "service_id", "order_id"),
)
