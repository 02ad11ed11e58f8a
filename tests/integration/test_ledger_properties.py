"""Property: whatever happens, in whatever order, the book balances, strands stay apart, the
balances the reports read (school by school and across schools) equal the sums of the postings (kept as they are posted, and rebuilt
as the migration backfills them), and applying the same history again changes nothing. Random
histories of every money event, period closes and reopenings, reversals and runs of the
recognition job on days that only move forward, posted through the ledger's own handlers on a
real database."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import String, delete, func, select

from services import registry
from services.ledger.adapters import balances, tables
from services.ledger.application.journals import ReverseTransaction
from services.ledger.application.periods import ClosePeriod, ReopenPeriod
from services.ledger.application.recognition import RecogniseDue
from services.ledger.domain.periods import first_day_after
from shared.clock import Clock
from shared.errors import Conflict
from shared.messaging.consumer import apply_once
from tests.support import ledger_events as ev
from tests.support.commissioning_app import school_registered
from tests.support.databases import DatabaseFactory

DAYS_FROM = date(2025, 4, 1)
DAYS = st.dates(DAYS_FROM, date(2027, 3, 31))
PENCE = st.integers(0, 5_000_000)
URNS = st.sampled_from(sorted(ev.SCHOOLS))
# a few orders and lines, so that sales, refunds and deliveries meet the same ones
ORDERS = st.sampled_from([UUID(int=n) for n in range(1, 4)])
LINES = st.sampled_from([UUID(int=n) for n in range(10, 13)])


@st.composite
def sale_lines(draw: st.DrawFn, on: date) -> tuple[Any, ...]:
    kinds = st.sampled_from(["one_off", "subscription", "course", "consultancy"])
    lines = []
    for kind in draw(st.lists(kinds, min_size=1, max_size=3)):
        net = draw(PENCE)
        if kind == "subscription":
            start = draw(st.dates(on - timedelta(days=200), on + timedelta(days=200)))
            lines.append(
                ev.subscription(net, start, start + timedelta(days=draw(st.integers(0, 730))))
            )
        elif kind == "course":
            lines.append(
                ev.course(net, draw(st.dates(on - timedelta(days=30), on + timedelta(days=300))))
            )
        elif kind == "consultancy":  # earned when its order is delivered
            lines.append(ev.consultancy(net, line_id=draw(LINES)))
        else:
            lines.append(ev.line(net))
    return tuple(lines)


@st.composite
def money_event(draw: st.DrawFn) -> Any:
    event = draw(school_money_event())
    lines = getattr(event, "lines", ())
    if lines and draw(st.booleans()):  # an academy trust's order: a line for each of its schools
        for_schools = tuple(ev.for_school(draw(URNS), line) for line in lines)
        return ev.by_trust(event.model_copy(update={"lines": for_schools}))
    return event


@st.composite
def school_money_event(draw: st.DrawFn) -> Any:
    on, urn, kind, order = draw(DAYS), draw(URNS), draw(st.integers(0, 8)), draw(ORDERS)
    if kind == 0:
        return ev.order_paid(
            urn,
            on,
            *draw(sale_lines(on)),
            reference=f"pi_{draw(st.integers(0, 9))}",
            order_id=order,
        )
    if kind == 1:
        return ev.invoice_raised(
            urn, on, *draw(sale_lines(on)), number=f"INV-{draw(st.integers(0, 9))}", order_id=order
        )
    if kind == 2:
        return ev.invoice_settled(
            urn, on, number=f"INV-{draw(st.integers(0, 9))}", pence=draw(PENCE)
        )
    if kind == 3:
        return ev.refund_issued(
            urn,
            on,
            *draw(sale_lines(on)),
            reference=f"pi_{draw(st.integers(0, 9))}",
            order_id=order,
        )
    if kind == 4:
        return ev.credit_note(
            urn, on, *draw(sale_lines(on)), invoice=f"INV-{draw(st.integers(0, 9))}", order_id=order
        )
    if kind == 8:
        return ev.order_fulfilled(urn, on, *draw(sale_lines(on)), order_id=order)
    if kind == 5:
        funding = draw(st.sampled_from(["council_budget", "grant", "de_delegated"]))
        return ev.la_invoice(draw(PENCE), on, number="LA-1", funding=funding)
    if kind == 6:
        return ev.service_credit(draw(PENCE), on)
    return ev.deployment(draw(PENCE), on, urn=urn)


STEP = st.one_of(
    money_event().map(lambda e: ("event", ev.envelope(e))),
    URNS.map(lambda urn: ("event", school_registered(urn))),  # a trust's lines take its phase
    DAYS.map(lambda d: ("close", d.strftime("%Y-%m"))),
    DAYS.map(lambda d: ("reopen", d.strftime("%Y-%m"))),
    st.integers(0, 50).map(lambda n: ("reverse", n)),
    DAYS.map(lambda d: ("recognise", d)),
)


async def replay(service: Any, history: list[tuple[str, Any]]) -> None:
    today = DAYS_FROM
    for step, value in history:
        if step == "event":
            bus = service.bus_on(Clock(today))
            await apply_once(value, uow_factory=service.unit_of_work, apply=bus.apply)
        elif step == "recognise":
            today = max(today, value)  # the clock never goes back
            await service.bus_on(Clock(today)).handle(RecogniseDue())
        elif step in ("close", "reopen"):
            async with service.unit_of_work() as uow:
                closed = value in await uow.book.closed_months()
            if step == "close" and not closed:
                today = max(today, first_day_after(value))  # a month is closed once it has ended
                await service.bus_on(Clock(today)).handle(ClosePeriod(value, by="finance"))
            if step == "reopen" and closed:
                await service.bus.handle(ReopenPeriod(value, by="finance", reason="property"))
        else:
            async with service.unit_of_work() as uow:
                ids = (await uow.session.scalars(
                    select(tables.transactions.c.id)
                    .where(tables.transactions.c.kind != "reversal")
                    .where(tables.transactions.c.id.not_in(
                        select(tables.transactions.c.reverses_id).where(tables.transactions.c.reverses_id.is_not(None))
                    ))
                    .order_by(tables.transactions.c.source_key)
                )).all()  # fmt: skip
            if ids:
                # a sale whose income the book recognises later is refused: it changes nothing
                with contextlib.suppress(Conflict):
                    await service.bus.handle(
                        ReverseTransaction(
                            ids[value % len(ids)], reason="property", on=date(2027, 3, 31)
                        )
                    )


async def check(databases: DatabaseFactory, history: list[tuple[str, Any]]) -> None:
    service = registry.service(
        "ledger", database_url=await databases.new("ledger_property"), environment="test"
    )
    await service.migrate()
    try:
        async with service.sessions() as session, session.begin():
            for table in (
                tables.postings,
                tables.transactions,
                tables.periods,
                tables.accounts,
                tables.scheduled_recognitions,
                tables.awaiting_delivery,
                tables.order_deliveries,
                tables.term_months,
                tables.balances,
                tables.balances_across_schools,
                tables.balances_across_schools_by_day,
                tables.open_items,
            ):
                await session.execute(delete(table))
            await session.execute(delete(service.definition.tables.inbox))
        await replay(service, history)
        async with service.sessions() as session:
            book = (await session.execute(
                select(func.count(), func.coalesce(func.sum(tables.postings.c.amount_pence), 0))
            )).one()  # fmt: skip
            assert book[1] == 0  # the trial balance: debits equal credits
            unbalanced = await session.scalar(
                select(func.count()).select_from(
                    select(tables.postings.c.transaction_id)
                    .group_by(tables.postings.c.transaction_id)
                    .having(func.sum(tables.postings.c.amount_pence) != 0)
                    .subquery()
                )
            )
            assert unbalanced == 0
            leaks = await session.scalar(
                select(func.count())
                .select_from(tables.postings.join(tables.transactions))
                .where(
                    (
                        tables.postings.c.account.like("traded:%")
                        & (tables.transactions.c.strand != "traded")
                    )
                    | (
                        tables.postings.c.account.like("statutory:%")
                        & (tables.transactions.c.strand != "statutory")
                    )
                )
            )
            assert leaks == 0
            # nothing was posted into a month after finance had closed it
            late = await session.scalar(
                select(func.count())
                .select_from(tables.transactions)
                .join(tables.periods, tables.periods.c.month == func.substr(
                    func.cast(tables.transactions.c.posted_on, String), 1, 7
                ))
                .where(tables.transactions.c.recorded_at > tables.periods.c.closed_at)
            )  # fmt: skip
            assert late == 0
        kept = await maintained(service)
        assert kept == summed_from_postings(await all_postings(service))
        async with service.engine.begin() as connection:  # as the migration backfills them
            await connection.run_sync(balances.rebuild)
        assert await maintained(service) == kept
        # the same history again (redelivery, a replay after a crash) posts nothing more
        await replay(service, [step for step in history if step[0] == "event"])
        async with service.sessions() as session:
            again = (await session.execute(
                select(func.count(), func.coalesce(func.sum(tables.postings.c.amount_pence), 0))
            )).one()  # fmt: skip
        assert tuple(again) == tuple(book)
        assert await maintained(service) == kept
    finally:
        await service.engine.dispose()


Sums = tuple[list[dict[tuple[Any, ...], tuple[int, int]]], dict[tuple[Any, ...], tuple[int, Any]]]


async def all_postings(service: Any) -> list[Any]:
    async with service.sessions() as session:
        return list((await session.execute(select(tables.postings))).mappings())


def summed_from_postings(postings: list[Any]) -> Sums:
    """For each maintained sum (per account, month and dimensions; per account, day and the
    dimensions but the school's):
    (sum, sum of debits); per invoice to a school, a trust or the LA: (what is owed, its first
    debit's day), leaving out the rows that add up to nothing."""
    summaries = []
    for _, days, dimensions in balances.SUMMARIES:
        by_key: dict[tuple[Any, ...], tuple[int, int]] = {}
        for row in postings:
            key = (*(row[d] for d in days), row["account"], *(row[d] for d in dimensions))
            total, debits = by_key.get(key, (0, 0))
            by_key[key] = (total + row["amount_pence"], debits + max(row["amount_pence"], 0))
        summaries.append({key: sums for key, sums in by_key.items() if sums != (0, 0)})
    owed: dict[tuple[Any, ...], tuple[int, Any]] = {}
    for row in postings:
        # the LA's invoices name no school, nor does a trust's, nor a journal naming none
        if row["account"] in ("receivables:la", "receivables:schools"):
            debtor = row["urn"] if row["urn"] is not None else balances.NO_SCHOOL
        else:
            debtor = None
        if debtor is not None:
            item = (row["document"] or "", debtor)
            pence, first = owed.get(item, (0, None))
            if row["amount_pence"] > 0 and (first is None or row["dated"] < first):
                first = row["dated"]
            owed[item] = (pence + row["amount_pence"], first)
    return summaries, {key: item for key, item in owed.items() if item != (0, None)}


async def maintained(service: Any) -> Sums:
    summaries = []
    async with service.sessions() as session:
        for table, days, dimensions in balances.SUMMARIES:
            kept = (await session.execute(select(table))).mappings()
            summaries.append(
                {
                    (*(row[d] for d in days), row["account"], *(row[d] for d in dimensions)): (
                        row["amount_pence"],
                        row["debit_pence"],
                    )
                    for row in kept
                    if (row["amount_pence"], row["debit_pence"]) != (0, 0)
                }
            )
        items = (await session.execute(select(tables.open_items))).mappings()
        return summaries, {
            (row["document"], row["urn"]): (row["amount_pence"], row["first_debit_on"])
            for row in items
            if (row["amount_pence"], row["first_debit_on"]) != (0, None)
        }


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=st.lists(STEP, min_size=1, max_size=25))
def test_the_trial_balance_is_zero_after_any_history(
    databases: DatabaseFactory, history: list[tuple[str, Any]]
) -> None:
    asyncio.run(check(databases, history))
