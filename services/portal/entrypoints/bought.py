"""What the shop shows as bought already: a subscription bought for a school for the academic
year a page sells it for, by the school itself or by a trust for it. The orders API refuses to
sell it for that school and year again, so the shop says it is bought instead of offering it."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from services.portal.entrypoints.session import SignedIn
from shared.api.catalogue import ServicePublic
from shared.api.orders import BoughtPublic, LinePublic
from shared.calendar import academic_year


def year_sold(service: ServicePublic) -> str | None:
    """The academic year a shop page sells a subscription for: the year shopped for, else the
    one its school's price's term ends in (as orders counts a financial year's); None for
    anything else, or while no school's price is shown (a trust's buyer, as bought today)."""
    if service.for_year is not None:
        return service.for_year.academic_year
    price = service.price_for_school
    return academic_year(price.term_end) if price and price.term_end else None


YEARLY = ("subscription", "bundle")  # what orders sells once a year for a school


@dataclass(frozen=True)
class BoughtAlready:
    """The subscriptions bought for the schools a shopper buys for, each for its year."""

    rows: list[BoughtPublic]

    def of(self, service: ServicePublic) -> list[BoughtPublic]:
        """Those of this service for the year its page sells it for, a school's each."""
        year = year_sold(service)
        return [
            row for row in self.rows if (row.service_id, row.academic_year) == (service.id, year)
        ]

    def of_line(self, line: LinePublic, urn: int) -> BoughtPublic | None:
        """What bought a basket's subscription line for its school (`urn`, or the one a
        trust's line names) for its year since it was added: the checkout refuses that line."""
        if line.service_type not in YEARLY or line.term_end is None:
            return None
        key = (line.school_urn or urn, line.service_id, academic_year(line.term_end))
        return next(
            (row for row in self.rows if (row.urn, row.service_id, row.academic_year) == key), None
        )

    def by_service(self, services: list[ServicePublic]) -> dict[UUID, BoughtPublic]:
        """Of these services (a school's shop window), those bought for the year shown."""
        return {service.id: found[0] for service in services if (found := self.of(service))}


async def nothing_bought() -> BoughtAlready:
    """For a page that shows none as bought (a trust's shop window, priced for no school)."""
    return BoughtAlready([])


async def bought_already(you: SignedIn) -> BoughtAlready:
    """A school's own; a trust buyer's, each school's of its trust."""
    if you.user.trust:
        return BoughtAlready(await you.apis.orders.trust_bought(you.trust))
    return BoughtAlready(await you.apis.orders.bought(you.urn))
