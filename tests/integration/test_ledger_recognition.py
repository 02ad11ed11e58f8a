"""Income is recognised when it is earned: a subscription invoiced today is deferred income
until each month is earned, and the ledger worker's recognition job posts each month on (or
after) its day, once, whoever runs it and however often. Real JetStream, real databases."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from services.ledger.application.recognition import RecogniseDue
from shared.clock import Clock
from tests.support import ledger_events as ev
from tests.support.databases import DatabaseFactory
from tests.support.ledger_app import FINANCE, Ledger, forget_ledger_consumers, running_ledger
from tests.support.platform import eventually, reset_streams

pytestmark = pytest.mark.usefixtures("backend")

TODAY = date(2026, 12, 3)
ANNUAL = 1_200_000  # £12,000 a year, £1,000 a month from December to November
INCOME = "traded:income:governance"


@pytest.fixture
async def ledger(databases: DatabaseFactory, nats_url: str) -> AsyncIterator[Ledger]:
    await reset_streams(nats_url)
    async with running_ledger(databases, nats_url, today=TODAY) as running:
        subscription = ev.subscription(ANNUAL, date(2026, 12, 1), date(2027, 11, 30))
        invoice = ev.invoice_raised(117083, TODAY, subscription, number="INV-12K")
        await ev.publish(nats_url, ev.envelope(invoice))
        await running.transactions_reach(1)
        yield running


async def balances(ledger: Ledger, **as_of: str) -> dict[str, int]:
    return {row["code"]: row["balance_pence"] for row in await ledger.get("/balances", **as_of)}


async def recognised(ledger: Ledger) -> list[dict[str, Any]]:
    return [t for t in await ledger.get("/transactions") if t["kind"] == "recognition"]


async def test_a_subscription_invoiced_today_is_deferred_not_earned(ledger: Ledger) -> None:
    today = await balances(ledger)
    assert today.get(INCOME, 0) == 0  # its first month is earned on 31 December
    assert today["deferred-income"] == -ANNUAL
    income = await ledger.get("/reports/income-by-strand")
    assert (income["traded_pence"], income["as_of"]) == (0, TODAY.isoformat())
    by_month = await ledger.get("/reports/traded-income", by="month")
    assert by_month["income_pence"] == 0
    assert [t["kind"] for t in await ledger.get("/transactions")] == ["sale"]  # nothing ahead


async def test_moving_the_clock_on_recognises_each_month_once_on_its_day(ledger: Ledger) -> None:
    ledger.service.clock.set(date(2027, 2, 10))

    async def two_months() -> list[dict[str, Any]]:
        found = await recognised(ledger)
        assert len(found) <= 2
        return found if len(found) == 2 else []

    months = await eventually(two_months)  # the worker's job, every 0.1 s
    assert [t["posted_on"] for t in months] == ["2026-12-31", "2027-01-31"]
    now = await balances(ledger)
    assert (now[INCOME], now["deferred-income"]) == (-200_000, -1_000_000)
    assert (await balances(ledger, as_of="2026-12-31"))[INCOME] == -100_000
    assert (await ledger.get("/reports/income-by-strand"))["traded_pence"] == 200_000

    again = await ledger.service.bus_on(Clock(date(2027, 2, 10))).handle(RecogniseDue())
    assert again == []  # a rerun posts nothing twice
    assert len(await recognised(ledger)) == 2


async def test_two_workers_running_the_job_at_once_post_each_recognition_once(
    ledger: Ledger,
) -> None:
    assert ledger.worker
    await ledger.worker.stop()  # only the two runs below recognise
    ledger.worker = None
    day = date(2027, 5, 31)
    on_the_day = ledger.service.bus_on(Clock(day))
    runs = await asyncio.gather(
        on_the_day.handle(RecogniseDue()),
        on_the_day.handle(RecogniseDue()),
        return_exceptions=True,  # the slower may fail on the keys the faster posted
    )
    assert sum(len(run) for run in runs if isinstance(run, list)) == 6
    assert await on_the_day.handle(RecogniseDue()) == []
    months = [t["dated"] for t in await recognised(ledger)]
    assert len(months) == len(set(months)) == 6  # December to May, each once
    ledger.service.clock.set(day)  # the book is read no further than its today
    assert (await balances(ledger, as_of="2027-05-31"))["deferred-income"] == -600_000


async def test_closing_a_month_posts_in_it_the_income_it_earned_that_still_waited(
    ledger: Ledger,
) -> None:
    """The worker did not run over December's end: closed on 5 January, December keeps its
    month of income instead of January taking it when the worker is back."""
    assert ledger.worker
    await ledger.worker.stop()
    ledger.worker = None
    ledger.service.clock.set(date(2027, 1, 5))
    await ledger.post("/periods/2026-12/close", {})
    await ledger.service.bus_on(Clock(date(2027, 1, 5))).handle(RecogniseDue())  # back again

    (december,) = await recognised(ledger)
    assert (december["dated"], december["posted_on"], december["note"]) == (
        "2026-12-31",
        "2026-12-31",
        None,
    )
    by_month = await ledger.get("/reports/traded-income", by="month")
    assert {row["month"]: row["income_pence"] for row in by_month["rows"]} == {
        "2026-12": ANNUAL // 12
    }


async def test_a_recognition_due_in_a_closed_month_is_posted_in_the_next_open_one(
    ledger: Ledger, nats_url: str
) -> None:
    """A course sold on 10 December for the 20th, whose sale reaches the ledger only after
    December was closed: the sale and the course's income both go into January, with a note."""
    ledger.service.clock.set(date(2027, 1, 5))
    await ledger.transactions_reach(2)  # the sale and December's month, by the worker
    await ledger.post("/periods/2026-12/close", {})
    late = ev.order_paid(117084, date(2026, 12, 10), ev.course(40_000, date(2026, 12, 20)))
    await ev.publish(nats_url, ev.envelope(late))
    await ledger.transactions_reach(4)

    course = next(t for t in await recognised(ledger) if t["dated"] == "2026-12-20")
    assert course["posted_on"] == "2027-01-01"
    assert course["note"] == "dated 2026-12-20 in closed period 2026-12; posted in 2027-01"


