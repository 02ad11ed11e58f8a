from sqlalchemy import (
    BigInteger,
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

transactions = Table(
    "transactions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("source_event_id", String(36), nullable=False, unique=True),
    Column("source_subject", String(200), nullable=False),
    Column("strand", String(10), nullable=False),
    Column("description", String(300), nullable=False),
    Column("posted_on", Date, nullable=False),
    Column("financial_year", String(7), nullable=False),
)

postings = Table(
    "postings",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("transaction_id", Uuid, ForeignKey("transactions.id"), nullable=False, index=True),
    Column("account", String(120), ForeignKey("accounts.code"), nullable=False, index=True),
    Column("amount_pence", BigInteger, nullable=False),
    Column("strand", String(10), nullable=False, index=True),
    Column("financial_year", String(7), nullable=False),
    Column("month", String(7), nullable=False),
    Column("urn", Integer),
    Column("phase", String(40)),
    Column("service_id", String(36)),
    Column("category", String(60)),
    Column("contract_id", String(36)),
)
