"""A service's prices: the tariff each kind of school pays, in versions that each take effect
on a date, and which of them applies to one school on one day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.catalogue.domain.school import Funding, School
from services.catalogue.domain.tariff import Priced, headline_pence, price
from shared.api.catalogue import ServiceType
from shared.money import VatRate
from shared.tariffs import DayRate, Flat, Prices, Tariff


@dataclass(frozen=True)
class PriceVersion:
    """One price list of a service. It is in force from `effective_from` until a later version
    takes effect; `year` is the financial or academic year it was set for."""

    version: int
    prices: Prices
    vat_rate: VatRate
    effective_from: date
    year: str

    @property
    def headline_pence(self) -> int:
        """The base price announced with the service; a school's own price comes from a quote."""
        return headline_pence(self.prices.maintained)


def in_force(versions: tuple[PriceVersion, ...], day: date) -> PriceVersion:
    """The version in force on `day`: the last to take effect on or before it (of two taking
    effect the same day, the later set). A service's first prices also stand for the days
    before they took effect, such as a course session dated before the service was added."""
    started = [v for v in versions if v.effective_from <= day] or [versions[0]]
    return max(started, key=lambda v: (v.effective_from, v.version))


def price_for(
    prices: Prices, school: School, *, home_la_code: str, half_day: bool = False
) -> Priced:
    """This school's price for one unit (half a day when `half_day`), naming whose price it is."""
    tariff, whose = _tariff_for(prices, school, home_la_code)
    priced = price(tariff, pupils=school.pupils, phase=school.pricing_phase, half_day=half_day)
    return Priced(priced.unit_pence, f"{priced.rule}, {whose}")


def _tariff_for(prices: Prices, school: School, home_la_code: str) -> tuple[Tariff, str]:
    if not school.in_area(home_la_code):
        return _or_maintained(prices, prices.out_of_area, "out-of-area price")
    if school.funding is Funding.ACADEMY:
        return _or_maintained(prices, prices.academy, "academy price")
    if school.funding is Funding.OTHER:
        return _or_maintained(prices, prices.out_of_area, "independent and other schools' price")
    return prices.maintained, "maintained school price"


def _or_maintained(prices: Prices, tariff: Tariff | None, whose: str) -> tuple[Tariff, str]:
    if tariff is None:
        return prices.maintained, f"maintained school price (no separate {whose})"
    return tariff, whose


def flat_prices(pence: int) -> Prices:
    return Prices(maintained=Flat(pence=pence))


def price_list(service_type: ServiceType, prices: Prices | None, unit_pence: int | None) -> Prices:
    """The tariffs given, or one price for everyone: a day rate for consultancy."""
    if prices is not None:
        return prices
    if service_type is ServiceType.CONSULTANCY:
        return Prices(maintained=DayRate(pence=unit_pence or 0))
    return flat_prices(unit_pence or 0)


def discounted(total_pence: int, discount_percent: int) -> int:
    """A bundle's price: the sum of its parts less the stated discount, to the nearest penny."""
    return (total_pence * (100 - discount_percent) * 2 + 100) // 200
