"""A sale of a subscription line keeps it in one row, however long its term (it had written a
row for each month: twelve for a year's line, some five million for the national buy-back), and
only a refund or credit note of it writes months, what it took from each. What each month still
earns is what it was: the sale's part of it less what give-backs took. The months kept already
move over to lines where they are exactly a sale's spread, and a give-back reads the same from
them either way. Through the ledger's own handlers and migrations on a real database."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any
from uuid import uuid4

import pytest
from alembic import command
from sqlalchemy import Connection, select, text

from services.ledger.adapters import tables
from services.ledger.domain.recognition import given_back, monthly
from shared.clock import Clock
from shared.messaging.consumer import apply_batch
from shared.migrations import alembic_config
from shared.money import last_months_share, monthly_parts
from tests.integration.test_ledger_give_backs import URN, apply_all, new_ledger
from tests.support import ledger_events as ev
from tests.support.databases import DatabaseFactory

START, END = date(2026, 12, 1), date(2027, 11, 30)  # twelve months
SOLD_ON = date(2026, 11, 20)
MONTH_DAYS = [day for day, _ in monthly(12, START, END)]


async def earning(service: Any, order_id: str, *line_ids: str) -> dict[str, dict[date, int]]:
    """What each month of the lines still earns, as a give-back reads it (the months that earn
    nothing left out)."""
    async with service.unit_of_work() as uow:
        found = await uow.terms.earning(order_id, set(line_ids))
    return {line: {day: p for day, p in months.items() if p} for line, months in found.items()}


async def rows(service: Any, table: Any) -> list[tuple[Any, ...]]:
    async with service.sessions() as session:
        return sorted(tuple(row) for row in await session.execute(select(table)))


async def test_a_sale_keeps_each_subscription_line_in_one_row_and_a_credit_its_months(
    databases: DatabaseFactory,
) -> None:
    order_id, year, two_years = uuid4(), uuid4(), uuid4()
    sold = (
        ev.subscription(12_000, START, END, line_id=year),
        ev.subscription(50_000, START, date(2028, 11, 30), line_id=two_years),
        ev.course(30_000, date(2027, 3, 4)),
    )
    sale = ev.invoice_raised(URN, SOLD_ON, *sold, number="INV-1", order_id=order_id)
    credited = ev.subscription(3_000, START, END, line_id=year)
    credit = ev.credit_note(URN, SOLD_ON, credited, invoice="INV-1", order_id=order_id)
    service = await new_ledger(databases)
    try:
        await apply_all(service, [(SOLD_ON, sale)])
        assert await rows(service, tables.term_lines) == sorted(
            [
                (str(order_id), str(year), 12_000, START, END),
                (str(order_id), str(two_years), 50_000, START, date(2028, 11, 30)),
            ]
        )
        assert await rows(service, tables.term_months) == []  # none a month

        await apply_all(service, [(SOLD_ON, credit)])
        taken = [
            a - b for a, b in zip(monthly_parts(12_000, 12), monthly_parts(9_000, 12), strict=True)
        ]
        assert await rows(service, tables.term_months) == [
            (str(order_id), str(year), day, -pence)
            for day, pence in zip(MONTH_DAYS, taken, strict=True)
        ]
        assert await earning(service, str(order_id), str(year), str(two_years)) == {
            str(year): dict(monthly(9_000, START, END)),
            str(two_years): dict(monthly(50_000, START, date(2028, 11, 30))),
        }
    finally:
        await service.engine.dispose()


async def test_a_credit_applied_with_its_sale_takes_from_what_the_sale_sold(
    databases: DatabaseFactory,
) -> None:
    """One unit of work applies both (the consumers apply a batch together): the credit reads
    the line its sale keeps, not nothing, and the months hold the spread of what is left."""
    line_id, order_id = uuid4(), uuid4()
    sold = ev.subscription(10_000, START, END, line_id=line_id)
    sale = ev.invoice_raised(URN, SOLD_ON, sold, number="INV-2", order_id=order_id)
    credited = ev.subscription(3_333, START, END, line_id=line_id)
    credit = ev.credit_note(URN, SOLD_ON, credited, invoice="INV-2", order_id=order_id)
    service = await new_ledger(databases)
    try:
        bus = service.bus_on(Clock(SOLD_ON))
        outcomes = await apply_batch(
            [ev.envelope(sale), ev.envelope(credit)],
            uow_factory=service.unit_of_work,
            apply=bus.apply,
        )
        assert outcomes == [True, True]  # each applied, neither refused
        assert await earning(service, str(order_id), str(line_id)) == {
            str(line_id): dict(monthly(6_667, START, END))
        }
    finally:
        await service.engine.dispose()


async def test_two_credits_of_a_line_at_once_take_from_its_months_one_after_the_other(
    databases: DatabaseFactory,
) -> None:
    """Two workers: the second waits for the first's hold on the line, then reads what the
    first took, so that the two parts telescope and the line earns nothing in any month."""
    if databases.backend != "postgresql":
        pytest.skip("SQLite lets one writer at a time in: there is nothing to wait for")
    line_id, order_id = uuid4(), uuid4()
    sale = ev.invoice_raised(
        URN, SOLD_ON, ev.subscription(10_000, START, END, line_id=line_id), number="INV-3",
        order_id=order_id,
    )  # fmt: skip
    first, second = (
        ev.credit_note(
            URN, SOLD_ON, ev.subscription(pence, START, END, line_id=line_id), invoice="INV-3",
            order_id=order_id,
        )
        for pence in (3_333, 6_667)
    )  # fmt: skip
    service = await new_ledger(databases)
    try:
        await apply_all(service, [(SOLD_ON, sale)])
        bus = service.bus_on(Clock(SOLD_ON))

        async def apply(event: Any) -> None:
            async with service.unit_of_work() as uow:
                await bus.apply(uow, ev.envelope(event))
                await uow.commit()

        async with service.unit_of_work() as uow:
            await bus.apply(uow, ev.envelope(first))
            waiting = asyncio.create_task(apply(second))
            await asyncio.sleep(1.0)
            assert not waiting.done()  # held by the first until it commits
            await uow.commit()
        await waiting
        assert await earning(service, str(order_id), str(line_id)) == {str(line_id): {}}
    finally:
        await service.engine.dispose()


# --- the months kept before lines were -----------------------------------------------------

MONTHS_ONLY = "a3b5c7d9e1f4"  # every month of a line kept, its sale's part too


def _kept_before(held: list[int]) -> list[tuple[date, int]]:
    return [(day, pence) for day, pence in zip(MONTH_DAYS, held, strict=True) if pence]


def _left_after(earning: list[int], pence: int) -> list[int]:
    """What months that earn `earning` earn once `pence` is given back of them."""
    return [a - b for a, b in zip(earning, given_back(pence, earning), strict=True)]


SOLD = monthly_parts(10_000, 12)
REFUNDED = _left_after(SOLD, 1_000)  # a refund over the whole term: the spread of £90.00
# then cancelled for its last four months: their share of the sale less what went back already
CANCELLED = REFUNDED[:8] + _left_after(REFUNDED[8:], last_months_share(10_000, 12, 4) - 1_000)
KEPT = {  # line: its months as they were kept, and what it is kept as now (None: months)
    "sold": (_kept_before(SOLD), (10_000, START, END)),
    "five pence": (_kept_before(monthly_parts(5, 12)), (5, date(2027, 7, 1), END)),
    "refunded": (_kept_before(REFUNDED), (9_000, START, END)),
    "cancelled": (_kept_before(CANCELLED), None),  # not a spread: months as they were
    "before its sale": (_kept_before([-p for p in monthly_parts(4_000, 12)]), None),
    "given back whole": ([(day, 0) for day in MONTH_DAYS], None),  # nothing kept at all
}


def _keep_months(connection: Connection) -> None:
    connection.execute(text("DELETE FROM term_months"))
    connection.execute(
        tables.term_months.insert(),
        [
            {"order_id": "o-1", "line_id": line, "earned_on": day, "pence": pence}
            for line, (months, _) in KEPT.items()
            for day, pence in months
        ],
    )


async def test_the_months_kept_already_move_to_lines_where_they_are_a_sale_s_spread(
    databases: DatabaseFactory,
) -> None:
    service = await new_ledger(databases)
    config = alembic_config(service.definition.migrations_dir)

    def migrate(connection: Connection, to: str) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")  # PostgreSQL's database may be an earlier test's
        if to != "head":
            command.downgrade(config, to)

    def keep_months_then_upgrade(connection: Connection) -> None:
        migrate(connection, MONTHS_ONLY)
        _keep_months(connection)
        command.upgrade(config, "head")

    try:
        async with service.engine.begin() as connection:
            await connection.run_sync(keep_months_then_upgrade)

        assert await rows(service, tables.term_lines) == sorted(
            ("o-1", line, *sold) for line, (_, sold) in KEPT.items() if sold
        )
        assert await rows(service, tables.term_months) == sorted(
            ("o-1", line, day, pence)
            for line, (months, sold) in KEPT.items()
            if sold is None
            for day, pence in months
            if pence
        )
        held = {line: {day: p for day, p in months if p} for line, (months, _) in KEPT.items()}
        read = await earning(service, "o-1", *KEPT)
        assert {line: read.get(line, {}) for line in KEPT} == held  # as a give-back read them

        # the sale of the line given back before it, applied now: kept as a line, with them
        line_id, order_id = uuid4(), uuid4()
        async with service.sessions() as session, session.begin():
            await session.execute(
                tables.term_months.update()
                .where(tables.term_months.c.line_id == "before its sale")
                .values(order_id=str(order_id), line_id=str(line_id))
            )
        sold = ev.subscription(10_000, START, END, line_id=line_id)
        sale = ev.invoice_raised(URN, SOLD_ON, sold, number="INV-4", order_id=order_id)
        await apply_all(service, [(SOLD_ON, sale)])
        assert await earning(service, str(order_id), str(line_id)) == {
            str(line_id): dict(monthly(6_000, START, END))
        }

        async with service.engine.begin() as connection:
            await connection.run_sync(migrate, MONTHS_ONLY)
        assert await rows(service, tables.term_months) == sorted(
            [
                ("o-1", line, day, p)
                for line, (months, _) in KEPT.items()
                if line != "before its sale"  # now sold, as the next
                for day, p in months
                if p
            ]
            + [(str(order_id), str(line_id), day, p) for day, p in monthly(6_000, START, END)]
        )  # each line's months as the book kept them before lines were
    finally:
        await service.engine.dispose()
