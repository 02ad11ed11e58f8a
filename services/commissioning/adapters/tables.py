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
from shared.sequences import add_sequence_table

metadata = MetaData()
messaging = add_messaging_tables(metadata)

contracts = Table(
    "contracts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("reference", String(40), nullable=False, unique=True),
    # the reference as the ledger names the contract's income account (`Contract.account_key`):
    # unique, so that two contracts never share one; empty only on a contract recorded before,
    # whose reference read as an earlier one's
    Column("account_key", String(40), nullable=True, unique=True),
    Column("title", String(200), nullable=False),
    Column("statutory_duty", Text, nullable=False),
    Column("funding_source", String(20), nullable=False),
    Column("value_pence", BigInteger, nullable=False),  # the original terms; variations change them
    Column("vat_rate", String(10), nullable=False),
    Column("start_on", Date, nullable=False),
    Column("end_on", Date, nullable=False),
    Column("status", String(10), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("department", String(200), nullable=False, server_default=""),
    Column("supplier_name", String(200), nullable=False, server_default=""),
    Column("supplier_registration", String(40), nullable=False, server_default=""),
    Column("supplier_is_sme", Boolean, nullable=False, server_default="0"),
    Column("supplier_is_vcse", Boolean, nullable=False, server_default="0"),
    Column("annual_value_pence", BigInteger),
    Column("vat_not_recoverable_pence", BigInteger, nullable=False, server_default="0"),
    Column("review_on", Date),
    Column("procurement_route", String(30), nullable=False, server_default="direct_award"),
    Column("contract_manager", String(200), nullable=False, server_default=""),
    Column("signed_on", Date),
    Column("closed_on", Date),
)

variations = Table(
    "variations",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("contract_id", Uuid, ForeignKey("contracts.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("kind", String(10), nullable=False),
    Column("reason", Text, nullable=False),
    Column("approved_by", String(200), nullable=False),
    Column("approved_on", Date, nullable=False),
    Column("value_pence", BigInteger),
    Column("end_on", Date),
    Column("scope", Text),
    Column("proposed_by", String(200), nullable=False, server_default=""),
    UniqueConstraint("contract_id", "position"),
)

# Variations that change the value by more than one person may approve alone: each waits here
# for a second, different person's approval, and only then joins `variations`.
pending_variations = Table(
    "pending_variations",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("contract_id", Uuid, ForeignKey("contracts.id"), nullable=False, index=True),
    Column("kind", String(10), nullable=False),
    Column("reason", Text, nullable=False),
    Column("proposed_by", String(200), nullable=False),
    Column("approved_on", Date, nullable=False),  # the day it was proposed
    Column("value_pence", BigInteger),
    Column("end_on", Date),
    Column("scope", Text),
)

milestones = Table(
    "milestones",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("contract_id", Uuid, ForeignKey("contracts.id"), nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("payment_pence", BigInteger, nullable=False),
    Column("completed_on", Date),
    Column("signed_off_by", String(200)),
    Column("signed_off_at", DateTime(timezone=True)),
    Column("evidence", Text, nullable=False, server_default=""),
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
    Column("net_pence", BigInteger, nullable=False),
    Column("vat_pence", BigInteger, nullable=False),
)

kpis = Table(
    "kpis",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("contract_id", Uuid, ForeignKey("contracts.id"), nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("target", Float, nullable=False),
    Column("higher_is_better", Boolean, nullable=False),
    Column("service_credit_pence", BigInteger, nullable=False),
)

kpi_reports = Table(
    "kpi_reports",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("kpi_id", Uuid, ForeignKey("kpis.id"), nullable=False, index=True),
    Column("period", String(20), nullable=False),
    Column("actual", Float, nullable=False),
    Column("reported_on", Date, nullable=False),
    Column("met", Boolean, nullable=False),
    Column("service_credit_id", Uuid),
    UniqueConstraint("kpi_id", "period"),
)

service_credits = Table(
    "service_credits",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("contract_id", Uuid, ForeignKey("contracts.id"), nullable=False, index=True),
    Column("kpi_id", Uuid, ForeignKey("kpis.id"), nullable=False),
    Column("net_pence", BigInteger, nullable=False),
    Column("reason", Text, nullable=False),
    Column("earned_on", Date, nullable=False),
    Column("invoice_id", Uuid, ForeignKey("la_invoices.id"), index=True),
    Column("applied_on", Date),
    Column("earned_as_id", Uuid, index=True),  # the credit as earned, for the rest of one split
)

schools = Table(  # a read model of the orders service's register
    "schools",
    metadata,
    Column("urn", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("phase", String(60), nullable=False),
    Column("establishment_type", String(100), nullable=False),
    Column("la_code", String(10), nullable=False),
    Column("town", String(100), nullable=False),
    Column("postcode", String(10), nullable=False),
    Column("version", BigInteger, nullable=False, server_default="0"),
)

categorisations = Table(
    "categorisations",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("urn", Integer, ForeignKey("schools.urn"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("category", Integer, nullable=False),
    Column("categorised_on", Date, nullable=False),
    Column("reasons", Text, nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Column("previous_category", Integer),
    UniqueConstraint("urn", "position"),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("contract_id", Uuid, ForeignKey("contracts.id"), nullable=False, index=True),
    Column("urn", Integer, ForeignKey("schools.urn"), nullable=False, index=True),
    Column("opened_on", Date, nullable=False),
    Column("summary", Text, nullable=False),
    Column("stage", String(30), nullable=False),
)

case_stages = Table(
    "case_stages",
    metadata,
    Column("case_id", Uuid, ForeignKey("cases.id"), primary_key=True),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("stage", String(30), nullable=False),
    Column("entered_on", Date, nullable=False),
    Column("grounds", Text, nullable=False),
    Column("required_action", Text, nullable=False),
    Column("compliance_by", Date),
    Column("outcome", Text, nullable=False),
)

visit_notes = Table(
    "visit_notes",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("case_id", Uuid, ForeignKey("cases.id"), nullable=False, index=True),
    Column("visited_on", Date, nullable=False),
    Column("author", String(200), nullable=False),
    Column("note", Text, nullable=False),
)

deployments = Table(
    "deployments",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("case_id", Uuid, ForeignKey("cases.id"), nullable=False, index=True),
    Column("contract_id", Uuid, ForeignKey("contracts.id"), nullable=False, index=True),
    Column("urn", Integer, nullable=False),
    Column("provider_name", String(200), nullable=False),
    Column("provider_kind", String(20), nullable=False),
    Column("provider_catalogue_id", Uuid),
    Column("half_days", Integer, nullable=False),
    Column("day_rate_pence", BigInteger, nullable=False),
    Column("vat_rate", String(10), nullable=False),
    Column("objectives", Text, nullable=False),
    Column("expected_impact", Text, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("status", String(10), nullable=False),
    Column("delivered_half_days", Integer),
    Column("completed_on", Date),
)

sequences = add_sequence_table(metadata)
