"""What the commissioning API accepts and answers, and the words it uses."""

from __future__ import annotations

from datetime import date, datetime
from enum import IntEnum, StrEnum
from uuid import UUID

from pydantic import BaseModel, Field

from shared.bounds import Day, Label, Line, Measurement, Paragraph, Pence, Quantity, Urn
from shared.money import VatRate


class Stage(StrEnum):
    CONCERN = "concern"
    WARNING_NOTICE = "warning_notice"
    ACTION_PLAN_RECEIVED = "action_plan_received"
    MONITORING = "monitoring"
    CLOSED = "closed"


class Category(IntEnum):
    GOOD_OR_BETTER = 1
    SOME_CONCERNS = 2
    SIGNIFICANT_CONCERNS = 3
    CAUSING_CONCERN = 4

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", " ")


class ContractStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    VARIED = "varied"
    CLOSED = "closed"

    @property
    def in_force(self) -> bool:
        return self in (ContractStatus.ACTIVE, ContractStatus.VARIED)


class ProviderKind(StrEnum):
    NLE = "nle"  # National Leader of Education
    LLE = "lle"  # Local Leader of Education
    TEACHING_SCHOOL = "teaching_school"
    EXECUTIVE_HEAD = "executive_head"
    ADVISER = "adviser"  # one of the company's own advisers


class DeploymentStatus(StrEnum):
    PLANNED = "planned"
    COMPLETED = "completed"


class FundingSource(StrEnum):
    COUNCIL_BUDGET = "council_budget"
    DE_DELEGATED = "de_delegated"
    GRANT = "grant"

    @property
    def label(self) -> str:
        return {
            "council_budget": "council budget",
            "de_delegated": "de-delegated schools' funds",
            "grant": "grant",
        }[self.value]


class ProcurementRoute(StrEnum):
    """Whether the contract followed a published invitation to tender or an invitation to quote
    (the Code's question), or neither."""

    INVITATION_TO_TENDER = "invitation_to_tender"
    INVITATION_TO_QUOTE = "invitation_to_quote"
    FRAMEWORK_CALL_OFF = "framework_call_off"
    DIRECT_AWARD = "direct_award"


class VariationKind(StrEnum):
    VALUE = "value"
    TERM = "term"
    SCOPE = "scope"

    @property
    def changes(self) -> str:
        """The field of the terms this kind of variation changes."""
        return {"value": "value_pence", "term": "end_on", "scope": "scope"}[self.value]


class CreditPublic(BaseModel):
    id: UUID
    kpi_id: UUID
    reason: str
    net_pence: int
    vat_pence: int
    gross_pence: int


class InvoiceFiguresPublic(BaseModel):
    """An invoice to the LA in figures: the milestone's payment with its VAT, the service
    credits that come off it and what the LA pays."""

    net_pence: int
    vat_pence: int
    gross_pence: int
    credits: list[CreditPublic]
    payable_net_pence: int
    payable_vat_pence: int
    payable_gross_pence: int


class LaInvoicePublic(InvoiceFiguresPublic):
    id: UUID
    number: str
    contract_id: UUID
    milestone_id: UUID
    issued_on: date
    due_on: date


class ParticularsCreate(BaseModel):
    department: Line = ""
    supplier_name: Line = ""
    supplier_registration: Label = Field(default="", max_length=40)
    supplier_is_sme: bool = False
    supplier_is_vcse: bool = False
    annual_value_pence: Pence | None = None
    vat_not_recoverable_pence: Pence = 0
    review_on: Day | None = None
    procurement_route: ProcurementRoute = ProcurementRoute.DIRECT_AWARD
    contract_manager: Line = ""


class ContractCreate(ParticularsCreate):
    reference: Label = Field(min_length=2, max_length=40)
    title: Line = Field(min_length=1)
    description: Paragraph = ""
    statutory_duty: Paragraph = Field(min_length=1)
    funding_source: FundingSource
    value_pence: Pence = Field(gt=0)
    vat_rate: VatRate = VatRate.STANDARD
    start_on: Day
    end_on: Day
    draft: bool = Field(default=False, description="record it unsigned; sign it later")
    signed_on: Day | None = Field(default=None, description="default: today")


class VariationDeclineCreate(BaseModel):
    reason: Paragraph = Field(min_length=3, max_length=300, description="why it is declined")


class VariationCreate(BaseModel):
    """The approver is the signed-in user; a change of value over the threshold waits for a
    second person's approval."""

    kind: VariationKind
    reason: Paragraph = Field(min_length=1)
    approved_on: Day | None = Field(default=None, description="default: today")
    value_pence: Pence | None = Field(default=None, gt=0)
    end_on: Day | None = None
    scope: Paragraph | None = None


class MilestoneCreate(BaseModel):
    title: Line = Field(min_length=1)
    due_on: Day
    payment_pence: Pence = Field(gt=0)


class SignOffCreate(BaseModel):
    evidence: Paragraph = Field(min_length=1, description="what shows the milestone is met")
    payable_gross_pence: Pence | None = Field(
        default=None,
        description="what the officer was shown the LA pays (`invoice-to-raise`): the sign-off "
        "is refused (409), and nothing invoiced, if the invoice would now ask another figure",
    )


class MilestonePublic(BaseModel):
    id: UUID
    title: str
    due_on: date
    payment_pence: int
    completed_on: date | None
    signed_off_by: str | None = None
    signed_off_at: datetime | None = None
    evidence: str = ""


