"""A service's prices for each kind of customer, and which of them applies to one school."""

from __future__ import annotations

from dataclasses import dataclass

from services.catalogue.domain.school import Funding, School
from services.catalogue.domain.tariff import Priced, Tariff, parse_tariff


@dataclass(frozen=True)
class PriceList:
    """Maintained schools in the home LA pay `maintained`; academies pay `academy`; schools
    outside the home LA, and independent schools, pay `out_of_area`. A missing price falls back
    to the maintained one."""

    maintained: Tariff
    academy: Tariff | None = None
    out_of_area: Tariff | None = None

    @classmethod
    def parse(cls, maintained: str, academy: str = "", out_of_area: str = "") -> PriceList:
        return cls(
            maintained=parse_tariff(maintained, field="maintained_price"),
            academy=parse_tariff(academy, field="academy_price") if academy.strip() else None,
            out_of_area=(
                parse_tariff(out_of_area, field="out_of_area_price")
                if out_of_area.strip()
                else None
            ),
        )

    def texts(self) -> tuple[str, str, str]:
        return (
            self.maintained.text(),
            self.academy.text() if self.academy else "",
            self.out_of_area.text() if self.out_of_area else "",
        )

    @property
    def headline_pence(self) -> int:
        """The base price announced with the service; a school's own price comes from a quote."""
        return self.maintained.headline_pence

    def price_for(self, school: School, *, home_la_code: str) -> Priced:
        tariff, whose = self._tariff_for(school, home_la_code)
        priced = tariff.price(school.pupils)
        return Priced(priced.unit_pence, f"{priced.rule}, {whose}")

    def _tariff_for(self, school: School, home_la_code: str) -> tuple[Tariff, str]:
        if not school.in_area(home_la_code):
            return self._or_maintained(self.out_of_area, "out-of-area price")
        if school.funding is Funding.ACADEMY:
            return self._or_maintained(self.academy, "academy price")
        if school.funding is Funding.OTHER:
            return self._or_maintained(self.out_of_area, "independent and other schools' price")
        return self.maintained, "maintained school price"

    def _or_maintained(self, tariff: Tariff | None, whose: str) -> tuple[Tariff, str]:
        if tariff is None:
            return self.maintained, f"maintained school price (no separate {whose})"
        return tariff, whose


def discounted(total_pence: int, discount_percent: int) -> int:
    """A bundle's price: the sum of its parts less the stated discount, to the nearest penny."""
    return (total_pence * (100 - discount_percent) * 2 + 100) // 200


def halved(pence: int) -> int:
    """Half of an amount, a half penny rounded up (as VAT is)."""
    return (pence + 1) // 2
