"""HTTP models: what the catalogue API accepts and answers."""

from __future__ import annotations

from datetime import date
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
    Term,
)
from services.catalogue.domain.tariff import Priced, in_words
from shared.api import catalogue as contract
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


class PricesInWordsPublic(contract.PricesInWordsPublic):
    @classmethod
    def of(cls, prices: Prices) -> PricesInWordsPublic:
        return cls(
            maintained=in_words(prices.maintained),
            academy=in_words(prices.academy) if prices.academy else None,
            out_of_area=in_words(prices.out_of_area) if prices.out_of_area else None,
        )


class PriceVersionPublic(contract.PriceVersionPublic):
    @classmethod
    def of(cls, version: PriceVersion) -> PriceVersionPublic:
        return cls(
            version=version.version,
            prices=version.prices,
            in_words=PricesInWordsPublic.of(version.prices),
            vat_rate=version.vat_rate,
            effective_from=version.effective_from,
            year=version.year,
        )


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

    def details(self) -> Details:
        return Details(**{name: getattr(self, name) for name in DetailsCreate.model_fields})


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

    def price_list(self) -> Prices:
        """The tariffs given, or one price for everyone: a day rate for consultancy."""
        if self.prices is not None:
            return self.prices
        pence = self.unit_price_pence or 0
        if self.service_type is ServiceType.CONSULTANCY:
            return Prices(maintained=DayRate(pence=pence))
        return flat_prices(pence)


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


class ProviderPublic(contract.ProviderPublic):
    @classmethod
    def of(cls, provider: Provider) -> ProviderPublic:
        return cls.model_validate(provider.__dict__)


class ServicePublic(contract.ServicePublic):
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
                for name in DetailsCreate.model_fields
                if name != "provider_id"
            },
            cfr_title=cfr_title(service.details.cfr_code),
            unit_price_pence=current.headline_pence,
            prices=current.prices,
            prices_in_words=PricesInWordsPublic.of(current.prices),
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
                contract.SchoolPricePublic(
                    urn=urn, unit_price_pence=priced.unit_pence, rule=priced.rule
                )
                if priced and urn is not None
                else None
            ),
        )


class SessionCreate(BaseModel):
    starts_on: Day
    venue: Line = ""
    online: bool = False
    capacity: Quantity
    minimum_places: Count = 0
    decision_on: Day | None = None


class SessionPublic(contract.SessionPublic):
    @classmethod
    def of(cls, session: CourseSession) -> SessionPublic:
        return cls(**session.__dict__, places_left=session.places_left)


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


class QuoteCreate(QuoteLine):
    urn: Urn


class QuotesCreate(BaseModel):
    """Several lines priced for one school at once, as an order of many lines needs them."""

    urn: Urn
    lines: list[QuoteLine] = Field(min_length=1, max_length=MAX_QUOTE_LINES)
