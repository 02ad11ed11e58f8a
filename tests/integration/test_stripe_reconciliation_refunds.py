"""A card refund made after its payment was paid out: Stripe takes it back from a later payout,
which lists the payment again. The reconciliation keeps the first payout matched and counts the
refund against the payout that took it back, as finance reads them. Real JetStream, real
databases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest

from tests.support import ledger_events as ev
from tests.support.commissioning_app import school_registered
from tests.support.databases import DatabaseFactory
from tests.support.ledger_app import Ledger, running_ledger
from tests.support.platform import reset_streams

pytestmark = pytest.mark.usefixtures("backend")

HR = ev.line
SALE = ev.order_paid(117084, date(2026, 6, 10), HR(200_000), reference="pi_1")  # £2,400 gross
REFUND = ev.refund_issued(117084, date(2026, 6, 20), HR(50_000), reference="pi_1")  # £600
PAID_OUT = {"payout_id": "po_1", "arrival_on": "2026-06-12", "amount_pence": 238_000,
            "fee_pence": 2_000, "payment_references": ["pi_1"]}  # fmt: skip
TAKEN_BACK = {"payout_id": "po_2", "arrival_on": "2026-06-24", "amount_pence": -60_000,
              "fee_pence": 0, "payment_references": ["pi_1"]}  # fmt: skip


@pytest.fixture
async def ledger(databases: DatabaseFactory, nats_url: str) -> AsyncIterator[Ledger]:
    await reset_streams(nats_url)
    async with running_ledger(databases, nats_url, today=date(2026, 7, 1)) as running:
        register = [school_registered(urn) for urn in ev.SCHOOLS]
        await ev.publish(nats_url, *register, ev.envelope(SALE))
        await running.transactions_reach(1)
        await running.post("/stripe/payouts", [PAID_OUT], status=200)
        await ev.publish(nats_url, ev.envelope(REFUND))
        await running.transactions_reach(3)
        yield running


def statuses(report: dict[str, Any]) -> list[tuple[str, int, str, str]]:
    return [
        (row["payout_id"], row["difference_pence"], row["status"], row["repeated_references"])
        for row in report["rows"]
    ]


async def test_a_refund_after_the_payout_waits_for_the_next_and_leaves_the_first_matched(
    ledger: Ledger,
) -> None:
    report = await ledger.get("/reports/stripe-reconciliation")
    assert statuses(report) == [("po_1", 0, "matched", "")]
    assert report["waiting_for_payout"] == [
        {"payment_reference": "pi_1", "pence": -60_000, "since": "2026-06-20"}
    ]
    assert (report["clearing_balance_pence"], report["unexplained_clearing_pence"]) == (-60_000, 0)

    await ledger.post("/stripe/payouts", [TAKEN_BACK], status=200)

    report = await ledger.get("/reports/stripe-reconciliation")
    assert statuses(report) == [("po_1", 0, "matched", ""), ("po_2", 0, "matched", "")]
    assert report["waiting_for_payout_pence"] == report["clearing_balance_pence"] == 0
    assert report["mismatches"] == 0


async def test_a_payment_listed_again_with_nothing_new_since_is_paid_out_twice(
    ledger: Ledger,
) -> None:
    twice = {**TAKEN_BACK, "amount_pence": 238_000, "fee_pence": 2_000, "arrival_on": "2026-06-15"}
    await ledger.post("/stripe/payouts", [twice], status=200)

    report = await ledger.get("/reports/stripe-reconciliation")
    assert statuses(report) == [
        ("po_1", 0, "matched", ""),
        ("po_2", 240_000, "mismatch", "pi_1"),
    ]