async def test_replaying_the_streams_into_a_fresh_book_recognises_what_is_due_by_then(
    ledger: Ledger, databases: DatabaseFactory, nats_url: str
) -> None:
    ledger.service.clock.set(date(2027, 1, 31))
    original = await ledger.transactions_reach(3)  # the sale, December and January
    assert ledger.worker
    await ledger.worker.stop()
    ledger.worker = None
    await forget_ledger_consumers(nats_url)
    async with running_ledger(
        databases, nats_url, name="ledger_rebuilt", today=date(2027, 1, 31)
    ) as rebuilt:
        assert await rebuilt.transactions_reach(3) == original  # the same ids, days and notes


async def test_a_subscription_credited_in_two_parts_that_make_it_whole_earns_no_penny_in_any_month(
    ledger: Ledger, nats_url: str
) -> None:
    """£100.00 over the same twelve months, credited as £33.33 and then £66.67: each credit
    spread over the months on its own left a penny of income in some months and a penny too
    little in others, read by finance as of any day between."""
    start, end, order_id, line_id = date(2026, 12, 1), date(2027, 11, 30), uuid4(), uuid4()
    sold = ev.subscription(10_000, start, end, line_id=line_id)
    invoice = ev.invoice_raised(117499, TODAY, sold, number="INV-100", order_id=order_id)
    await ev.publish(nats_url, ev.envelope(invoice))
    for pence in (3_333, 6_667):
        credited = ev.subscription(pence, start, end, line_id=line_id)
        credit = ev.credit_note(117499, TODAY, credited, invoice="INV-100", order_id=order_id)
        await ev.publish(nats_url, ev.envelope(credit))
    await ledger.transactions_reach(4)  # the two sales and the two credits; nothing earned yet

    ledger.service.clock.set(date(2027, 6, 10))
    # December to May: the subscription of the fixture's, and the sale's and each credit's own
    await ledger.transactions_reach(4 + 6 * 4)
    for as_of, months in (("2026-12-31", 1), ("2027-02-28", 3), ("2027-05-31", 6)):
        now = await balances(ledger, as_of=as_of)
        earned = ANNUAL * months // 12  # the fixture's alone: the credited line earns nothing
        assert (now[INCOME], now["deferred-income"]) == (-earned, -(ANNUAL - earned)), as_of


async def test_a_day_or_year_no_book_could_hold_is_refused_naming_it(ledger: Ledger) -> None:
    for path, params, field in (
        ("/balances", {"as_of": "0001-01-01"}, "as_of"),
        ("/reports/income-by-strand", {"as_of": "0001-01-01"}, "as_of"),
        ("/reports/traded-income", {"start": "0001-01-01"}, "start"),
        ("/reports/sustainability", {"financial_year": "abc"}, "financial_year"),
        ("/reports/statutory-by-contract", {"financial_year": "0000-01"}, "financial_year"),
    ):
        answer = await ledger.client.get(path, params=params, headers=FINANCE)
        assert answer.status_code == 422, (path, answer.text)
        assert [error["field"] for error in answer.json()["errors"]] == [field]
