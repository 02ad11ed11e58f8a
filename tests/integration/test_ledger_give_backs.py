"""A subscription line given back in parts (refunds of an amount, a cancellation's unused months
and then the rest) leaves each month of its term with the income a sale of what is left would
earn there: given back whole, not a penny in any month, although each part is spread over the
months on its own (£100.00 over a year given back as £33.33 and then £66.67 had left +1p in three
months and -1p in three others). Whatever order the sale and its give-backs arrive in (each
subject has its own consumer), a line given back whole in parts over the same months earns
nothing in any month. Through the ledger's own handlers on a real database."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from services import registry
from services.ledger.adapters import tables
from services.ledger.application.recognition import RecogniseDue
from services.orders.domain.refunds import months_between, unused_from
from shared.clock import Clock
from shared.messaging.consumer import apply_once
from shared.money import last_months_share, monthly_parts
from tests.support import ledger_events as ev
from tests.support.databases import DatabaseFactory

URN = 117083
INCOME = "traded:income:governance"
DEFERRED = "deferred-income"


@dataclass(frozen=True)
class GivenBack:
    on: date
    pence: int
    first_day: date  # of the term it gives back: the line's own, or its first unused month's


@dataclass(frozen=True)
class Line:
    """A subscription line sold on `sold_on` for `net` over `start`–`end`, and its give-backs in
    the order orders made them."""

    card: bool
    net: int
    start: date
    end: date
    sold_on: date
    given_back: tuple[GivenBack, ...]
    order_id: UUID
    line_id: UUID

    @property
    def document(self) -> str:
        return f"{'pi' if self.card else 'INV'}-{self.order_id.hex[:8]}"

    @property
    def left(self) -> int:
        return self.net - sum(part.pence for part in self.given_back)

    @property
    def month_days(self) -> list[date]:
        """The day each month of the term is earned: its last day within the term."""
        days, month = [], date(self.start.year, self.start.month, 1)
        while month <= self.end:
            following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
            days.append(min(following - timedelta(days=1), self.end))
            month = following
        return days

    def sale(self) -> tuple[date, Any]:
        line = ev.subscription(self.net, self.start, self.end, line_id=self.line_id)
        if self.card:
            paid = ev.order_paid(
                URN, self.sold_on, line, reference=self.document, order_id=self.order_id
            )
            return self.sold_on, paid
        invoice = ev.invoice_raised(
            URN, self.sold_on, line, number=self.document, order_id=self.order_id
        )
        return self.sold_on, invoice

    def give_backs(self) -> list[tuple[date, Any]]:
        found: list[tuple[date, Any]] = []
        for part in self.given_back:
            line = ev.subscription(part.pence, part.first_day, self.end, line_id=self.line_id)
            if self.card:
                event: Any = ev.refund_issued(
                    URN, part.on, line, reference=self.document, order_id=self.order_id
                )
            else:
                event = ev.credit_note(
                    URN, part.on, line, invoice=self.document, order_id=self.order_id
                )
            found.append((part.on, event))
        return found


@st.composite
def terms(draw: st.DrawFn) -> tuple[int, date, date, date]:
    """A line's net, term and day sold (on or before its term begins)."""
    net = draw(st.integers(1, 2_000_000))
    start = draw(st.dates(date(2026, 1, 1), date(2027, 12, 31)))
    months = draw(st.integers(1, 24))
    index = start.year * 12 + start.month - 1 + months - 1
    last_month = date(index // 12, index % 12 + 1, 1)
    following = date(last_month.year + last_month.month // 12, last_month.month % 12 + 1, 1)
    end = draw(st.dates(max(start, last_month), following - timedelta(days=1)))
    sold_on = start - timedelta(days=draw(st.integers(0, 90)))
    return net, start, end, sold_on


def days_after(draw: st.DrawFn, day: date, count: int) -> list[date]:
    days = []
    for _ in range(count):
        day += timedelta(days=draw(st.integers(0, 120)))
        days.append(day)
    return days


@st.composite
def refunded_by_amounts(draw: st.DrawFn, *, whole: bool) -> Line:
    """Refunds or credits of an amount, each over the whole term (as orders allocates one);
    all of the line if `whole`, else some of it."""
    net, start, end, sold_on = draw(terms())
    cuts = sorted(draw(st.sets(st.integers(1, net), min_size=1, max_size=4)))
    if whole:
        cuts = [cut for cut in cuts if cut < net] + [net]
    amounts = [after - before for before, after in zip([0, *cuts[:-1]], cuts, strict=True)]
    days = days_after(draw, sold_on, len(amounts))
    return Line(
        card=draw(st.booleans()),
        net=net,
        start=start,
        end=end,
        sold_on=sold_on,
        given_back=tuple(
            GivenBack(on, pence, start) for on, pence in zip(days, amounts, strict=True)
        ),
        order_id=uuid4(),
        line_id=uuid4(),
    )


@st.composite
def cancelled_then_refunded(draw: st.DrawFn) -> Line:
    """Refunds of an amount, then the order cancelled (its unused months' share less what went
    back already, over those months, as orders' rule gives it back), then the rest refunded."""
    net, start, end, sold_on = draw(terms())
    given_back: list[GivenBack] = []
    days = days_after(draw, sold_on, 2)
    for on in days:
        if sum(part.pence for part in given_back) < net and draw(st.booleans()):
            left = net - sum(part.pence for part in given_back)
            given_back.append(GivenBack(on, draw(st.integers(1, left)), start))
    cancelled_on = (days[-1] if days else sold_on) + timedelta(days=draw(st.integers(0, 400)))
    first_unused = unused_from(start, cancelled_on)
    unused = months_between(first_unused, end)
    share = last_months_share(net, months_between(start, end), unused)
    so_far = sum(part.pence for part in given_back)
    if share - so_far > 0:
        given_back.append(GivenBack(cancelled_on, share - so_far, first_unused))
    rest = net - sum(part.pence for part in given_back)
    if rest:
        later = cancelled_on + timedelta(days=draw(st.integers(0, 60)))
        given_back.append(GivenBack(later, rest, start))
    return Line(
        card=draw(st.booleans()),
        net=net,
        start=start,
        end=end,
        sold_on=sold_on,
        given_back=tuple(given_back),
        order_id=uuid4(),
        line_id=uuid4(),
    )


async def new_ledger(databases: DatabaseFactory) -> Any:
    name = "ledger_give_backs" if databases.backend == "postgresql" else f"ledger_{uuid4().hex}"
    service = registry.service("ledger", database_url=await databases.new(name), environment="test")
    await service.migrate()
    return service


async def apply_all(service: Any, events: list[tuple[date, Any]]) -> None:
    today = date(2025, 1, 1)
    for on, event in events:
        today = max(today, on)  # the clock never goes back
        bus = service.bus_on(Clock(today))
        await apply_once(ev.envelope(event), uow_factory=service.unit_of_work, apply=bus.apply)


async def income_by_day(service: Any, line: Line) -> dict[date, int]:
    """The line's income (credit negative) by the day it is booked on, every month of its term
    recognised by then."""
    after_the_term = max(line.end, *(part.on for part in line.given_back)) + timedelta(days=1)
    await service.bus_on(Clock(after_the_term)).handle(RecogniseDue())
    async with service.sessions() as session:
        rows = await session.execute(
            select(tables.postings.c.dated, func.sum(tables.postings.c.amount_pence))
            .where(tables.postings.c.document == line.document)
            .where(tables.postings.c.account == INCOME)
            .group_by(tables.postings.c.dated)
        )
        found = {day: int(pence) for day, pence in rows}
        deferred = await session.scalar(
            select(func.coalesce(func.sum(tables.postings.c.amount_pence), 0))
            .where(tables.postings.c.document == line.document)
            .where(tables.postings.c.account == DEFERRED)
        )
    assert deferred == 0  # all of it recognised, or given back
    return found


def as_of(income: dict[date, int], day: date) -> int:
    return sum(pence for booked, pence in income.items() if booked <= day)


def expected_as_of(line: Line, day: date) -> int:
    """Income to `day`, as a sale of what is left of the line would earn it."""
    parts = monthly_parts(line.left, len(line.month_days))
    return -sum(
        pence for earned, pence in zip(line.month_days, parts, strict=True) if earned <= day
    )


def after_the_last(line: Line) -> list[date]:
    """The last give-back's day and each month's day after it: from then on, what the line
    earns is settled."""
    last = max(part.on for part in line.given_back)
    return [last, *(day for day in line.month_days if day > last)]


async def check(databases: DatabaseFactory, line: Line, events: list[tuple[date, Any]]) -> None:
    service = await new_ledger(databases)
    try:
        await apply_all(service, events)
        income = await income_by_day(service, line)
        for day in after_the_last(line):
            assert as_of(income, day) == expected_as_of(line, day), (day, income)
    finally:
        await service.engine.dispose()


PROPERTY = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@PROPERTY
@given(line=st.booleans().flatmap(lambda whole: refunded_by_amounts(whole=whole)))
def test_each_month_earns_what_a_sale_of_what_is_left_would(
    databases: DatabaseFactory, line: Line
) -> None:
    asyncio.run(check(databases, line, [line.sale(), *line.give_backs()]))


@PROPERTY
@given(line=cancelled_then_refunded())
def test_a_line_cancelled_and_refunded_the_rest_earns_nothing_in_any_month(
    databases: DatabaseFactory, line: Line
) -> None:
    assert line.left == 0
    asyncio.run(check(databases, line, [line.sale(), *line.give_backs()]))


@PROPERTY
@given(line=refunded_by_amounts(whole=True), seed=st.integers(0, 2**16))
def test_given_back_whole_it_earns_nothing_in_any_month_whenever_its_sale_arrives(
    databases: DatabaseFactory, line: Line, seed: int
) -> None:
    events = line.give_backs()  # one subject's, in its order; the sale's consumer goes apart
    events.insert(random.Random(seed).randint(0, len(events)), line.sale())
    asyncio.run(check(databases, line, events))


async def test_a_hundred_pounds_given_back_as_33_33_and_66_67_leaves_no_penny_in_any_month(
    databases: DatabaseFactory,
) -> None:
    start, end = date(2026, 12, 1), date(2027, 11, 30)
    order_id, line_id, sold_on = uuid4(), uuid4(), date(2026, 11, 20)
    line = Line(
        card=False,
        net=10_000,
        start=start,
        end=end,
        sold_on=sold_on,
        given_back=(GivenBack(sold_on, 3_333, start), GivenBack(sold_on, 6_667, start)),
        order_id=order_id,
        line_id=line_id,
    )
    service = await new_ledger(databases)
    try:
        await apply_all(service, [line.sale(), *line.give_backs()])
        income = await income_by_day(service, line)
    finally:
        await service.engine.dispose()
    assert {day: pence for day, pence in income.items() if pence} == {}
