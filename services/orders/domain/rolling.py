"""A rolling subscription: a service that renews itself each term or year until the school
cancels it, with notice. Notice ends the subscription with the first period that ends at least
`notice_days` after it is given: it renews up to and including that period, and not after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID, uuid4

from services.orders.domain.lines import OrderLine, Quote
from shared.calendar import earliest_end, period_after, rolling_period
from shared.errors import Conflict, Invalid


class Renewal(StrEnum):
    TERM = "term"
    YEAR = "year"


class RollingStatus(StrEnum):
    ACTIVE = "active"  # renews at the end of each period
    ENDING = "ending"  # cancelled: renews up to the period ending on `ends_on`, then ends
    ENDED = "ended"


def period_containing(day: date, every: Renewal) -> tuple[date, date]:
    """Its school term, or its academic year (`shared.calendar.rolling_period`)."""
    return rolling_period(day, every.value)


def term_for(quote: Quote, *, today: date) -> tuple[date, date] | None:
    """The term a line covers: a rolling service's first period is the one under way today;
    a subscription's is the one the catalogue quoted it for."""
    if quote.renews_every:
        return period_containing(today, Renewal(quote.renews_every))
    return quote.term


def refuse_on_trust_order(item: Quote | OrderLine, *, urn: int, field: str) -> None:
    """A trust's order holds no rolling service: its renewals are the school's own orders,
    invoiced to the school, so the school buys it itself rather than through its trust."""
    if item.renews_every:
        raise Invalid(
            f"{item.title} renews itself each {item.renews_every} until cancelled, so the school "
            f"(URN {urn}) buys it itself: it cannot go on the trust's order",
            field=field,
        )


@dataclass
class RollingSubscription:
    id: UUID
    urn: int
    service_id: UUID
    title: str
    quantity: int
    renews_every: Renewal
    notice_days: int
    payment_method: str
    purchase_order: str | None
    period_start: date
    period_end: date
    last_order_id: UUID
    status: RollingStatus = RollingStatus.ACTIVE
    ends_on: date | None = None

    @classmethod
    def start(
        cls,
        line: OrderLine,
        *,
        order_id: UUID,
        urn: int,
        payment_method: str,
        purchase_order: str | None,
    ) -> RollingSubscription:
        if not (line.renews_every and line.term_start and line.term_end):
            raise Invalid("only a rolling line, for a period, starts a subscription", field="lines")
        return cls(
            id=uuid4(),
            urn=urn,
            service_id=line.service_id,
            title=line.title,
            quantity=line.quantity,
            renews_every=Renewal(line.renews_every),
            notice_days=line.notice_days,
            payment_method=payment_method,
            purchase_order=purchase_order,
            period_start=line.term_start,
            period_end=line.term_end,
            last_order_id=order_id,
        )

    @property
    def period(self) -> tuple[date, date]:
        return self.period_start, self.period_end

    @property
    def next_period(self) -> tuple[date, date]:
        return period_after(self.period, self.renews_every.value)

    @property
    def renews(self) -> bool:
        """Whether a period follows the current one: not once ended, nor in the period notice
        ends it with."""
        if self.status is RollingStatus.ENDING:
            return self.ends_on is not None and self.period_end < self.ends_on
        return self.status is RollingStatus.ACTIVE

    @property
    def next_renewal(self) -> date | None:
        """The day the next period's order is raised; none in the last period."""
        return self.next_period[0] if self.renews else None

    @property
    def renewal_key(self) -> str:
        """The next renewal's idempotency key: one order per period, whoever raises it."""
        return f"renewal-{self.id}-{self.next_period[0].isoformat()}"

    def earliest_end(self, today: date) -> date:
        """The first period end at least `notice_days` away (`shared.calendar.earliest_end`,
        which the shop, the basket and the order page tell the school before it buys)."""
        return earliest_end(self.period, self.renews_every.value, self.notice_days, today)

    def cancel(self, today: date) -> date:
        """Notice given today: it ends at the earliest end that notice is in time for (a
        later period's end when the current period's notice has passed); the day it ends."""
        if self.status is not RollingStatus.ACTIVE:
            raise Conflict(f"this subscription is already {self.status.value}", field="status")
        self.status, self.ends_on = RollingStatus.ENDING, self.earliest_end(today)
        return self.ends_on

    def renewal_due(self, today: date) -> bool:
        return self.renews and today >= self.next_period[0]

    def renewed(self, order_id: UUID, period: tuple[date, date]) -> None:
        """The next period's order was raised (a repeat for the same period changes nothing)."""
        if period == self.next_period:
            self.period_start, self.period_end = period
            self.last_order_id = order_id

    def withdraw(self, order_id: UUID, today: date) -> bool:
        """The order for the current period was cancelled (declined by the approver, never
        approved in time, or cancelled by the school): nothing is bought for the period, so
        nothing renews after it. True if this ends the subscription."""
        if order_id != self.last_order_id or self.status is RollingStatus.ENDED:
            return False
        self.status, self.ends_on = RollingStatus.ENDED, today
        return True

    def end_if_over(self, today: date) -> bool:
        """Ended once the day it ends with has passed."""
        if self.status is RollingStatus.ENDING and self.ends_on and today > self.ends_on:
            self.status = RollingStatus.ENDED
            return True
        return False
