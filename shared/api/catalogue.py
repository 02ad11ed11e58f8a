"""What the catalogue API accepts and answers, and the words it uses for a service's kind and
state."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field, ValidationInfo, field_validator, model_validator

from shared.bounds import (
    AcademicYear,
    Count,
    Day,
    Items,
    Label,
    Line,
    Paragraph,
    Pence,
    Quantity,
    Urn,
)
from shared.money import VatRate
from shared.tariffs import Prices

MAX_NOTICE_DAYS = 365  # a rolling service's notice of cancellation
MAX_QUOTE_LINES = 100  # as many as an order may have
# A quote's refusal `code`: a subscription asked for a year to come whose price list the
# catalogue team has not set yet (it may be bought once it is; the buy-back leaves it till then).
NOT_YET_PRICED = "not_yet_priced"
CFR_DESCRIPTION = (
    "the DfE CFR expenditure code a maintained school books it against (E27, E28a…); "
    "left empty, the usual code for its category"
)


class ServiceType(StrEnum):
    SUBSCRIPTION = "subscription"  # an annual SLA for a financial or academic year
    COURSE = "course"  # CPD with dated sessions, priced per delegate
    CONSULTANCY = "consultancy"  # booked in days or half-days at a day rate
    BUNDLE = "bundle"  # several services together at a stated discount
    ROLLING = "rolling"  # renews itself each term or year until cancelled, with notice


class Status(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class Term(StrEnum):
    FINANCIAL_YEAR = "financial_year"  # April to March
    ACADEMIC_YEAR = "academic_year"  # September to August


class Renewal(StrEnum):
    """How often a rolling service renews itself."""

    TERM = "term"
    YEAR = "year"


class ProviderKind(StrEnum):
    COMPANY_TEAM = "company_team"
    TEACHING_SCHOOL = "teaching_school"
    NLE = "nle"  # National Leader of Education
    LLE = "lle"  # Local Leader of Education
    QA_SCHOOL = "qa_school"  # a quality-assured school


class QaStatus(StrEnum):
    APPROVED = "approved"
    UNDER_REVIEW = "under_review"
    SUSPENDED = "suspended"


class DetailsCreate(BaseModel):
    title: Line = Field(min_length=1)
    description: Paragraph = ""
    category: Label = Field(min_length=1)
    phases: Annotated[tuple[Label, ...], Items] = ()
    academic_years: Annotated[tuple[AcademicYear, ...], Items] = ()
    provider_id: UUID | None = None
    term: Term | None = None
    components: Annotated[tuple[UUID, ...], Items] = ()
    discount_percent: int = Field(0, ge=0, le=99)
    renews_every: Renewal | None = Field(None, description="a rolling service: term or year")
    notice_days: int = Field(0, ge=0, le=MAX_NOTICE_DAYS)
    cfr_code: Label = Field("", max_length=4, description=CFR_DESCRIPTION)


class ServiceCreate(DetailsCreate):
    code: str = Field(min_length=2, max_length=40, pattern=r"^[A-Z0-9][A-Z0-9-]*$")
    service_type: ServiceType
    unit_price_pence: Pence | None = Field(None, description="a flat price for everyone")
    prices: Prices | None = None
    vat_rate: VatRate = VatRate.STANDARD

    @model_validator(mode="after")
    def _priced(self) -> ServiceCreate:
        if self.prices is None and self.unit_price_pence is None:
            raise ValueError("give unit_price_pence or prices")
        return self


class ServiceRevisionCreate(BaseModel):
    """Only the fields given change. Null is no value: leave a field out to keep it as it is
    (only `provider_id` may be null, which takes the provider off the service)."""

    title: Line = Field("", min_length=1)
    description: Paragraph = ""
    category: Label = Field("", min_length=1)
    phases: Annotated[tuple[Label, ...], Items] = ()
    academic_years: Annotated[tuple[AcademicYear, ...], Items] = ()
    provider_id: UUID | None = None
    discount_percent: int = Field(0, ge=0, le=99)
    cfr_code: Label = Field("", max_length=4, description=CFR_DESCRIPTION)

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: object, info: ValidationInfo) -> object:
        if value is None and info.field_name != "provider_id":
            raise ValueError("may not be null: leave the field out to keep it as it is")
        return value


class PriceVersionCreate(BaseModel):
    prices: Prices
    vat_rate: VatRate = VatRate.STANDARD
    effective_from: Day | None = Field(
        None, description="the day the new prices take effect: today (default) or later"
    )


class ProviderCreate(BaseModel):
    name: Line = Field(min_length=1)
    kind: ProviderKind
    designation: Line = ""
    expertise: Annotated[tuple[Label, ...], Items] = ()


class QaStatusCreate(BaseModel):
    qa_status: QaStatus
    note: Paragraph = ""


class SessionCreate(BaseModel):
    starts_on: Day
    venue: Line = ""
    online: bool = False
    capacity: Quantity
    minimum_places: Count = 0
    decision_on: Day | None = None


class QuoteLineCreate(BaseModel):
    service_id: UUID
    quantity: Quantity = Field(description="places, days, or half-days when half_days is set")
    session_id: UUID | None = None
    half_days: bool = Field(default=False, description="day rates only: book by the half-day")
    starts_on: Day | None = Field(
        None,
        description="the day the service starts: the prices in force that day apply "
        "(default: the session's date, or today)",
    )
    academic_year: AcademicYear | None = Field(
        None,
        description="a subscription (or a bundle of them) bought for this academic year, this "
        "one or the next: its term, at the price list set for it (refused while there is "
        f"none, with the code `{NOT_YET_PRICED}`)",
    )


class QuoteCreate(QuoteLineCreate):
    urn: Urn


class QuotesCreate(BaseModel):
    """Several lines priced for one school at once, as an order of many lines needs them."""

    urn: Urn
    lines: list[QuoteLineCreate] = Field(min_length=1, max_length=MAX_QUOTE_LINES)


class TrustPriceListCreate(BaseModel):
    trust_name: Line = Field(min_length=1)
    discount_percent: int = Field(ge=0, le=99, description="off the tariff price, every service")


class PricesInWordsPublic(BaseModel):
    """Each tariff as a person reads it (None: as maintained schools)."""

    maintained: str
    academy: str | None
    out_of_area: str | None


class PriceVersionPublic(BaseModel):
    version: int
    prices: Prices
    in_words: PricesInWordsPublic
    vat_rate: VatRate
    effective_from: date
    year: str = Field(description="the financial (2026-27) or academic (2026/27) year it is for")


class PriceVersionSetPublic(PriceVersionPublic):
    created_at: datetime


class ProviderPublic(BaseModel):
    id: UUID
    name: str
    kind: ProviderKind
    designation: str
    expertise: tuple[str, ...]
    qa_status: QaStatus
    qa_note: str
    rating_average: float | None
    ratings: int


class SchoolPricePublic(BaseModel):
    """A school's own price for one unit, and the rule that produced it in words."""

    urn: int
    unit_price_pence: int
    rule: str
    term_start: date | None = Field(None, description="a subscription: the period it would cover")
    term_end: date | None = None
    session_on: date | None = Field(None, description="a course: the session the price is for")
    vat_rate: VatRate = Field(
        description="the VAT rate of the price list the price is from, which the basket charges"
    )


