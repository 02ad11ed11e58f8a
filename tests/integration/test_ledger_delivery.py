"""Income from a line neither dated nor termed (a consultancy day) is earned when its order is
delivered, not when it is sold: until then its net waits in deferred income. Refunds and credit
notes before delivery take back deferred income, after it income; a sale booked before the
book held income for delivery is taken back from income. Whatever order the events arrive in
(each subject has its own consumer), the book ends the same. Through the ledger's own handlers
on a real database."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from services import registry
from services.ledger.adapters import tables
from services.ledger.application.recognition import RecogniseDue
from shared.auth import Role
from shared.clock import Clock
from shared.messaging.consumer import apply_once
from tests.support import ledger_events as ev
from tests.support.databases import DatabaseFactory
from tests.support.platform import auth

URN = 117083
INCOME = "traded:income:school-improvement"
DEFERRED = "deferred-income"
TODAY = date(2027, 3, 31)
FINANCE = auth(Role.FINANCE)


async def apply(service: Any, event: Any, *, today: date = TODAY) -> None:
    bus = service.bus_on(Clock(today))
    await apply_once(ev.envelope(event), uow_factory=service.unit_of_work, apply=bus.apply)


async def balances_of(service: Any, service_id: UUID = ev.IMPROVEMENT_DAY) -> dict[str, int]:
    async with service.sessions() as session:
        rows = await session.execute(
            select(tables.postings.c.account, func.sum(tables.postings.c.amount_pence))
            .where(tables.postings.c.service_id == str(service_id))
            .group_by(tables.postings.c.account)
        )
        return {account: int(pence) for account, pence in rows if pence}


async def trial_balance(service: Any) -> int:
    async with service.sessions() as session:
        total = await session.scalar(
            select(func.coalesce(func.sum(tables.postings.c.amount_pence), 0))
        )
        return int(total)


async def waiting_in_the_journal(service: Any, document: str) -> int:
    """What the journal says the sale under this document holds for the order's delivery."""
    transport = httpx.ASGITransport(app=service.api())
    async with httpx.AsyncClient(transport=transport, base_url="http://ledger") as client:
        answer = await client.get("/journal", params={"as_of": "2027-03-31"}, headers=FINANCE)
    assert answer.status_code == 200, answer.text
    (sale,) = [e for e in answer.json() if e["kind"] == "sale" and e["document"] == document]
    return int(sale["on_delivery_pence"])


async def new_ledger(databases: DatabaseFactory) -> Any:
    """An empty book (PostgreSQL's database is emptied when asked for again; a SQLite file
    is not, so each gets a name of its own)."""
    name = "ledger_delivery" if databases.backend == "postgresql" else f"ledger_{uuid4().hex}"
    service = registry.service("ledger", database_url=await databases.new(name), environment="test")
    await service.migrate()
    return service


@pytest.fixture
async def ledger(databases: DatabaseFactory) -> AsyncIterator[Any]:
    service = await new_ledger(databases)
    yield service
    await service.engine.dispose()


async def test_a_consultancy_day_is_deferred_when_sold_and_income_when_delivered(
    ledger: Any,
) -> None:
    order_id, day = uuid4(), ev.consultancy(62_500)
    sale = ev.invoice_raised(URN, date(2026, 11, 2), day, number="INV-C1", order_id=order_id)
    await apply(ledger, sale, today=date(2026, 11, 2))
    assert await balances_of(ledger) == {DEFERRED: -62_500}  # nothing earned yet

    await ledger.bus_on(Clock(date(2027, 3, 31))).handle(RecogniseDue())
    assert await balances_of(ledger) == {DEFERRED: -62_500}  # no day comes by itself

    assert await waiting_in_the_journal(ledger, "INV-C1") == 62_500

    delivered = ev.order_fulfilled(URN, date(2026, 12, 9), day, order_id=order_id)
    await apply(ledger, delivered, today=date(2026, 12, 9))
    assert await balances_of(ledger) == {INCOME: -62_500}
    assert await waiting_in_the_journal(ledger, "INV-C1") == 0
    async with ledger.sessions() as session:
        recognised = (
            await session.execute(
                select(tables.transactions).where(tables.transactions.c.kind == "recognition")
            )
        ).one()
    assert recognised.dated == date(2026, 12, 9)
    assert recognised.description == f"Order {order_id} delivered to school {URN}"
    assert await trial_balance(ledger) == 0


async def test_a_refund_before_delivery_takes_back_deferred_income_and_after_it_income(
    ledger: Any,
) -> None:
    before, after = uuid4(), uuid4()
    for order_id, reference in ((before, "pi_B"), (after, "pi_A")):
        day = ev.consultancy(75_000)
        sold = ev.order_paid(URN, date(2026, 10, 1), day, reference=reference, order_id=order_id)
        await apply(ledger, sold)
        if order_id == after:
            await apply(ledger, ev.order_fulfilled(URN, date(2026, 10, 8), day, order_id=order_id))
        given_back = ev.consultancy(75_000, line_id=day.line_id)
        await apply(
            ledger,
            ev.refund_issued(
                URN, date(2026, 10, 20), given_back, reference=reference, order_id=order_id
            ),
        )
    # the undelivered order earned nothing and holds nothing; the delivered one's income was
    # earned and then given back
    assert await balances_of(ledger) == {}
    assert await waiting_in_the_journal(ledger, "pi_B") == 0
    async with ledger.sessions() as session:
        held = (await session.execute(select(tables.awaiting_delivery))).all()
    assert [(row.order_id, row.pence) for row in held] == [(str(before), 0)]
    assert await trial_balance(ledger) == 0


