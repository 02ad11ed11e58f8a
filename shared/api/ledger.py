"""What the ledger API accepts and answers, the finance reports' shape included."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.bounds import Day, Label, Line, Paragraph, Pence, SignedPence, Urn
from shared.limits import MAX_ITEMS
from shared.money import Strand

BALANCE_SHEET_KINDS = ("asset", "liability", "equity")  # the others are income and expense


class BalancePublic(BaseModel):
    code: str
    name: str
    kind: str
    strand: Strand | None  # None: an account shared by the strands, or a core account
    balance_pence: int

    @property
    def on_balance_sheet(self) -> bool:
        """An asset, liability or equity account, not an income or cost account."""
        return self.kind in BALANCE_SHEET_KINDS


class LaInvoiceOwedPublic(BaseModel):
    """An invoice to the LA as the book holds it: what the LA has paid and what is left."""

    number: str
    invoiced_on: date | None
    invoiced_pence: int
    credited_pence: int = Field(description="taken off by service credits")
    paid_pence: int
    outstanding_pence: int = Field(description="left to pay (after any journal to it too)")


class LaPaymentPublic(BaseModel):
    """A payment by the LA of an invoice, as finance recorded it from the bank statement."""

    reference: str = Field(description="the bank's (BACS) reference")
    amount_pence: int
    received_on: date
    recorded_at: datetime
    recorded_by: str | None = Field(description="who recorded it, as the audit trail names them")
    reversed_on: date | None = Field(
        default=None, description="the day finance's reversal took it off the invoice, if it did"
    )
    reversal_description: str | None = Field(
        default=None, description="the reversal as the book describes it, with finance's reason"
    )
    reversal_reason: str | None = Field(
        default=None,
        description="finance's reason for the reversal, whole (None for one the book described "
        "before it kept reasons apart, when its description could not be read back)",
    )


class IncomeByStrandPublic(BaseModel):
    traded_pence: int
    statutory_pence: int
    total_pence: int
    start: date  # 1 April of the financial year of `as_of`
    as_of: date
    counts: str  # what the figures count, in words


class PostingPublic(BaseModel):
    account: str
    amount_pence: int
    urn: int | None = None
    phase: str | None = None
    la_code: str | None = None
    service_id: str | None = None
    category: str | None = None
    contract_id: str | None = None
    funding_source: str | None = None
    document: str | None = None


class TransactionPublic(BaseModel):
    id: UUID
    source_key: str
    source_event_id: str | None
    source_subject: str
    kind: str
    strand: Strand
    description: str
    dated: date
    posted_on: date
    financial_year: str
    note: str | None
    reverses_id: UUID | None
    reference: str | None = Field(default=None, description="the bank's, for an LA payment")
    reversal_reason: str | None = Field(default=None, description="a reversal's: finance's reason")
    postings: list[PostingPublic]


class JournalLinePublic(BaseModel):
    account: str
    account_name: str
    debit_pence: int
    credit_pence: int


class SchedulePartPublic(BaseModel):
    on: date
    pence: int
    posted: bool


class SchedulePublic(BaseModel):
    """When a sale's deferred income becomes income: each part once."""

    parts: list[SchedulePartPublic]
    count: int
    each_pence: int | None  # None when the parts differ
    total_pence: int
    recognised_pence: int
    first_on: date
    last_on: date


class JournalEntryPublic(BaseModel):
    """A journal entry as an accountant reads it; `/transactions/{id}` has its postings."""

    id: UUID
    posted_on: date
    dated: date
    reference: str
    description: str
    kind: str
    strand: Strand
    note: str | None
    urn: int | None
    school_name: str | None
    document_kind: str  # invoice, card payment, LA invoice, contract, journal, payout, reversal
    document: str | None
    reversal_reason: str | None = None  # a reversal's: finance's reason
    contract_id: str | None
    contract_reference: str | None
    contract_title: str | None
    lines: list[JournalLinePublic]
    schedule: SchedulePublic | None
    # what a sale's lines still hold in deferred income for its order's delivery (a consultancy
    # day not yet delivered nor given back), beside its schedule
    on_delivery_pence: int = 0


class PeriodPublic(BaseModel):
    month: str
    closed_by: str


