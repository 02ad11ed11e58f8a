"""An event produced in answer to another carries an id derived from its cause, so a replay
re-produces the same ids and JetStream's duplicate window and every inbox drop the copies:
rebuilding the ledger from the streams while evaluation runs leaves evaluation's figures as
they were. Real JetStream, real databases."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import nats
import pytest

from services.evaluation.domain.cost import programme_cost_pence
from shared.events import Event, TransactionPostedV1, stream_of
from shared.messaging.consumer import durable_name
from tests.support import ledger_events as ev
from tests.support.databases import DatabaseFactory
from tests.support.evaluation_world import EvaluationWorld, evaluation_world
from tests.support.ledger_app import Ledger, forget_ledger_consumers, running_ledger
from tests.support.platform import eventually

pytestmark = pytest.mark.usefixtures("backend")

TODAY = date(2027, 1, 31)
SUPPORTED = {(ev.CONTRACT, 117504)}  # the school the deployment below reached


async def evaluation_figures(world: EvaluationWorld, case_id: UUID) -> tuple[int, int]:
    """How many ledger postings evaluation keeps, and the programme cost they make."""
    async with world.service.unit_of_work() as uow:
        postings = await uow.costs.linked(
            service_ids={ev.GOVERNANCE, ev.HR_ADVICE}, contract_ids={ev.CONTRACT}
        )
    cost = programme_cost_pence(
        postings,
        service_ids={ev.GOVERNANCE, ev.HR_ADVICE},
        case_ids={case_id},
        supported=SUPPORTED,
        participants={posting.urn for posting in postings if posting.urn is not None},
    )
    return len(postings), cost


async def evaluation_has_read_every_posting(nats_url: str) -> bool:
    connection = await nats.connect(nats_url)
    try:
        subject = TransactionPostedV1.subject
        found: Any = await connection.jetstream().consumer_info(
            stream_of(subject), durable_name("evaluation", subject)
        )
        return bool(found.num_pending == 0 and found.num_ack_pending == 0)
    finally:
        await connection.close()


async def everything_sent(ledger: Ledger) -> bool:
    assert ledger.worker
    return await ledger.worker.relay.pending() == 0


async def test_rebuilding_the_ledger_does_not_change_evaluations_figures(
    databases: DatabaseFactory, nats_url: str
) -> None:
    deployed = ev.deployment(90_000, date(2026, 11, 12), urn=117504)
    events: list[Event] = [
        ev.invoice_raised(
            117083,
            date(2026, 9, 1),
            ev.subscription(120_000, date(2026, 9, 1), date(2027, 8, 31)),
            number="INV-1",
        ),
        ev.order_paid(117084, date(2026, 10, 5), ev.line(50_000), reference="pi_A"),
        deployed,
    ]
    async with evaluation_world(databases, nats_url) as world:
        async with running_ledger(databases, nats_url, today=TODAY) as ledger:
            await ev.publish(nats_url, *(ev.envelope(e) for e in events))
            posted = await ledger.transactions_reach(3 + 5)  # September to January recognised
            await eventually(lambda: everything_sent(ledger))
            await eventually(lambda: evaluation_has_read_every_posting(nats_url))
            before = await evaluation_figures(world, deployed.case_id)
            # HR advice, five months of governance, the deployment's provider days
            assert before[1] == 50_000 + 10_000 * 5 + 90_000
            assert ledger.worker
            await ledger.worker.stop()
            ledger.worker = None

        await forget_ledger_consumers(nats_url)
        async with running_ledger(databases, nats_url, name="ledger_rebuilt", today=TODAY) as new:
            assert await new.transactions_reach(len(posted)) == posted
            await eventually(lambda: everything_sent(new))
            await eventually(lambda: evaluation_has_read_every_posting(nats_url))
            assert await evaluation_figures(world, deployed.case_id) == before
