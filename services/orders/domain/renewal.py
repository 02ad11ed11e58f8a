"""The annual buy-back: last year's subscriptions, renewed for next year at next year's prices."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from services.orders.domain.bought import bought_in, live_subscriptions
from services.orders.domain.lines import OrderLine
from services.orders.domain.order import Order
from services.orders.domain.school import School
from shared.calendar import academic_year_term, long_date
from shared.errors import Conflict, Invalid


@dataclass(frozen=True)
class RenewalWindow:
    opens_days_before: int  # the window opens this many days before the year starts
    closes_days_after: int  # and closes this many days after

    def check_open(self, year: str, today: date) -> None:
        start, _ = academic_year_term(year)
        opens = start - timedelta(days=self.opens_days_before)
        closes = start + timedelta(days=self.closes_days_after)
        if not opens <= today <= closes:
            raise Invalid(
                f"renewals for {year} are open from {long_date(opens)} to {long_date(closes)}",
                field="year",
            )


def renewed_by_its_trust(order: Order, school: School) -> bool:
    """Whether the trust that placed `order` renews what it bought for `school`: only while the
    register has the school in that trust. The school renews the rest itself: its own orders'
    subscriptions, and a trust's once it has left that trust (for none, or for another trust,
    which renews only what it bought)."""
    return school.in_trust(order.trust_code)


def subscriptions_in(orders: list[Order], year: str) -> dict[UUID, OrderLine]:
    """Live subscription lines renewed with an academic year's, one per service."""
    found: dict[UUID, OrderLine] = {}
    for _, line, _ in live_subscriptions(orders, year):
        found.setdefault(line.service_id, line)
    return found


def already_renewed(year: str, order_id: UUID) -> Conflict:
    return Conflict(f"already renewed for {year} by order {order_id}", field="year")


@dataclass(frozen=True)
class Renewal:
    """Where the renewal for a year stands of the subscriptions one buyer renews for a school:
    those of last year not yet bought for the school for the year, and those bought, each with
    the newest order that bought it. Bought by anyone counts — the school itself, or any trust
    for it — so that none is offered to be paid for twice; a subscription bought for the year
    in the shop (last year's, or one new) renews only itself, never the rest."""

    due: list[OrderLine]
    bought: list[tuple[OrderLine, Order]]
    covering: list[Order]  # the orders that bought them, newest first

    @property
    def renewed_by(self) -> UUID | None:
        """Once none is due, the newest order that bought any of them."""
        return self._renewed_by_order_of(lambda _: True)

    def renewed_by_own_order(self, trust_code: str | None) -> UUID | None:
        """Once none is due, the newest of the buyer's own orders that bought any of them (a
        trust's, by `trust_code`; the school's own, None): one the buyer may open."""
        return self._renewed_by_order_of(lambda order: order.trust_code == trust_code)

    def _renewed_by_order_of(self, whose: Callable[[Order], bool]) -> UUID | None:
        if self.due:
            return None
        return next((order.id for order in self.covering if whose(order)), None)

    def bought_by_others(self, trust_code: str | None) -> list[str]:
        """The titles of those another buyer than this one (a trust, by `trust_code`; the
        school, None) has bought for the school for the year: not offered to this one again."""
        return [line.title for line, order in self.bought if order.trust_code != trust_code]


def renewal_of(renews: list[Order], year: str, *, bought_for_it: list[Order]) -> Renewal:
    """`renews`: the parts of the orders whose subscriptions this buyer renews for the school
    (see `renewed_by_its_trust`); `bought_for_it`: the school's part of every order with a line
    for it, whoever placed it; each newest first, as the repository finds them."""
    last = subscriptions_in(renews, previous_year(year))
    bought = bought_in(bought_for_it, year)
    covered = [(line, bought[service]) for service, line in last.items() if service in bought]
    covering = {order.id for _, order in covered}
    return Renewal(
        due=[line for service, line in last.items() if service not in bought],
        bought=covered,
        covering=[order for order in bought_for_it if order.id in covering],
    )


def previous_year(year: str) -> str:
    start = int(year[:4]) - 1
    return f"{start}/{(start + 1) % 100:02d}"


def check_year(year: str) -> str:
    if len(year) != 7 or year[4] != "/" or not (year[:4] + year[5:]).isdigit():
        raise Invalid("an academic year looks like 2027/28", field="year")
    if (int(year[:4]) + 1) % 100 != int(year[5:]):
        raise Invalid("an academic year runs over two consecutive years", field="year")
    return year


@dataclass(frozen=True)
class Subscribed:
    """One subscription a school had last year: what renewing it would buy."""

    service_id: UUID
    quantity: int