class ReopeningCreate(BaseModel):
    reason: Paragraph = Field(min_length=3, max_length=300)


class PeriodEventPublic(BaseModel):
    """One closing or reopening of a month, for the audit."""

    month: str
    action: str  # closed | reopened
    by: str
    at: datetime
    reason: str | None


class ReversalCreate(BaseModel):
    reason: Line = Field(min_length=3, description="why, in a line: kept whole with the reversal")
    on: Day | None = None  # today if not given

    @field_validator("reason")
    @classmethod
    def _says_something(cls, reason: str) -> str:
        if len(reason.strip()) < 3:
            raise ValueError("must say why, in 3 characters or more besides spaces")
        return reason.strip()


class JournalLineCreate(BaseModel):
    account: Label
    amount_pence: SignedPence  # debit positive, credit negative
    urn: Urn | None = None
    contract_id: UUID | None = None
    document: Label | None = None


class JournalCreate(BaseModel):
    reference: Line = Field(min_length=1, max_length=80)
    description: Line = Field(min_length=3)
    on: Day
    lines: list[JournalLineCreate] = Field(min_length=2, max_length=MAX_ITEMS)
    strand: Strand | None = Field(
        default=None,
        description="a journal of shared balance-sheet accounts alone (bank, receivables, "
        "deferred income): the strand it belongs to, e.g. a traded sale imported from earlier "
        "books; otherwise its accounts say",
    )


MAX_PAYMENTS_IN_A_PAYOUT = 100_000
MAX_PAYOUTS_IN_A_REPORT = 1000


class PayoutCreate(BaseModel):
    payout_id: Label = Field(min_length=1)
    arrival_on: Day
    amount_pence: SignedPence
    fee_pence: Pence = 0
    payment_references: list[Label] = Field(max_length=MAX_PAYMENTS_IN_A_PAYOUT)


class ImportedPublic(BaseModel):
    imported: int


class HeadingPublic(BaseModel):
    """A report's column as a person reads it: its heading in words and the unit of its
    figures."""

    key: str
    heading: str
    unit: str  # pounds (the figures are pence), percent, months or text


class ReportRowPublic(BaseModel):
    """One row of a report."""

    model_config = ConfigDict(populate_by_name=True)

    def cells(self) -> dict[str, Any]:
        """The row by the keys the report's `columns` and `headings` name."""
        return self.model_dump(by_alias=True)


Row = TypeVar("Row", bound=ReportRowPublic)


class ReportPublic(BaseModel, Generic[Row]):
    """Every ledger report: a title, columns and rows, and its headline figures beside them
    (each report declares its own)."""

    title: str
    columns: list[str]
    rows: list[Row]
    headings: list[HeadingPublic] = []


class TrialBalanceRowPublic(ReportRowPublic):
    code: str
    name: str
    kind: str
    strand: Strand | None
    debit_pence: int
    credit_pence: int


class TrialBalancePublic(ReportPublic[TrialBalanceRowPublic]):
    """Each account's debit or credit balance; total debits less total credits is zero."""

    as_of: date
    debits_pence: int
    credits_pence: int
    difference_pence: int


class StatementLinePublic(ReportRowPublic):
    posted_on: date
    transaction_id: UUID
    kind: str
    description: str
    document: str | None
    urn: int | None
    trust_code: str | None
    amount_pence: int
    balance_pence: int  # running
    source_event_id: str | None
    source_subject: str
    note: str | None


class StatementPublic(ReportPublic[StatementLinePublic]):
    opening_pence: int
    closing_pence: int


class IncomeRowPublic(ReportRowPublic):
    """Income of one value of the dimension the report is by (only that one is given)."""

    service: str | None = None
    category: str | None = None
    cfr: str | None = None
    school: int | None = None
    phase: str | None = None
    la: str | None = None
    month: str | None = None  # YYYY-MM
    account: str | None = None
    name: str | None  # what the value is called, where it is not its own name
    income_pence: int
    last_year_pence: int  # the same period a year earlier
    change_pence: int

    def cells(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, exclude_unset=True)


