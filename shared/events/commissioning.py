from __future__ import annotations

from datetime import date
from uuid import UUID

from shared.events.base import Event
from shared.events.money_fields import MoneyTotals


class ContractSignedV1(Event):
    """The LA's statutory contract is active."""

    subject = "commissioning.contract.signed.v1"

    contract_id: UUID
    reference: str
    title: str
    statutory_duty: str
    funding_source: str
    value_pence: int
    start_on: date
    end_on: date


class ContractVariedV1(Event):
    """A variation changed a contract's value, term or scope: the current terms after it."""

    subject = "commissioning.contract.varied.v1"

    contract_id: UUID
    reference: str
    variation_id: UUID
    kind: str  # value | term | scope
    reason: str
    approved_by: str
    approved_on: date
    value_pence: int
    end_on: date


class MilestoneCompletedV1(Event, MoneyTotals):
    """The LA signed a contract milestone off. The money it releases is invoiced by
    `commissioning.invoice.raised.v1`; the ledger posts that invoice, not this event."""

    subject = "commissioning.milestone.completed.v1"

    contract_id: UUID
    contract_reference: str
    milestone_id: UUID
    title: str
    funding_source: str
    completed_on: date


class LaInvoiceRaisedV1(Event, MoneyTotals):
    """The company invoiced the LA for a signed-off milestone (statutory income)."""

    subject = "commissioning.invoice.raised.v1"

    invoice_id: UUID
    invoice_number: str
    contract_id: UUID
    contract_reference: str
    milestone_id: UUID
    funding_source: str
    issued_on: date
    due_on: date


class ServiceCreditAppliedV1(Event, MoneyTotals):
    """A missed KPI's service credit reduced an LA invoice by these amounts."""

    subject = "commissioning.service_credit.applied.v1"

    service_credit_id: UUID
    contract_id: UUID
    contract_reference: str
    kpi_id: UUID
    invoice_id: UUID
    applied_on: date
    reason: str
    funding_source: str | None = None  # the contract's (added for the ledger's grant share)


class SchoolCategorisedV1(Event):
    """The LA placed a school in a category of its monitoring and intervention process."""

    subject = "commissioning.school.categorised.v1"

    urn: int
    category: int  # 1 good or better … 4 causing concern
    previous_category: int | None
    categorised_on: date
    reasons: str


class DeploymentCompletedV1(Event, MoneyTotals):
    """Brokered support was delivered: the provider is owed for the days (statutory cost)."""

    subject = "commissioning.deployment.completed.v1"

    deployment_id: UUID
    case_id: UUID
    contract_id: UUID
    contract_reference: str
    provider_id: UUID | None
    provider_name: str
    provider_kind: str  # nle | lle | teaching_school | executive_head | adviser
    urn: int
    half_days: int
    day_rate_pence: int
    completed_on: date


class WarningNoticeIssuedV1(Event):
    """The LA gave a school causing concern a warning notice: its grounds, the action required
    and the date by which the school must comply. Notifications send it to the headteacher and
    the chair of governors."""

    subject = "commissioning.warning_notice.issued.v1"

    case_id: UUID
    urn: int
    school_name: str
    issued_on: date
    grounds: str
    required_action: str
    compliance_by: date


class CaseMovedV1(Event):
    """A case for a school causing concern moved to a new stage (warning notice, action plan
    received, monitoring, closed)."""

    subject = "commissioning.case.moved.v1"

    case_id: UUID
    urn: int
    stage: str
    moved_on: date
