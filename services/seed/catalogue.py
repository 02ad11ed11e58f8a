"""The catalogue's demo data: providers, the catalogue spreadsheet (catalogue.csv, imported
through the same use case admins use), next academic year's price list for its subscriptions
(set as the catalogue team sets one), dated course sessions (next term's with a minimum number
and a decision date), and the schools register."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from services.catalogue.adapters.catalogue_csv import read_catalogue
from services.catalogue.application import capacity, importing, providers, schools
from services.catalogue.application.services import RepriceService
from services.catalogue.application.trust_prices import SetTrustPriceList
from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.catalogue.domain.provider import ProviderKind
from services.catalogue.domain.service import ServiceType
from services.catalogue.domain.trust_prices import TrustPriceList
from services.seed.demo_trust import (
    DEMO_TRUST_CODE,
    DEMO_TRUST_DISCOUNT_PERCENT,
    DEMO_TRUST_NAME,
    seed_register,
)
from services.seed.files import SCHOOLS_CSV
from shared.calendar import academic_year, academic_year_term, next_academic_year
from shared.events import SchoolRegisteredV1
from shared.service import Service

CATALOGUE_CSV = Path(__file__).with_name("catalogue.csv")
FIRST_SESSION_WEEKS_AHEAD = 5  # the first course runs on the first Monday five weeks from today
TERM_DAYS = 84  # and again twelve weeks later
NEXT_TERM_MINIMUM = 6  # next term's sessions run only if this many places are booked
DECIDED_DAYS_BEFORE = 21  # three weeks before such a session, it is decided whether it runs

PROVIDERS = [
    (
        "School improvement team",
        ProviderKind.COMPANY_TEAM,
        "Improvement partners",
        ("school improvement", "inspection readiness", "leadership", "curriculum"),
    ),
    ("Data and assessment team", ProviderKind.COMPANY_TEAM, "", ("assessment", "data analysis")),
    ("Early years team", ProviderKind.COMPANY_TEAM, "", ("early years", "phonics")),
    ("SEND advisory team", ProviderKind.COMPANY_TEAM, "", ("SEND", "inclusion")),
    ("Safeguarding team", ProviderKind.COMPANY_TEAM, "", ("safeguarding", "online safety")),
    ("Governance services", ProviderKind.COMPANY_TEAM, "", ("governance", "clerking")),
    ("Finance team", ProviderKind.COMPANY_TEAM, "", ("school finance", "payroll")),
    ("HR team", ProviderKind.COMPANY_TEAM, "", ("HR", "recruitment", "employment law")),
    ("IT services", ProviderKind.COMPANY_TEAM, "", ("IT support", "cyber security", "MIS")),
    (
        "Teaching school hub partnership",
        ProviderKind.TEACHING_SCHOOL,
        "Teaching school hub",
        ("ECT induction", "mentoring", "leadership development"),
    ),
    (
        "NLE associates",
        ProviderKind.NLE,
        "National Leaders of Education",
        ("school improvement", "schools causing concern", "primary leadership"),
    ),
    (
        "LLE associates",
        ProviderKind.LLE,
        "Local Leaders of Education",
        ("headteacher support", "secondary leadership"),
    ),
    (
        "Quality-assured schools network",
        ProviderKind.QA_SCHOOL,
        "Quality-assured schools",
        ("maths mastery", "early reading"),
    ),
]


async def seed_catalogue(
    service: Service[CatalogueUnitOfWork], schools_csv: Path | None = None
) -> int:
    """Idempotent: an already-seeded catalogue is left alone. Returns services added."""
    await seed_catalogue_schools(service, schools_csv)
    async with service.unit_of_work() as uow:
        if await uow.services.all():
            return 0
    for name, kind, designation, expertise in PROVIDERS:
        await service.bus.handle(providers.RegisterProvider(name, kind, designation, expertise))
    calendar = SeedCalendar.from_today(service.clock.today())
    rows = [
        replace(row, academic_years=calendar.years) if row.academic_years else row
        for row in read_catalogue(CATALOGUE_CSV.read_text())
    ]
    result: importing.ImportResult = await service.bus.handle(importing.ImportCatalogue(rows))
    await _price_next_year(service, calendar.years[-1], service.clock.today())
    await _schedule_courses(service, calendar)
    await service.bus.handle(
        SetTrustPriceList(
            TrustPriceList(DEMO_TRUST_CODE, DEMO_TRUST_NAME, DEMO_TRUST_DISCOUNT_PERCENT)
        )
    )
    return result.created


@dataclass(frozen=True)
class SeedCalendar:
    """The demo's dates, from the day it is seeded: each course runs twice, a week after the
    one before it, from the first Monday five weeks ahead and again a term later; what
    catalogue.csv sells for a year (it was written for 2026/27) it sells for this academic
    year and the next (whose buy-back schools renew into), so that the demo, seeded on any
    day, has courses to book and subscriptions to buy and renew."""

    first_session: date
    years: tuple[str, ...]

    @classmethod
    def from_today(cls, today: date) -> SeedCalendar:
        ahead = today + timedelta(weeks=FIRST_SESSION_WEEKS_AHEAD)
        this_year = academic_year(today)
        first_monday = ahead + timedelta(days=-ahead.weekday() % 7)
        return cls(first_monday, (this_year, next_academic_year(this_year)))

    def session_on(self, course: int, term: int) -> date:
        return self.first_session + timedelta(days=7 * course + TERM_DAYS * term)


async def _price_next_year(
    service: Service[CatalogueUnitOfWork], next_year: str, today: date
) -> None:
    """Next academic year's price list at this year's prices, set ahead as the catalogue team
    sets it: without it no subscription is sold for next year, nor renewed into it. Each list
    starts with the term a subscription bought for that year covers (1 September; 1 April for
    one sold by the financial year), where that is still to come."""
    async with service.unit_of_work() as uow:
        subscriptions = [
            found
            for found in await uow.services.all()
            if found.service_type is ServiceType.SUBSCRIPTION
        ]
    for subscription in subscriptions:
        term = subscription.term_from(academic_year_term(next_year)[0])
        if term is None or term[0] <= today:
            continue  # a financial year under way: its list is the one set today
        standing = subscription.prices_on(today)
        await service.bus.handle(
            RepriceService(subscription.id, standing.prices, standing.vat_rate, term[0])
        )


async def _schedule_courses(service: Service[CatalogueUnitOfWork], calendar: SeedCalendar) -> None:
    async with service.unit_of_work() as uow:
        courses = [s for s in await uow.services.all() if s.service_type is ServiceType.COURSE]
    for number, course in enumerate(courses):
        for term in range(2):  # one session this term, one next (which needs a minimum)
            starts_on = calendar.session_on(number, term)
            decision_on = starts_on - timedelta(days=DECIDED_DAYS_BEFORE)
            await service.bus.handle(
                capacity.ScheduleSession(
                    service_id=course.id,
                    starts_on=starts_on,
                    venue="" if term else "Training centre, Stevenage",
                    online=bool(term),
                    capacity=12 + 6 * (number % 3),
                    minimum_places=NEXT_TERM_MINIMUM if term else 0,
                    decision_on=decision_on if term else None,
                )
            )


async def seed_catalogue_schools(
    service: Service[CatalogueUnitOfWork], schools_csv: Path | None = None
) -> int:
    """The register the catalogue prices by, read as orders reads it, entered as the
    `orders.school.registered.v1` events would enter it."""
    async with service.unit_of_work() as uow:
        if await uow.schools.count():
            return 0
    register = [
        SchoolRegisteredV1(**school.__dict__)
        for school in seed_register(schools_csv or SCHOOLS_CSV)
    ]
    registered: int = await service.bus.handle(schools.RegisterSchools(register))
    return registered