class IncomeReportPublic(ReportPublic[IncomeRowPublic]):
    """A strand's income by a dimension, beside the same period a year earlier."""

    income_pence: int
    last_year_pence: int
    start: date
    as_of: date
    counts: str  # what the figures count, in words


class ContractRowPublic(ReportRowPublic):
    contract: str  # its reference
    title: str | None
    income_pence: int
    cost_pence: int
    surplus_pence: int
    contract_id: str | None


class StatutoryByContractPublic(ReportPublic[ContractRowPublic]):
    income_pence: int
    cost_pence: int
    surplus_pence: int
    as_of: date


class AgedDebtFigures(BaseModel):
    """Pence owed by days since the invoice."""

    model_config = ConfigDict(populate_by_name=True)

    up_to_30_pence: int = Field(alias="0-30_pence")
    from_31_to_60_pence: int = Field(alias="31-60_pence")
    from_61_to_90_pence: int = Field(alias="61-90_pence")
    over_90_pence: int = Field(alias="90+_pence")
    total_pence: int


class AgedDebtRowPublic(AgedDebtFigures, ReportRowPublic):
    urn: int | None  # None: an academy trust owes it, or the LA
    name: str
    strand: Strand = Field(
        Strand.TRADED, description="traded: a school or trust owes it; statutory: the LA does"
    )


class AgedDebtPublic(AgedDebtFigures, ReportPublic[AgedDebtRowPublic]):
    """What each school or academy trust owes, then what the LA owes, by days since the
    invoice."""


class MeasurePublic(ReportRowPublic):
    """One measure of a report of measures, with its value in words."""

    measure: str
    label: str
    value: int | float | str | None
    unit: str  # pounds (the value is pence), percent, months or text
    shown: str  # the value as a person reads it, or why there is none
    note: str


class SustainabilityPublic(ReportPublic[MeasurePublic]):
    """The company's sustainability measures; beside these, `buy_back_<phase>_percent` for
    each phase of the register (see `buy_back`)."""

    model_config = ConfigDict(extra="allow")

    financial_year: str
    as_of: date
    surplus_traded_pence: int
    surplus_statutory_pence: int
    surplus_core_pence: int
    surplus_overall_pence: int
    income_pence: int
    traded_share_percent: float | None
    statutory_share_percent: float | None
    grant_share_percent: float | None
    renewal_rate_percent: float | None
    top_10_concentration_percent: float | None
    pd_spend_pence: int
    pd_share_percent: float | None
    pd_against_2_to_5_percent: str  # below, within, above, or no income
    reserves_pence: int
    net_burn_months: str  # the months averaged, YYYY-MM,YYYY-MM,…
    monthly_net_burn_pence: int
    runway_months: float | None

    @property
    def buy_back(self) -> dict[str, float]:
        """Phase → the share of the register's schools of that phase that bought this year."""
        prefix, suffix = "buy_back_", "_percent"
        return {
            key.removeprefix(prefix).removesuffix(suffix): float(value)
            for key, value in (self.model_extra or {}).items()
            if key.startswith(prefix) and key.endswith(suffix)
        }


class PayoutCheckPublic(ReportRowPublic):
    payout_id: str
    arrival_on: date
    gross_pence: int
    expected_pence: int
    difference_pence: int
    unknown_references: str  # space-separated
    repeated_references: str  # space-separated
    status: str  # matched or mismatch


class WaitingPaymentPublic(BaseModel):
    payment_reference: str
    pence: int
    since: date


class StripeReconciliationPublic(ReportPublic[PayoutCheckPublic]):
    """Each imported Stripe payout against clearing, and what still waits for a payout."""

    clearing_balance_pence: int
    waiting_for_payout_pence: int
    waiting_for_payout: list[WaitingPaymentPublic]
    mismatches: int
    unexplained_clearing_pence: int


REPORTS: dict[str, type[ReportPublic[Any]]] = {  # by the name in the report's path
    "trial-balance": TrialBalancePublic,
    "traded-income": IncomeReportPublic,
    "statutory-income": IncomeReportPublic,
    "statutory-by-contract": StatutoryByContractPublic,
    "aged-debt": AgedDebtPublic,
    "sustainability": SustainabilityPublic,
    "stripe-reconciliation": StripeReconciliationPublic,
}