class VariationPublic(BaseModel):
    id: UUID
    kind: VariationKind
    reason: str
    approved_by: str = Field(description="empty while it awaits a second approval")
    approved_on: date = Field(description="the day proposed, while it awaits approval")
    proposed_by: str = Field(description="who proposed it, if a second person approved it")
    value_pence: int | None
    end_on: date | None
    scope: str | None


class SignOffPublic(BaseModel):
    milestone: MilestonePublic
    invoice: LaInvoicePublic


class ContractPublic(ParticularsCreate):
    id: UUID
    annual_value_pence: int | None = Field(
        default=None,
        description="the estimated annual value as the terms now stand: as entered at award "
        "until a variation changes the value or the term, then the current value over the "
        "current term (all of it for a term of a year or less)",
    )
    original_annual_value_pence: int | None = Field(
        default=None, description="the estimated annual value entered at award"
    )
    reference: str
    title: str
    description: str
    statutory_duty: str
    funding_source: FundingSource
    value_pence: int
    original_value_pence: int
    vat_rate: VatRate
    start_on: date
    end_on: date
    original_end_on: date
    status: ContractStatus
    ended: bool = Field(
        default=False,
        description="past its end date (as of today) and not yet closed: its status is as "
        "stored until an officer closes it",
    )
    signed_on: date | None
    closed_on: date | None
    scheduled_pence: int
    milestones: list[MilestonePublic]
    variations: list[VariationPublic]
    pending_variations: list[VariationPublic] = Field(
        description="variations awaiting a second, different person's approval"
    )


class CaseCreate(BaseModel):
    contract_id: UUID
    urn: Urn
    opened_on: Day
    summary: Paragraph = Field(min_length=1)


class StageCreate(BaseModel):
    stage: Stage
    entered_on: Day
    grounds: Paragraph = ""
    required_action: Paragraph = ""
    compliance_by: Day | None = Field(default=None, description="end of the compliance period")
    outcome: Paragraph = ""


class VisitCreate(BaseModel):
    visited_on: Day
    note: Paragraph = Field(min_length=1)


class VisitPublic(VisitCreate):
    id: UUID
    author: str


class CasePublic(BaseModel):
    id: UUID
    contract_id: UUID
    urn: int
    opened_on: date
    summary: str
    stage: Stage
    stages: list[StageCreate]
    visits: list[VisitPublic]


class ProviderCreate(BaseModel):
    name: Line = Field(min_length=1)
    kind: ProviderKind
    catalogue_id: UUID | None = Field(default=None, description="the catalogue's provider id")


class DeploymentCreate(BaseModel):
    provider: ProviderCreate
    half_days: int = Field(gt=0, le=400)
    day_rate_pence: Pence = Field(gt=0)
    vat_rate: VatRate = VatRate.STANDARD
    objectives: Paragraph = Field(min_length=1)
    expected_impact: Paragraph = ""
    starts_on: Day


class DeliveryCreate(BaseModel):
    half_days: Quantity = Field(description="half days delivered")
    completed_on: Day


class DeploymentPublic(DeploymentCreate):
    id: UUID
    case_id: UUID
    contract_id: UUID
    urn: int
    status: DeploymentStatus
    committed_pence: int
    delivered_half_days: int | None
    delivered_cost_pence: int | None
    completed_on: date | None


class KpiCreate(BaseModel):
    title: Line = Field(min_length=1)
    target: Measurement
    higher_is_better: bool = True
    service_credit_pence: Pence = 0


class KpiPublic(KpiCreate):
    id: UUID
    contract_id: UUID


class ActualCreate(BaseModel):
    period: Label = Field(min_length=1, max_length=20, examples=["2026-Q3"])
    actual: Measurement
    reported_on: Day | None = Field(default=None, description="default: today")


class CreditPendingPublic(BaseModel):
    id: UUID
    net_pence: int
    reason: str


class CreditPartPublic(BaseModel):
    """A part of a service credit: taken off an invoice, or waiting for the next."""

    net_pence: int
    invoice_id: UUID | None = Field(description="the invoice it came off; none while it waits")
    invoice_number: str | None = None
    applied_on: date | None = None


class CreditEarnedPublic(CreditPendingPublic):
    """The service credit a miss earned (net; VAT comes off with it), as it now stands."""

    earned_on: date
    waiting_pence: int = Field(description="of the net, what no invoice has taken yet")
    parts: list[CreditPartPublic] = Field(
        description="what each invoice took of it, in the order taken, then what still waits"
    )


class ActualPublic(BaseModel):
    id: UUID
    period: str
    actual: float
    reported_on: date
    met: bool
    service_credit: CreditEarnedPublic | None = Field(
        description="the service credit the miss earned, net, and which invoices took it"
    )


class SchoolPublic(BaseModel):
    urn: int
    name: str
    phase: str
    establishment_type: str
    town: str


class CategorisationCreate(BaseModel):
    category: Category = Field(description="1 good or better … 4 causing concern")
    categorised_on: Day
    reasons: Paragraph = Field(min_length=1)


class CategorisationPublic(BaseModel):
    id: UUID
    urn: int
    category: Category
    label: str
    previous_category: Category | None
    categorised_on: date
    reasons: str
    recorded_by: str


class CurrentCategoryPublic(CategorisationPublic):
    """A school's latest categorisation, and since when it has been in that category."""

    in_category_since: date = Field(
        description="the day the school entered its category: a categorisation in the same "
        "category as the one before it confirms it, and counts from the first of the run"
    )
