"""A sellable service and its lifecycle: draft → published → retired."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from uuid import UUID, uuid4

from services.catalogue.domain.cfr import cfr_code_for
from services.catalogue.domain.pricing import PriceVersion, in_force

# The service's kinds and states are words of the catalogue's HTTP contract too.
from shared.api.catalogue import MAX_NOTICE_DAYS, NOT_YET_PRICED
from shared.api.catalogue import Renewal as Renewal
from shared.api.catalogue import ServiceType as ServiceType
from shared.api.catalogue import Status as Status
from shared.api.catalogue import Term as Term
from shared.calendar import (
    academic_year,
    academic_year_term,
    financial_year,
    financial_year_term,
    long_date,
    rolling_period,
    years_on_sale,
)
from shared.errors import Conflict, Invalid
from shared.money import VatRate
from shared.tariffs import Prices
from shared.years_sold import sold_in

UNIT_OF = {
    ServiceType.SUBSCRIPTION: "year",
    ServiceType.COURSE: "delegate",
    ServiceType.CONSULTANCY: "day",
    ServiceType.BUNDLE: "bundle",
    ServiceType.ROLLING: "period",
}


PHASES = ("nursery", "primary", "secondary", "special", "all-through", "alternative-provision")


class CodeTaken(Conflict):
    def __init__(self, code: str) -> None:
        super().__init__(f"service code {code!r} is already in use", field="code")


@dataclass(frozen=True)
class Details:
    """What an admin may change about a service without touching its price."""

    title: str
    description: str = ""
    category: str = "General"
    phases: tuple[str, ...] = ()
    academic_years: tuple[str, ...] = ()
    provider_id: UUID | None = None
    term: Term | None = None
    components: tuple[UUID, ...] = ()
    discount_percent: int = 0
    renews_every: Renewal | None = None  # a rolling service only
    notice_days: int = 0  # a rolling service: how long before a period ends notice is due
    cfr_code: str = ""  # empty: the usual code for its category (see domain/cfr.py)

    def checked(self, service_type: ServiceType) -> Details:
        if not self.title.strip():
            raise Invalid("a service needs a title", field="title")
        unknown = [phase for phase in self.phases if phase not in PHASES]
        if unknown:
            raise Invalid(f"unknown phase(s) {', '.join(unknown)}", field="phases")
        if service_type is ServiceType.BUNDLE and len(self.components) < 2:
            raise Invalid("a bundle needs at least two services", field="components")
        if service_type is not ServiceType.BUNDLE and self.components:
            raise Invalid("only a bundle has component services", field="components")
        if not 0 <= self.discount_percent < 100:
            raise Invalid("a discount is a percentage from 0 to 99", field="discount_percent")
        self._check_renewal(service_type)
        cfr_code = cfr_code_for(
            self.cfr_code, category=self.category, is_course=service_type is ServiceType.COURSE
        )
        checked = replace(self, title=self.title.strip(), cfr_code=cfr_code)
        if service_type is ServiceType.SUBSCRIPTION and self.term is None:
            return replace(checked, term=Term.FINANCIAL_YEAR)
        return checked

    def _check_renewal(self, service_type: ServiceType) -> None:
        rolling = service_type is ServiceType.ROLLING
        if rolling and self.renews_every is None:
            raise Invalid("a rolling service renews every term or year", field="renews_every")
        if not rolling and (self.renews_every is not None or self.notice_days):
            raise Invalid("only a rolling service renews with notice", field="renews_every")
        if not 0 <= self.notice_days <= MAX_NOTICE_DAYS:
            raise Invalid(f"notice is 0 to {MAX_NOTICE_DAYS} days", field="notice_days")


@dataclass
class Service:
    id: UUID
    code: str
    service_type: ServiceType
    details: Details
    versions: tuple[PriceVersion, ...]  # oldest first
    status: Status = Status.DRAFT
    rating_average: float | None = None
    ratings: int = 0
    revision: int = 0  # one more with every change (see `_changed`)
    # when the academic years it is sold for last changed (None: not since this was kept): an
    # order placed after it is sold only what these years allow
    years_changed_at: datetime | None = None
    # when it was retired (None: not retired, or retired before this was kept): an order
    # placed from then on, before orders heard of it, gets no course places
    retired_at: datetime | None = None
    changes: list[str] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def draft(
        cls,
        *,
        code: str,
        service_type: ServiceType,
        details: Details,
        prices: Prices,
        vat_rate: VatRate,
        today: date,
    ) -> Service:
        checked = details.checked(service_type)
        first = PriceVersion(1, prices, vat_rate, today, _year_of(checked.term, today))
        return cls(
            id=uuid4(), code=code, service_type=service_type, details=checked, versions=(first,)
        )

    @property
    def title(self) -> str:
        return self.details.title

    @property
    def unit(self) -> str:
        """What one is priced for; a rolling service's, the period it renews by (term, year)."""
        every = self.details.renews_every
        return every.value if every is not None else UNIT_OF[self.service_type]

    def period_under_way(self, day: date) -> tuple[date, date] | None:
        """A rolling service bought on `day` pays first for the period then under way (its
        school term or academic year, as orders bills it); None for any other service."""
        every = self.details.renews_every
        return rolling_period(day, every.value) if every is not None else None

    @property
    def latest(self) -> PriceVersion:
        """The price version set last, which may not be in force yet."""
        return self.versions[-1]

    @property
    def price_version(self) -> int:
        return self.latest.version

    def prices_on(self, day: date) -> PriceVersion:
        return in_force(self.versions, day)

    def upcoming(self, today: date) -> list[PriceVersion]:
        """Versions set to take effect after today (next year's list while this one is on sale)."""
        return [v for v in self.versions if v.effective_from > today]

    def publish(self) -> None:
        if self.status is not Status.DRAFT:
            raise Conflict(
                f"only a draft can be published; this service is {self.status}", field="id"
            )
        self.status = Status.PUBLISHED
        self._changed("published")

    def retire(self, *, at: datetime) -> None:
        """Retired `at` this moment: no longer sold."""
        if self.status is not Status.PUBLISHED:
            raise Conflict(f"only a published service can be retired; this one is {self.status}")
        self.status = Status.RETIRED
        self.retired_at = at
        self._changed("retired")

    def retired_when_ordered(self, ordered_at: datetime | None) -> bool:
        """Whether it was retired when an order was placed `ordered_at` (orders may not have
        heard of the retirement yet); an order placed before keeps what it bought. One retired
        before the moment was kept, or an order that does not say when it was placed, is held
        to its status now."""
        if self.status is not Status.RETIRED:
            return False
        retired = self.retired_at
        return ordered_at is None or retired is None or ordered_at >= retired

    def revise(self, details: Details, *, at: datetime) -> None:
        """Its details as given `at` this moment."""
        self._refuse_if_retired()
        checked = details.checked(self.service_type)
        if checked.academic_years != self.details.academic_years:
            self.years_changed_at = at
        if checked != self.details:
            self.details = checked
            self._changed("revised")

    def reprice(
        self, prices: Prices, vat_rate: VatRate, *, effective_from: date, today: date
    ) -> None:
        """A new price version taking effect on `effective_from` (today or later, so that what
        was in force stays as it was); orders already placed keep the prices they were quoted.
        The same prices again change nothing, but for a year to come whose list is not set: a
        year's list at the prices of the year before is that year's price all the same."""
        self._refuse_if_retired()
        standing = self.prices_on(effective_from)
        year = _year_of(self.details.term, effective_from)
        ahead = effective_from > today and standing.year != year
        if (prices, vat_rate) == (standing.prices, standing.vat_rate) and not ahead:
            return
        if effective_from < today:
            raise Invalid("new prices cannot take effect before today", field="effective_from")
        version = PriceVersion(self.price_version + 1, prices, vat_rate, effective_from, year)
        self.versions = (*self.versions, version)
        self._changed("repriced")

    def check_orderable(self) -> None:
        if self.status is not Status.PUBLISHED:
            raise Conflict(
                f"this service is {self.status}: it cannot be ordered", field="service_id"
            )

    def sold_in_when_ordered(self, year: str, ordered_at: datetime | None) -> bool:
        """Whether it was sold for `year` when an order was placed `ordered_at`: as its years
        now say, unless they changed after the order (the years then are not kept: the order
        was checked by them, and keeps what it bought). An order that does not say when it was
        placed is held to the years now."""
        if sold_in(self.details.academic_years, year):
            return True
        changed = self.years_changed_at
        return ordered_at is not None and changed is not None and ordered_at < changed

    def check_available_in(self, year: str, *, field: str = "session_id") -> None:
        """A service that lists academic years runs only in those (a subscription by the
        financial year, in the academic year its year ends in); one listing none runs in any."""
        if not sold_in(self.details.academic_years, year):
            years = ", ".join(self.details.academic_years)
            raise Invalid(f"{self.title} runs in {years}, not {year}", field=field)

    def sold_by(self, parts: Sequence[Service] = ()) -> Term | None:
        """The year a subscription is sold by; a bundle's is its `parts`' when they are all
        subscriptions sold by the same one (None when none is a subscription)."""
        if self.service_type is ServiceType.SUBSCRIPTION:
            return self.details.term
        if self.service_type is not ServiceType.BUNDLE:
            return None
        terms = {
            part.details.term for part in parts if part.service_type is ServiceType.SUBSCRIPTION
        }
        if not terms:
            return None
        if len(terms) > 1 or any(
            part.service_type is not ServiceType.SUBSCRIPTION for part in parts
        ):
            raise Invalid(
                "a bundle's services must all be subscriptions sold by the same year, or none "
                "a subscription: " + ", ".join(f"{part.code} ({_kind_of(part)})" for part in parts),
                field="components",
            )
        return terms.pop()

    def term_from(self, day: date, parts: Sequence[Service] = ()) -> tuple[date, date] | None:
        """The period a subscription bought for `day` covers: its year (academic or financial,
        as it is sold) under way that day or, for one sold only in later academic years, the
        first of those. A bundle of subscriptions (its `parts`) covers the latest of its own and
        its parts' periods. None for any other service."""
        term = self.sold_by(parts)
        if term is None:
            return None
        covered = [_term_of(term, day, self.details.academic_years)]
        covered += [period for part in parts if (period := part.term_from(day))]
        return max(covered)

    def price_day(self, day: date, parts: Sequence[Service] = ()) -> date:
        """The day whose prices a purchase made for `day` takes: a subscription's term (or a
        bundle of subscriptions') not yet begun is sold at its own start's prices (next year's
        list, prepared ahead)."""
        return self.bought_for(day, parts)[0]

    def bought_for(
        self, day: date, parts: Sequence[Service] = ()
    ) -> tuple[date, tuple[date, date] | None]:
        """A purchase made for `day`: the day whose prices it takes (`price_day`) and the term
        it covers, each worked out once."""
        term = self.term_from(day, parts)
        if term is None or term[0] <= day:
            return day, term
        return term[0], self.term_from(term[0], parts)

    def bought_in(
        self, year: str, today: date, parts: Sequence[Service] = ()
    ) -> tuple[date, tuple[date, date]]:
        """A subscription (or a bundle of them) bought `today` for the academic year `year` (a
        financial year counts with the academic year it ends in): the day whose prices it takes
        (its term's start, if that is to come) and the term it covers. Refused, naming
        `academic_year`, for a year not on sale (this one and the next are), for a service not
        bought by the year or not run in that one, and for a term to come whose year has no
        price list yet: the list in force then would be an earlier year's."""
        this, following = years_on_sale(today)
        if year not in (this, following):
            raise Invalid(
                f"subscriptions are sold for {this} or {following}, not {year}",
                field="academic_year",
            )
        term = self.term_from(max(academic_year_term(year)[0], today), parts)
        if term is None:
            raise Invalid(f"{self.title} is not bought by the year", field="academic_year")
        price_day, term = self.bought_for(max(term[0], today), parts)
        assert term is not None  # the same term, from its start or from today
        if academic_year(term[1]) != year:
            raise Invalid(
                f"{self.title} runs in {academic_year(term[1])}, not {year}",
                field="academic_year",
            )
        self.check_available_in(year, field="academic_year")
        if price_day > today:
            self._check_priced_for(price_day, parts, year)
        return price_day, term

    def _check_priced_for(self, day: date, parts: Sequence[Service], year: str) -> None:
        """The price list in force on `day` (each part's, for a bundle) was set for that day's
        year: a list for an earlier year still standing then is not that year's price."""
        wanted = _year_of(self.sold_by(parts), day)
        priced = parts if self.service_type is ServiceType.BUNDLE else (self,)
        if any(service.prices_on(day).year != wanted for service in priced):
            raise Invalid(
                f"{self.title} has no price for {year} yet: its prices from "
                f"{long_date(day)} are still to be set",
                field="academic_year",
                code=NOT_YET_PRICED,
            )

    def price_year(self, day: date, parts: Sequence[Service] = ()) -> str:
        """The year of the price list a purchase priced on `day` is charged from: a bundle's,
        its parts' lists of that year; another service's, its own version in force."""
        if self.service_type is ServiceType.BUNDLE:
            return _year_of(self.sold_by(parts), day)
        return self.prices_on(day).year

    def record_rating(self, average: float | None, count: int) -> None:
        """The averages of the most ratings heard: ratings are only ever added, so an event
        heard late (a second worker's, a parked one re-driven) changes nothing."""
        if count >= self.ratings:
            self.rating_average, self.ratings = average, count

    def _changed(self, what: str) -> None:
        """Every change counts a revision, so that a copy of the service kept from the events
        announcing them can tell the later of two changes that leave the price as it was."""
        self.changes.append(what)
        self.revision += 1

    def _refuse_if_retired(self) -> None:
        if self.status is Status.RETIRED:
            raise Conflict("a retired service cannot be changed", field="status")