class YearSalePublic(BaseModel):
    """A subscription (or a bundle of them) as sold for the academic year asked for: the term
    it covers and the VAT rate of that year's price list, or why it cannot be bought for it."""

    academic_year: str
    on_sale: bool
    refused: str = Field(default="", description="why it cannot be bought for that year, if so")
    term_start: date | None = None
    term_end: date | None = None
    vat_rate: VatRate | None = None


class ServicePublic(BaseModel):
    id: UUID
    code: str
    title: str
    description: str
    service_type: ServiceType
    unit: str
    category: str
    phases: tuple[str, ...]
    academic_years: tuple[str, ...]
    term: Term | None
    components: tuple[UUID, ...]
    discount_percent: int
    renews_every: Renewal | None
    notice_days: int
    cfr_code: str
    cfr_title: str
    unit_price_pence: int = Field(description="the least any school pays for one unit today")
    prices: Prices = Field(description="the prices in force today")
    prices_in_words: PricesInWordsPublic
    vat_rate: VatRate
    price_version: int = Field(description="the version in force today")
    price_year: str
    price_effective_from: date
    upcoming_prices: list[PriceVersionPublic] = Field(
        description="price versions set to take effect later (next year's list)"
    )
    status: Status
    provider: ProviderPublic | None = None
    rating_average: float | None
    ratings: int
    price_for_school: SchoolPricePublic | None = None
    for_year: YearSalePublic | None = Field(
        None,
        description="asked for an academic year: a subscription (or a bundle of them) as sold "
        "for it, `price_for_school` then being that year's; None for a service not bought by "
        "the year, priced as bought today",
    )


class ShopFiltersPublic(BaseModel):
    categories: list[str]
    phases: tuple[str, ...]
    academic_years: list[str]
    financial_years: list[str]


class SessionPublic(BaseModel):
    id: UUID
    service_id: UUID
    starts_on: date
    venue: str
    online: bool
    capacity: int
    places_taken: int
    places_left: int = Field(
        description="the places a new order may take: none while schools wait for places"
    )
    schools_waiting: int = Field(0, description="how many orders wait on its waiting list")
    minimum_places: int
    decision_on: date | None
    cancelled_on: date | None
    confirmed_on: date | None = None  # the day its decision date found it had its minimum


class BookingPublic(BaseModel):
    id: UUID
    order_id: UUID
    line_id: UUID
    urn: int
    places: int
    status: str
    position: int | None
    school_name: str | None = None  # None while the register has not told the catalogue of it


class WaitingPlacePublic(BaseModel):
    """A school's order line waiting for places on a session, and its place in line now."""

    order_id: UUID
    line_id: UUID
    session_id: UUID
    position: int = Field(description="its place in line now: 1 is first")


class ImportReportPublic(BaseModel):
    created: int
    changed: int
    unchanged: int


class TrustPriceListPublic(BaseModel):
    trust_code: str
    trust_name: str
    discount_percent: int
