"""HTTP models: what the catalogue API accepts and answers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field, model_validator

from services.catalogue.domain.course import CourseSession
from services.catalogue.domain.pricing import PriceVersion, flat_prices
from services.catalogue.domain.provider import Provider, ProviderKind, QaStatus
from services.catalogue.domain.service import (
    MAX_NOTICE_DAYS,
    Details,
    Renewal,
    Service,
    ServiceType,
    Status,
    Term,
)
from services.catalogue.domain.tariff import Priced, in_words
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
from shared.cfr import cfr_title
from shared.money import VatRate
from shared.tariffs import DayRate, Prices

MAX_QUOTE_LINES = 100  # as many as an order may have

CFR_DESCRIPTION = (
    "the DfE CFR expenditure code a maintained school books it against (E27, E28a…); "
    "left empty, the usual code for its category"
)


class PricesInWords(BaseModel):
    """Each tariff as a person reads it (None: as maintained schools)."""

    maintained: str
    academy: str | None
    out_of_area: str | None

    @classmethod
    def of(cls, prices: Prices) -> PricesInWords:
        return cls(
            maintained=in_words(prices.maintained),
            academy=in_words(prices.academy) if prices.academy else None,
            out_of_area=in_words(prices.out_of_area) if prices.out_of_area else None,
        )


class PriceVersionPublic(BaseModel):
    version: int
    prices: Prices
    in_words: PricesInWords
    vat_rate: VatRate
    effective_from: date
    year: str = Field(description="the financial (2026-27) or academic (2026/27) year it is for")

    @classmethod
    def of(cls, version: PriceVersion) -> PriceVersionPublic:
        return cls(
            version=version.version,
            prices=version.prices,
            in_words=PricesInWords.of(version.prices),
            vat_rate=version.vat_rate,
            effective_from=version.effective_from,
            year=version.year,
        )


class DetailsIn(BaseModel):
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

    def details(self) -> Details:
        return Details(**{name: getattr(self, name) for name in DetailsIn.model_fields})


class ServiceCreate(DetailsIn):
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

    def price_list(self) -> Prices:
        """The tariffs given, or one price for everyone: a day rate for consultancy."""
        if self.prices is not None:
            return self.prices
        pence = self.unit_price_pence or 0
        if self.service_type is ServiceType.CONSULTANCY:
            return Prices(maintained=DayRate(pence=pence))
        return flat_prices(pence)


class Reprice(BaseModel):
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


class QaStatusChange(BaseModel):
    qa_status: QaStatus
    note: Paragraph = ""


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

    @classmethod
    def of(cls, provider: Provider) -> ProviderPublic:
        return cls.model_validate(provider.__dict__)


class SchoolPrice(BaseModel):
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
    prices_in_words: PricesInWords
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
    price_for_school: SchoolPrice | None = None

    @classmethod
    def of(
        cls,
        service: Service,
        provider: Provider | None = None,
        *,
        today: date,
        urn: int | None = None,
        priced: Priced | None = None,
    ) -> ServicePublic:
        current = service.prices_on(today)
        return cls(
            id=service.id,
            code=service.code,
            service_type=service.service_type,
            unit=service.unit,
            **{
                name: getattr(service.details, name)
                for name in DetailsIn.model_fields
                if name != "provider_id"
            },
            cfr_title=cfr_title(service.details.cfr_code),
            unit_price_pence=current.headline_pence,
            prices=current.prices,
            prices_in_words=PricesInWords.of(current.prices),
            vat_rate=current.vat_rate,
            price_version=current.version,
            price_year=current.year,
            price_effective_from=current.effective_from,
            upcoming_prices=[PriceVersionPublic.of(v) for v in service.upcoming(today)],
            status=service.status,
            provider=ProviderPublic.of(provider) if provider else None,
            rating_average=service.rating_average,
            ratings=service.ratings,
            price_for_school=(
                SchoolPrice(urn=urn, unit_price_pence=priced.unit_pence, rule=priced.rule)
                if priced and urn is not None
                else None
            ),
        )


class ShopFilters(BaseModel):
    categories: list[str]
    phases: tuple[str, ...]
    academic_years: list[str]
    financial_years: list[str]


class PriceVersionSetPublic(PriceVersionPublic):
    created_at: datetime


class SessionCreate(BaseModel):
    starts_on: Day
    venue: Line = ""
    online: bool = False
    capacity: Quantity
    minimum_places: Count = 0
    decision_on: Day | None = None


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

    @classmethod
    def of(cls, session: CourseSession) -> SessionPublic:
        return cls(**session.__dict__, places_left=session.places_left)


class BookingPublic(BaseModel):
    id: UUID
    order_id: UUID
    line_id: UUID
    urn: int
    places: int
    status: str
    position: int | None


class QuoteLine(BaseModel):
    service_id: UUID
    quantity: Quantity = Field(description="places, days, or half-days when half_days is set")
    session_id: UUID | None = None
    half_days: bool = Field(default=False, description="day rates only: book by the half-day")
    starts_on: Day | None = Field(
        None,
        description="the day the service starts: the prices in force that day apply "
        "(default: the session's date, or today)",
    )


class QuoteRequest(QuoteLine):
    urn: Urn


class QuotesRequest(BaseModel):
    """Several lines priced for one school at once, as an order of many lines needs them."""

    urn: Urn
    lines: list[QuoteLine] = Field(min_length=1, max_length=MAX_QUOTE_LINES)
