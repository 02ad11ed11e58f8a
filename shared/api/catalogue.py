"""What the catalogue API answers, and the words it uses for a service's kind and state."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, Field

from shared.money import VatRate
from shared.tariffs import Prices


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
    places_left: int
    minimum_places: int
    decision_on: date | None
    cancelled_on: date | None


class BookingPublic(BaseModel):
    id: UUID
    order_id: UUID
    line_id: UUID
    urn: int
    places: int
    status: str
    position: int | None


class ImportReportPublic(BaseModel):
    created: int
    changed: int
    unchanged: int


class TrustPriceListPublic(BaseModel):
    trust_code: str
    trust_name: str
    discount_percent: int
