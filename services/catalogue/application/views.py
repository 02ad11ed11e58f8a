"""What the catalogue's routes read: each view opens the unit of work it reads in (reads
commit nothing) and returns domain objects for the route to shape."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from services.catalogue.adapters.repository import PriceVersionSet, Search
from services.catalogue.application import importing, quoting
from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.catalogue.domain.booking import bookable_sessions
from services.catalogue.domain.bundle import part_seller_stopped
from services.catalogue.domain.course import Booking, CourseSession, WaitingLine, in_line
from services.catalogue.domain.provider import Provider
from services.catalogue.domain.quote import Quote
from services.catalogue.domain.service import Service, ServiceType, Status, YearSale, sale_in
from services.catalogue.domain.tariff import Priced
from services.catalogue.domain.trust_prices import TrustPriceList
from shared.auth import Principal, Role, check_reaches_school
from shared.errors import NotFound


@dataclass(frozen=True)
class Shown:
    """A service as a viewer sees it: with its provider and, for a school, its price. A bundle
    comes with its parts, and with the provider of one of them instead of its own when that
    one is suspended: it cannot be bought then."""

    service: Service
    provider: Provider | None
    priced: Priced | None = None
    session_on: date | None = None  # a course: the day of the session its price is for
    components: list[Service] = field(default_factory=list)
    sale: YearSale | None = None  # a subscription, asked for an academic year: as sold for it


@dataclass(frozen=True)
class Page:
    shown: list[Shown]
    total: int


def is_staff(user: Principal) -> bool:
    """Catalogue staff see drafts and retired services; everyone else sees the shop window."""
    return user.role in (Role.CATALOGUE_ADMIN, Role.ADMIN)


async def services_page(
    uow: CatalogueUnitOfWork,
    search: Search,
    *,
    viewer: Principal,
    urn: int | None,
    home_la_code: str,
    today: date,
    year: str | None = None,
) -> Page:
    """A page of the services found, each priced for the school (as bought today, or for the
    academic `year`, if one is asked for)."""
    async with uow:
        found, total = await uow.services.search(search)
        days = await _next_sessions(uow, found, today)
        parts = await quoting.parts_of(uow, found)
        sales = _sales(found, parts, year, today)
        prices = await _prices_for(
            uow, viewer, urn, found, home_la_code, on=today, days=days, sales=sales
        )
        providers = {provider.id: provider for provider in await uow.providers.all()}
    return Page(
        [
            Shown(
                s,
                _provider_of(s, parts[s.id], providers),
                prices.get(s.id),
                days.get(s.id),
                parts[s.id],
                sales.get(s.id),
            )
            for s in found
        ],
        total=total,
    )


async def service(
    uow: CatalogueUnitOfWork,
    service_id: UUID,
    *,
    viewer: Principal,
    home_la_code: str,
    today: date,
    year: str | None = None,
    urn: int | None = None,
) -> Shown:
    """One service, priced for the school (the viewer's, or `urn`: one the viewer may price
    for), as bought today or for the academic `year`."""
    async with uow:
        found = await uow.services.get(service_id)
        if found.status is Status.DRAFT and not is_staff(viewer):
            raise NotFound(f"no service {service_id}", field="service_id")
        days = await _next_sessions(uow, [found], today)
        parts = await quoting.components_of(uow, found)
        sales = _sales([found], {found.id: parts}, year, today)
        prices = await _prices_for(
            uow, viewer, urn, [found], home_la_code, on=today, days=days, sales=sales
        )
        providers = await uow.providers.by_ids(
            {s.details.provider_id for s in (found, *parts) if s.details.provider_id}
        )
    provider = _provider_of(found, parts, providers)
    return Shown(
        found, provider, prices.get(found.id), days.get(found.id), parts, sales.get(found.id)
    )


async def price_history(uow: CatalogueUnitOfWork, service_id: UUID) -> list[PriceVersionSet]:
    async with uow:
        await uow.services.get(service_id)
        return await uow.services.price_history(service_id)


async def on_sale(uow: CatalogueUnitOfWork) -> tuple[list[str], list[str]]:
    """The categories and academic years of the services on sale."""
    async with uow:
        return await uow.services.on_sale()


async def catalogue_rows(uow: CatalogueUnitOfWork, *, today: date) -> list[dict[str, str]]:
    async with uow:
        return await importing.export_catalogue(uow, today=today)


async def providers(uow: CatalogueUnitOfWork) -> list[Provider]:
    async with uow:
        return await uow.providers.all()


async def provider(uow: CatalogueUnitOfWork, provider_id: UUID) -> Provider:
    async with uow:
        return await uow.providers.get(provider_id, field="id")


async def quotes(
    uow: CatalogueUnitOfWork,
    urn: int,
    asks: list[quoting.AskForQuote],
    *,
    viewer: Principal,
    home_la_code: str,
    today: date,
    one: bool = False,
) -> list[Quote]:
    """Each ask's quote for the school `urn`; a refusal names its line unless `one` was asked."""
    async with uow:
        await check_may_price_for(uow, viewer, urn)
        return await quoting.quotes_for(uow, asks, home_la_code=home_la_code, today=today, one=one)


