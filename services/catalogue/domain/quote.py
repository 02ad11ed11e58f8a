"""A school's price for a quantity of one service, with the rule that produced it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.catalogue.domain.booking import check_may_book
from services.catalogue.domain.bundle import check_one_vat_rate, check_parts_orderable
from services.catalogue.domain.course import CourseSession
from services.catalogue.domain.pricing import discounted, price_for
from services.catalogue.domain.provider import Provider
from services.catalogue.domain.school import School
from services.catalogue.domain.service import Service, ServiceType
from services.catalogue.domain.tariff import Priced
from shared.calendar import academic_year
from shared.errors import Invalid
from shared.money import VatRate, format_pounds, line_amounts


@dataclass(frozen=True)
class Quote:
    service_id: UUID
    price_version: int
    urn: int
    quantity: int
    unit_price_pence: int
    net_pence: int
    vat_pence: int
    gross_pence: int
    vat_rate: VatRate
    rule: str
    half_days: bool
    title: str
    category: str
    cfr_code: str
    service_type: str
    provider_id: UUID | None
    session_id: UUID | None
    starts_on: date  # the prices are those in force on this day
    price_year: str
    renews_every: str | None = None  # a rolling service: its subscription renews so often
    notice_days: int = 0
    term_start: date | None = None  # a subscription: the period it covers
    term_end: date | None = None


def price_for_school(
    service: Service,
    school: School,
    *,
    on: date,
    home_la_code: str,
    components: list[Service],
    half_day: bool = False,
) -> Priced:
    """One unit's price for this school under the prices in force on `on`; a bundle's is its
    parts' prices less the discount. Adjustments for a buyer (a trust's discount) wrap this."""
    if service.service_type is not ServiceType.BUNDLE:
        prices = service.prices_on(on).prices
        return price_for(prices, school, home_la_code=home_la_code, half_day=half_day)
    if half_day:
        raise Invalid("only a day rate is booked by the half-day", field="half_days")
    parts = [
        price_for(part.prices_on(on).prices, school, home_la_code=home_la_code)
        for part in components
    ]
    total = sum(part.unit_pence for part in parts)
    percent = service.details.discount_percent
    return Priced(
        discounted(total, percent),
        f"bundle of {len(parts)} services ({format_pounds(total)}) less {percent}%",
    )


def quote(
    service: Service,
    school: School,
    *,
    quantity: int,
    home_la_code: str,
    provider: Provider | None = None,
    session: CourseSession | None = None,
    components: list[Service] | None = None,
    component_providers: Mapping[UUID, Provider] | None = None,
    half_days: bool = False,
    starts_on: date,
    year: str | None = None,
    today: date,
) -> Quote:
    """Prices `quantity` units for a service starting on `starts_on` (a course session's own
    date wins, if it can still be booked `today`; a subscription's term not yet begun, or a
    bundle of subscriptions', its start), or a subscription bought for an academic `year` at
    that year's price list (`Service.bought_in`, as the shop shows it); `half_days` books a
    day rate by the half-day. A bundle comes with its `components` and their providers."""
    service.check_orderable()
    if provider is not None:
        provider.check_may_sell()
    components = components or []
    check_parts_orderable(components, component_providers or {})
    if quantity < 1:
        raise Invalid("the quantity must be at least 1", field="quantity")
    if session is not None:
        if session.service_id != service.id:
            raise Invalid("that session belongs to another service", field="session_id")
        check_may_book(service, session, today)
        starts_on = session.starts_on
    term: tuple[date, date] | None
    if year is not None:
        starts_on, term = service.bought_in(year, today, components)
    else:
        starts_on, term = service.bought_for(starts_on, components)
        if term is not None:  # a subscription is sold only for the years it lists
            service.check_available_in(academic_year(term[1]), field="starts_on")
    priced = price_for_school(
        service,
        school,
        on=starts_on,
        home_la_code=home_la_code,
        components=components,
        half_day=half_days,
    )
    if components:
        check_one_vat_rate(service, components, on=starts_on)
    version = service.prices_on(starts_on)
    amounts = line_amounts(
        unit_price_pence=priced.unit_pence, quantity=quantity, rate=version.vat_rate
    )
    return Quote(
        service_id=service.id,
        price_version=version.version,
        urn=school.urn,
        quantity=quantity,
        unit_price_pence=priced.unit_pence,
        net_pence=amounts.net,
        vat_pence=amounts.vat,
        gross_pence=amounts.gross,
        vat_rate=version.vat_rate,
        rule=priced.rule,
        half_days=half_days,
        title=service.title,
        category=service.details.category,
        cfr_code=service.details.cfr_code,
        service_type=service.service_type.value,
        provider_id=service.details.provider_id,
        session_id=session.id if session else None,
        renews_every=service.details.renews_every,
        notice_days=service.details.notice_days,
        starts_on=starts_on,
        price_year=service.price_year(starts_on, components),
        term_start=term[0] if term else None,
        term_end=term[1] if term else None,
    )