@dataclass(frozen=True)
class YearSale:
    """A subscription (or a bundle of them) as the shop sells it for one academic year: the
    day whose prices it takes and the term it covers, or why it cannot be bought for it."""

    year: str
    price_day: date | None = None
    term: tuple[date, date] | None = None
    refused: str = ""

    def day(self) -> date:
        """The day whose prices it takes; refused as it was, if it cannot be bought."""
        if self.price_day is None:
            raise Invalid(self.refused, field="academic_year")
        return self.price_day


def sale_in(
    service: Service, year: str, today: date, parts: Sequence[Service] = ()
) -> YearSale | None:
    """`Service.bought_in` as the shop shows it, a refusal said rather than raised; None for a
    service not bought by the year (it is sold as on the day it is bought, or its session)."""
    try:
        if service.sold_by(parts) is None:
            return None
        price_day, term = service.bought_in(year, today, parts)
    except Invalid as refused:
        return YearSale(year, refused=refused.message)
    return YearSale(year, price_day, term)


def _term_of(term: Term, day: date, sold_in: tuple[str, ...]) -> tuple[date, date]:
    if term is not Term.ACADEMIC_YEAR:
        return financial_year_term(financial_year(day))
    year = academic_year(day)
    later = sorted(listed for listed in sold_in if listed > year)
    if sold_in and year not in sold_in and later:
        year = later[0]
    return academic_year_term(year)


def _kind_of(service: Service) -> str:
    term = service.sold_by()
    return (
        f"{service.service_type} by the {term.replace('_', ' ')}" if term else service.service_type
    )


def _year_of(term: Term | None, day: date) -> str:
    """The year a price list belongs to: academic for services sold by the academic year,
    financial for the rest."""
    return academic_year(day) if term is Term.ACADEMIC_YEAR else financial_year(day)