async def sessions(
    uow: CatalogueUnitOfWork, service_id: UUID, *, bookable_on: date | None = None
) -> list[tuple[CourseSession, WaitingLine]]:
    """A course's sessions, each with its waiting list; given `bookable_on`, only those a
    school can book that day."""
    async with uow:
        course = await uow.services.get(service_id)
        found = await uow.courses.sessions_of(service_id)
        if bookable_on is not None:
            found = bookable_sessions(course, found, bookable_on)
        lines = await uow.courses.waiting_lines([session.id for session in found])
    return [(session, lines[session.id]) for session in found]


@dataclass(frozen=True)
class BookingShown:
    booking: Booking
    school_name: str | None  # None: a school the register has not (yet) told the catalogue of


async def bookings(uow: CatalogueUnitOfWork, session_id: UUID) -> list[BookingShown]:
    async with uow:
        await uow.courses.session(session_id)
        found = in_line(await uow.courses.bookings_on(session_id))
        names = await uow.schools.names({booking.urn for booking in found})
    return [BookingShown(booking, names.get(booking.urn)) for booking in found]


async def waiting_places(uow: CatalogueUnitOfWork, viewer: Principal, urn: int) -> list[Booking]:
    """The school's bookings still waiting, each numbered by its place in line now."""
    async with uow:
        await check_reaches(uow, viewer, urn, refusal="a school reads only its own places")
        waiting = await uow.courses.waiting_with(urn)
    lines: dict[UUID, list[Booking]] = {}
    for booking in waiting:
        lines.setdefault(booking.session_id, []).append(booking)
    return [booking for line in lines.values() for booking in in_line(line) if booking.urn == urn]


async def trust_price_list(uow: CatalogueUnitOfWork, trust_code: str) -> TrustPriceList:
    """A trust's price list (no discount if none is set)."""
    async with uow:
        found = await uow.trust_prices.find(trust_code)
    return found or TrustPriceList(trust_code, trust_code, 0)


async def check_may_price_for(uow: CatalogueUnitOfWork, user: Principal, urn: int) -> None:
    """A school asks for its own prices, a trust buyer for its trust's schools', staff for any."""
    await check_reaches(uow, user, urn, refusal="a school can ask only for its own prices")


async def check_reaches(
    uow: CatalogueUnitOfWork, user: Principal, urn: int, *, refusal: str
) -> None:
    """A school reads its own, a trust buyer its trust's schools', staff any (refused, naming
    `urn`, saying `refusal` to a school)."""
    trust = None
    if user.is_trust_buyer:
        with suppress(NotFound):
            trust = (await uow.schools.get(urn)).trust_code
    check_reaches_school(user, urn, trust=trust, refusal=refusal)


def _provider_of(
    service: Service, parts: list[Service], providers: dict[UUID, Provider]
) -> Provider | None:
    stopped = (found for part in parts if (found := part_seller_stopped(part, providers)))
    provider_id = service.details.provider_id
    return next(stopped, None) or (providers.get(provider_id) if provider_id else None)


def _sales(
    services: list[Service], parts: dict[UUID, list[Service]], year: str | None, today: date
) -> dict[UUID, YearSale]:
    """Each subscription (or bundle of them) as sold for the academic `year`, if one is asked."""
    if year is None:
        return {}
    sales = {s.id: sale_in(s, year, today, parts[s.id]) for s in services}
    return {service_id: sale for service_id, sale in sales.items() if sale is not None}


async def _next_sessions(
    uow: CatalogueUnitOfWork, services: list[Service], today: date
) -> dict[UUID, date]:
    """The day of each course's first session a school can book today."""
    courses = [s for s in services if s.service_type is ServiceType.COURSE]
    if not courses:
        return {}
    to_come = await uow.courses.sessions_after([course.id for course in courses], today)
    firsts = {course.id: bookable_sessions(course, to_come[course.id], today) for course in courses}
    return {course_id: found[0].starts_on for course_id, found in firsts.items() if found}


async def _prices_for(
    uow: CatalogueUnitOfWork,
    user: Principal,
    urn: int | None,
    services: list[Service],
    home_la_code: str,
    *,
    on: date,
    days: dict[UUID, date],
    sales: dict[UUID, YearSale],
) -> dict[UUID, Priced | None]:
    if urn is not None:
        await check_may_price_for(uow, user, urn)
        school = await uow.schools.get(urn)
    elif user.urn is not None:
        try:
            school = await uow.schools.get(user.urn)
        except NotFound:  # not on the catalogue's register yet: browse without prices
            return {}
    else:
        return {}
    return await quoting.prices_for(
        uow, services, school, on=on, home_la_code=home_la_code, session_days=days, year_sales=sales
    )
