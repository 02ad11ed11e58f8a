"""Pricing one service for one school: the quote orders are placed at."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.catalogue.adapters.repository import one_of
from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.catalogue.domain.booking import check_session_chosen
from services.catalogue.domain.quote import Quote, price_for_school, quote
from services.catalogue.domain.school import School
from services.catalogue.domain.service import Service, ServiceType, YearSale
from services.catalogue.domain.tariff import Priced
from services.catalogue.domain.trust_prices import trust_quote
from shared.errors import DomainError, Invalid

LINE_FIELDS = ("service_id", "quantity", "session_id", "half_days", "starts_on", "academic_year")


@dataclass(frozen=True)
class AskForQuote:
    service_id: UUID
    urn: int
    quantity: int
    session_id: UUID | None = None
    half_days: bool = False
    starts_on: date | None = None  # None: today
    academic_year: str | None = None  # a subscription bought for this year, at its price list


async def quote_for(
    uow: CatalogueUnitOfWork, ask: AskForQuote, *, home_la_code: str, today: date
) -> Quote:
    quoted = await quotes_for(uow, [ask], home_la_code=home_la_code, today=today, one=True)
    return quoted[0]


async def quotes_for(
    uow: CatalogueUnitOfWork,
    asks: list[AskForQuote],
    *,
    home_la_code: str,
    today: date,
    one: bool = False,
) -> list[Quote]:
    """Each ask's quote, in order, for one school; the school, the services and their
    providers are read once for all the lines. A refusal names its line (`lines.<n>.<field>`)
    unless `one` quote was asked for."""
    school = await uow.schools.get(asks[0].urn)
    trust_prices = await uow.trust_prices.find(school.trust_code)
    services = await uow.services.by_ids(list({ask.service_id for ask in asks}))
    parts = await parts_of(uow, list(services.values()))
    everyone = [*services.values(), *(part for found in parts.values() for part in found)]
    providers = await uow.providers.by_ids(
        {s.details.provider_id for s in everyone if s.details.provider_id}
    )
    found = []
    for index, ask in enumerate(asks):
        try:
            if ask.academic_year and ask.starts_on:
                raise Invalid("give a start day or an academic year, not both", field="starts_on")
            service = one_of(services, ask.service_id)
            if ask.session_id is None and service.service_type is ServiceType.COURSE:
                check_session_chosen(service, await uow.courses.sessions_of(service.id), today)
            provider_id = service.details.provider_id
            tariff_quote = quote(
                service,
                school,
                quantity=ask.quantity,
                home_la_code=home_la_code,
                provider=providers.get(provider_id) if provider_id else None,
                session=await uow.courses.session(ask.session_id) if ask.session_id else None,
                components=parts[service.id],
                component_providers=providers,
                half_days=ask.half_days,
                starts_on=ask.starts_on or today,
                year=ask.academic_year,
                today=today,
            )
        except DomainError as refused:
            if not one and refused.field in LINE_FIELDS:  # name the line at fault
                refused.field = f"lines.{index}.{refused.field}"
            raise
        found.append(trust_quote(tariff_quote, trust_prices))
    return found


async def prices_for(
    uow: CatalogueUnitOfWork,
    services: list[Service],
    school: School,
    *,
    on: date,
    home_la_code: str,
    session_days: Mapping[UUID, date],
    year_sales: Mapping[UUID, YearSale] | None = None,
) -> dict[UUID, Priced | None]:
    """Each service's unit price for a school browsing on `on`, as buying one then would
    charge it: a subscription at its term's prices (or, bought for a year, at the prices of
    its sale in `year_sales`), a course at its next session's (from `session_days`); None
    where no price applies."""
    found: dict[UUID, Priced | None] = {}
    trust_prices = await uow.trust_prices.find(school.trust_code)
    parts = await parts_of(uow, services)
    for service in services:
        sale = (year_sales or {}).get(service.id)
        try:
            if sale is not None:
                day = sale.day()
            else:
                day = service.price_day(session_days.get(service.id, on), parts[service.id])
            priced = price_for_school(
                service,
                school,
                on=day,
                home_la_code=home_la_code,
                components=parts[service.id],
            )
            found[service.id] = trust_prices.applied_to(priced) if trust_prices else priced
        except DomainError:
            found[service.id] = None
    return found


async def components_of(uow: CatalogueUnitOfWork, service: Service) -> list[Service]:
    return (await parts_of(uow, [service]))[service.id]


async def parts_of(uow: CatalogueUnitOfWork, services: list[Service]) -> dict[UUID, list[Service]]:
    """Each service's components (none but a bundle's), read at once for them all."""
    wanted = {part_id for service in services for part_id in service.details.components}
    found = await uow.services.by_ids(list(wanted)) if wanted else {}
    return {s.id: [found[part_id] for part_id in s.details.components] for s in services}
