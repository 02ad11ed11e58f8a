"""The demo's evaluation on real outcomes: real Hertfordshire primaries took the school
improvement partner package (primary) from September 2023; a comparison group is matched from
the other Hertfordshire primaries on size, disadvantage and 2023 results; the DfE's published
KS2 results give the 2023 baseline and the 2025 outcome. Beside it, a grant-funded programme of
free CPD with no baseline, flagged before it starts as unable to show impact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from services.catalogue.application.quoting import AskForQuote, quote_for
from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.catalogue.config import Settings as CatalogueSettings
from services.evaluation.application import programmes, published_outcomes
from services.evaluation.application.unit_of_work import EvaluationUnitOfWork
from services.evaluation.domain.outcome_analysis import TrackedMeasure
from services.evaluation.domain.participation import Participation
from services.evaluation.domain.programme import Link, LinkKind
from services.evaluation.domain.published_results import OUTCOME_MEASURES
from services.orders.adapters.register_csv import read_register
from services.seed.files import DATA, SCHOOLS_CSV
from services.seed.ledger import EarlierSale
from shared.calendar import academic_year, academic_year_term
from shared.clock import Clock
from shared.service import Service

# The DfE's KS2 results for Hertfordshire as published (source and licence in data/README.md)
KS2_FILE = DATA / "source" / "hertfordshire-919_ks2final-2024-2025.csv"
KS2_YEAR = 2025
BASELINE_YEAR, OUTCOME_YEAR = 2023, 2025
# The demo's orders for the package: real Hertfordshire primaries, for 2023-24 and 2024-25.
# Thundridge's 2025 results are suppressed (a cohort of four), so it cannot count.
SIP_PRI_ORDERS = (
    117096,  # Shepherd Primary
    117110,  # South Hill Primary School
    117150,  # Shenley Primary School
    117180,  # Hurst Drive Primary School
    117182,  # Summerswood Primary School
    117195,  # Saffron Green Primary School
    117214,  # Chambersbury Primary School
    117255,  # Downfield Primary School
    117324,  # Leavesden JMI School
    117371,  # Oakmere Primary School
    117408,  # Thundridge Church of England Primary School
)
ORDERED_ON = (date(2023, 9, 1), date(2024, 9, 2))
ENDS_ON = date(2025, 8, 31)  # the school year of the 2025 results it is judged on
MATCHES_PER_SCHOOL = 2
SIP_TITLE = "School improvement partner package: primaries, 2023 to 2025"
GRANT_TITLE = "Grant-funded maths mastery work groups (free to schools)"


async def seed_ks2_evaluation(
    service: Service[EvaluationUnitOfWork],
    catalogue: Service[CatalogueUnitOfWork],
    *,
    today: date,
) -> None:
    orders = await _package_orders(catalogue)
    bus = service.bus
    await bus.handle(published_outcomes.ImportKs2File(KS2_FILE.read_text(), KS2_YEAR))
    async with service.unit_of_work() as uow:
        await _record_orders(uow, orders)
    programme = await bus.handle(
        programmes.CreateProgramme(
            title=SIP_TITLE,
            description="Three improvement-partner visits a year for two years, judged on "
            "the schools' published KS2 results.",
            starts_on=ORDERED_ON[0],
            ends_on=ENDS_ON,
            links=(Link(LinkKind.SERVICE, orders.service_id),),
        )
    )
    tracked = tuple(TrackedMeasure(m, BASELINE_YEAR, OUTCOME_YEAR) for m in OUTCOME_MEASURES)
    await bus.handle(published_outcomes.TrackMeasures(programme.id, tracked))
    await bus.handle(
        published_outcomes.MatchOnOutcomes(programme.id, BASELINE_YEAR, MATCHES_PER_SCHOOL)
    )
    await _seed_grant_funded(service, catalogue, starts_on=today + timedelta(days=60))


@dataclass(frozen=True)
class PackageOrders:
    service_id: UUID
    title: str
    category: str
    cfr_code: str
    price_pence: dict[int, int]  # each school's price for a year, the catalogue's own quote


async def _package_orders(catalogue: Service[CatalogueUnitOfWork]) -> PackageOrders:
    settings = catalogue.settings
    home = settings.home_la_code if isinstance(settings, CatalogueSettings) else "919"
    async with catalogue.unit_of_work() as uow:
        package = (await uow.services.by_code())["SIP-PRI"]
        prices = {}
        for urn in SIP_PRI_ORDERS:
            quote = await quote_for(
                uow, AskForQuote(package.id, urn, 1), home_la_code=home, today=Clock().today()
            )
            prices[urn] = quote.net_pence
    details = package.details
    return PackageOrders(package.id, package.title, details.category, details.cfr_code, prices)


async def _record_orders(uow: EvaluationUnitOfWork, orders: PackageOrders) -> None:
    """As `orders.order.placed.v1` would record them; their cost comes from the ledger, which
    holds these sales as history imported from before the platform (`earlier_sales`)."""
    register = {s.urn: s for s in await uow.schools.find(SIP_PRI_ORDERS)}
    for urn in SIP_PRI_ORDERS:
        school = register[urn]
        for ordered_on in ORDERED_ON:
            participation = Participation(
                urn,
                school.name,
                school.phase,
                orders.service_id,
                orders.title,
                _order_id(urn, ordered_on),
                ordered_on,
            )
            await uow.participations.add_all([participation])
    await uow.commit()


def _order_id(urn: int, ordered_on: date) -> UUID:
    return uuid5(NAMESPACE_URL, f"seed:sip-pri:{urn}:{ordered_on.year}")


async def earlier_sales(catalogue: Service[CatalogueUnitOfWork]) -> list[EarlierSale]:
    """The package's sales of 2023-24 and 2024-25, for the ledger's imported history."""
    orders = await _package_orders(catalogue)
    register = {school.urn: school for school in read_register(SCHOOLS_CSV)}
    return [
        EarlierSale(
            reference=f"HIST-SIP-PRI-{urn}-{ordered_on.year}",
            description=(
                f"Imported from the previous finance system: {orders.title}, "
                f"{ordered_on.year}/{(ordered_on.year + 1) % 100:02d}, school {urn}"
            ),
            on=ordered_on,
            term_end=academic_year_term(academic_year(ordered_on))[1],
            urn=urn,
            phase=register[urn].phase,
            la_code=register[urn].la_code,
            service_id=orders.service_id,
            title=orders.title,
            category=orders.category,
            cfr_code=orders.cfr_code,
            net_pence=orders.price_pence[urn],
        )
        for urn in SIP_PRI_ORDERS
        for ordered_on in ORDERED_ON
    ]


async def _seed_grant_funded(
    service: Service[EvaluationUnitOfWork],
    catalogue: Service[CatalogueUnitOfWork],
    *,
    starts_on: date,
) -> None:
    """Free to schools, paid for by a grant: nobody declared an outcome or took a baseline, so
    the programme is flagged before it starts, with what it would need."""
    async with catalogue.unit_of_work() as uow:
        course = (await uow.services.by_code())["MATHS-MAST"]
    await service.bus.handle(
        programmes.CreateProgramme(
            title=GRANT_TITLE,
            description="Free CPD for primary teachers, paid for by a maths hub grant; "
            "schools sign up, and attendance is the only record kept.",
            starts_on=starts_on,
            links=(Link(LinkKind.SERVICE, course.id),),
        )
    )