async def test_a_sale_applied_after_its_delivery_is_income_on_the_day_delivered(
    ledger: Any,
) -> None:
    order_id, day = uuid4(), ev.consultancy(40_000)
    await apply(ledger, ev.order_fulfilled(URN, date(2026, 11, 20), day, order_id=order_id))
    sold_on = date(2026, 11, 2)
    await apply(ledger, ev.invoice_raised(URN, sold_on, day, number="INV-L", order_id=order_id))
    assert await balances_of(ledger) == {INCOME: -40_000}
    async with ledger.sessions() as session:
        rows = await session.execute(
            select(tables.postings.c.dated, tables.postings.c.account).where(
                tables.postings.c.account == INCOME
            )
        )
        assert [tuple(row) for row in rows] == [(date(2026, 11, 20), INCOME)]


async def test_a_refund_of_a_day_sold_before_income_waited_for_delivery_takes_back_income(
    ledger: Any,
) -> None:
    """Such a sale booked income at once: its line carried no id then, as a line built by the
    ledger's code of that time did not count it; the refund's line carries its id."""
    order_id = uuid4()
    sold_then = ev.line(
        50_000,
        service_id=ev.IMPROVEMENT_DAY,
        category="School improvement",
        service_type="consultancy",
    )
    await apply(ledger, ev.order_paid(URN, date(2026, 9, 1), sold_then, reference="pi_OLD"))
    assert await balances_of(ledger) == {INCOME: -50_000}
    given_back = ev.consultancy(50_000)
    refund = ev.refund_issued(
        URN, date(2026, 9, 20), given_back, reference="pi_OLD", order_id=order_id
    )
    await apply(ledger, refund)
    assert await balances_of(ledger) == {}  # no debit left in deferred income
    assert await trial_balance(ledger) == 0


@dataclass(frozen=True)
class Order:
    id: UUID
    card: bool
    sold_on: date
    lines: tuple[Any, ...]
    given_back: tuple[tuple[int, int], ...]  # (line index, pence)
    delivered_on: date | None

    @property
    def document(self) -> str:
        return f"{'pi' if self.card else 'INV'}-{self.id.hex[:8]}"

    def events(self) -> list[Any]:
        found: list[Any]
        if self.card:
            found = [
                ev.order_paid(
                    URN, self.sold_on, *self.lines, reference=self.document, order_id=self.id
                )
            ]
        else:
            found = [
                ev.invoice_raised(
                    URN, self.sold_on, *self.lines, number=self.document, order_id=self.id
                )
            ]
        for index, pence in self.given_back:
            line = ev.consultancy(pence, line_id=self.lines[index].line_id)
            on = self.sold_on + timedelta(days=10)
            if self.card:
                found.append(
                    ev.refund_issued(URN, on, line, reference=self.document, order_id=self.id)
                )
            else:
                found.append(ev.credit_note(URN, on, line, invoice=self.document, order_id=self.id))
        if self.delivered_on:
            found.append(ev.order_fulfilled(URN, self.delivered_on, *self.lines, order_id=self.id))
        return found

    @property
    def held(self) -> int:
        sold: int = sum(line.net_pence for line in self.lines)
        return sold - sum(pence for _, pence in self.given_back)


@st.composite
def orders(draw: st.DrawFn) -> Order:
    nets = draw(st.lists(st.integers(1, 2_000_000), min_size=1, max_size=2))
    lines = tuple(ev.consultancy(net) for net in nets)
    given_back = []
    for index, net in enumerate(nets):
        if draw(st.booleans()):
            given_back.append((index, draw(st.integers(1, net))))
    sold_on = draw(st.dates(date(2026, 4, 1), date(2027, 2, 1)))
    delivered = draw(st.booleans())
    return Order(
        id=uuid4(),
        card=draw(st.booleans()),
        sold_on=sold_on,
        lines=lines,
        given_back=tuple(given_back),
        delivered_on=sold_on + timedelta(days=draw(st.integers(0, 50))) if delivered else None,
    )


async def check_any_order(databases: DatabaseFactory, placed: list[Order], seed: int) -> None:
    events = [event for order in placed for event in order.events()]
    random.Random(seed).shuffle(events)  # each subject's consumer goes at its own pace
    service = await new_ledger(databases)
    try:
        for event in events:
            await apply(service, event)
        delivered = sum(order.held for order in placed if order.delivered_on)
        waiting = sum(order.held for order in placed if not order.delivered_on)
        expected = {INCOME: -delivered, DEFERRED: -waiting}
        assert await balances_of(service) == {k: v for k, v in expected.items() if v}
        assert await trial_balance(service) == 0
    finally:
        await service.engine.dispose()


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(placed=st.lists(orders(), min_size=1, max_size=3), seed=st.integers(0, 2**16))
def test_whatever_order_the_events_arrive_in_delivered_lines_are_income_the_rest_deferred(
    databases: DatabaseFactory, placed: list[Order], seed: int
) -> None:
    asyncio.run(check_any_order(databases, placed, seed))
