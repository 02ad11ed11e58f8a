from sqlalchemy import Column, Date, ForeignKey, Integer, MetaData, String, Table, Text, Uuid

from shared.messaging.tables import add_messaging_tables
from shared.sequences import add_sequence_table

metadata = MetaData()
messaging = add_messaging_tables(metadata)

contracts = Table(
    "contracts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("reference", String(40), nullable=False, unique=True),
    Column("title", String(200), nullable=False),
    Column("statutory_duty", Text, nullable=False),
    Column("funding_source", String(20), nullable=False),
    Column("value_pence", Integer, nullable=False),
    Column("vat_rate", String(10), nullable=False),
    Column("start_on", Date, nullable=False),
    Column("end_on", Date, nullable=False),
    Column("status", String(10), nullable=False),
)

milestones = Table(
    "milestones",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("contract_id", Uuid, ForeignKey("contracts.id"), nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("payment_pence", Integer, nullable=False),
    Column("completed_on", Date),
)

la_invoices = Table(
    "la_invoices",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("number", String(20), nullable=False, unique=True),
    Column("contract_id", Uuid, ForeignKey("contracts.id"), nullable=False, index=True),
    Column("milestone_id", Uuid, ForeignKey("milestones.id"), nullable=False, unique=True),
    Column("issued_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("net_pence", Integer, nullable=False),
    Column("vat_pence", Integer, nullable=False),
)

sequences = add_sequence_table(metadata)
