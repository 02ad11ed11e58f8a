from __future__ import annotations

from typing import Annotated
from uuid import UUID

from annotated_types import Ge, Le
from pydantic import Field

from shared.bounds import Day, Label, Line, Paragraph, Pence, Quantity, Urn
from shared.events.base import Event
from shared.events.money_fields import MoneyTotals

# The widths of the commissioning service's own columns.
Reference = Annotated[Label, Field(max_length=40)]
FundingSource = Annotated[Label, Field(max_length=20)]
Category = Annotated[int, Ge(1), Le(4)]  # 1 good or better … 4 causing concern


class ContractSignedV1(Event):
    """The LA's statutory contract is active."""

    subject = "commissioning.contract.signed.v1"

    contract_id: UUID
    reference: Reference
    title: Line
    statutory_duty: Paragraph
    funding_source: FundingSource
    value_pence: Pence
    start_on: Day
    end_on: Day


class ContractVariedV1(Event):
    """A variation changed a contract's value, term or scope: the current terms after it."""

    subject = "commissioning.contract.varied.v1"

    contract_id: UUID
    reference: Reference
    variation_id: UUID
    kind: Annotated[Label, Field(max_length=10)]  # value | term | scope
    reason: Paragraph
    approved_by: Line
    approved_on: Day
    value_pence: Pence
    end_on: Day


class MilestoneCompletedV1(Event, MoneyTotals):
    """The LA signed a contract milestone off. The money it releases is invoiced by
    `commissioning.invoice.raised.v1`; the ledger posts that invoice, not this event."""

    subject = "commissioning.milestone.completed.v1"

    contract_id: UUID
    contract_reference: Reference
    milestone_id: UUID
    title: Line
    funding_source: FundingSource
    completed_on: Day


LaInvoiceNumber = Annotated[Label, Field(max_length=20)]


class LaInvoiceRaisedV1(Event, MoneyTotals):
    """The company invoiced the LA for a signed-off milestone (statutory income)."""

    subject = "commissioning.invoice.raised.v1"

    invoice_id: UUID
    invoice_number: LaInvoiceNumber
    contract_id: UUID
    contract_reference: Reference
    milestone_id: UUID
    funding_source: FundingSource
    issued_on: Day
    due_on: Day


class ServiceCreditAppliedV1(Event, MoneyTotals):
    """A missed KPI's service credit reduced an LA invoice by these amounts."""

    subject = "commissioning.service_credit.applied.v1"

    service_credit_id: UUID
    contract_id: UUID
    contract_reference: Reference
    kpi_id: UUID
    invoice_id: UUID
    applied_on: Day
    reason: Paragraph
    funding_source: FundingSource | None = (
        None  # the contract's (added for the ledger's grant share)
    )
    # the number of the invoice it came off (added so that the ledger files the credit under the
    # invoice's own document; before, only the invoice's id was sent)
    invoice_number: LaInvoiceNumber | None = None


class SchoolCategorisedV1(Event):
    """The LA placed a school in a category of its monitoring and intervention process."""

    subject = "commissioning.school.categorised.v1"

    urn: Urn
    category: Category
    previous_category: Category | None
    categorised_on: Day
    reasons: Paragraph


class DeploymentCompletedV1(Event, MoneyTotals):
    """Brokered support was delivered: the provider is owed for the days (statutory cost)."""

    subject = "commissioning.deployment.completed.v1"

    deployment_id: UUID
    case_id: UUID
    contract_id: UUID
    contract_reference: Reference
    provider_id: UUID | None
    provider_name: Line
    provider_kind: Annotated[
        Label, Field(max_length=20)
    ]  # nle | lle | teaching_school | executive_head | adviser
    urn: Urn
    half_days: Quantity
    day_rate_pence: Pence
    completed_on: Day


class WarningNoticeIssuedV1(Event):
    """The LA gave a school causing concern a warning notice: its grounds, the action required
    and the date by which the school must comply. Notifications send it to the headteacher and
    the chair of governors."""

    subject = "commissioning.warning_notice.issued.v1"

    case_id: UUID
    urn: Urn
    school_name: Line
    issued_on: Day
    grounds: Paragraph
    required_action: Paragraph
    compliance_by: Day


class CaseMovedV1(Event):
    """A case for a school causing concern moved to a new stage (warning notice, action plan
    received, monitoring, closed)."""

    subject = "commissioning.case.moved.v1"

    case_id: UUID
    urn: Urn
    stage: Annotated[Label, Field(max_length=30)]
    moved_on: Day
