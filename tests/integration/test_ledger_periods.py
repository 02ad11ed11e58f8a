"""Closing and reopening a month, on a real database fed by real JetStream: a reopened month
takes postings again, what moved to the next month while it was closed stays there, and every
closing and reopening is in the audit with who, when and why."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from shared.auth import Role
from tests.support.databases import DatabaseFactory
from tests.support.ledger_app import Ledger, october_rent, running_ledger
from tests.support.platform import auth, reset_streams

pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
async def ledger(databases: DatabaseFactory, nats_url: str) -> AsyncIterator[Ledger]:
    await reset_streams(nats_url)
    async with running_ledger(databases, nats_url) as running:
        yield running


async def test_finance_reopens_a_closed_month_and_what_moved_stays_moved(ledger: Ledger) -> None:
    await ledger.post("/periods/2026-10/close", None)
    moved = await ledger.post("/journals", october_rent("OVH-1"))
    assert moved["posted_on"] == "2026-11-01"

    reopened = await ledger.post(
        "/periods/2026-10/reopen", {"reason": "supplier invoice found late"}, status=200
    )
    assert (reopened["month"], reopened["action"], reopened["by"]) == (
        "2026-10",
        "reopened",
        "test-finance",  # the token's subject, not a typed name
    )
    assert reopened["reason"] == "supplier invoice found late"
    assert await ledger.get("/periods") == []

    (kept,) = await ledger.get("/transactions", account="core:cost:overheads")
    assert (kept["id"], kept["posted_on"]) == (moved["id"], "2026-11-01")  # history stays
    in_october = await ledger.post("/journals", october_rent("OVH-2"))
    assert (in_october["posted_on"], in_october["note"]) == ("2026-10-31", None)

    await ledger.post("/periods/2026-10/close", None)
    history = await ledger.get("/periods/history")
    assert [(e["month"], e["action"], e["by"], e["reason"]) for e in history] == [
        ("2026-10", "closed", "test-finance", None),
        ("2026-10", "reopened", "test-finance", "supplier invoice found late"),
        ("2026-10", "closed", "test-finance", None),
    ]
    stamped = [datetime.fromisoformat(e["at"]) for e in history]
    assert stamped == sorted(stamped, reverse=True)
    assert datetime.now(UTC) - stamped[-1] < timedelta(minutes=5)


async def test_a_month_is_reopened_only_when_closed_with_a_reason_by_finance(
    ledger: Ledger,
) -> None:
    finance = auth(Role.FINANCE)
    open_month = await ledger.client.post(
        "/periods/2026-09/reopen", json={"reason": "a mistake"}, headers=finance
    )
    assert open_month.status_code == 409 and "month" in open_month.text
    await ledger.post("/periods/2026-09/close", None)
    for body in ({}, {"reason": ""}, {"reason": "x" * 301}):
        refused = await ledger.client.post("/periods/2026-09/reopen", json=body, headers=finance)
        assert refused.status_code == 422 and "reason" in refused.text, body
    not_a_month = await ledger.client.post(
        "/periods/2026-13/reopen", json={"reason": "a mistake"}, headers=finance
    )
    assert not_a_month.status_code == 422 and "month" in not_a_month.text
    by_an_officer = await ledger.client.post(
        "/periods/2026-09/reopen", json={"reason": "a mistake"}, headers=auth(Role.LA_OFFICER)
    )
    assert by_an_officer.status_code == 403
    assert await ledger.get("/periods") == [{"month": "2026-09", "closed_by": "test-finance"}]
    assert [e["action"] for e in await ledger.get("/periods/history")] == ["closed"]


async def test_a_month_closed_or_reopened_twice_at_once_changes_once(ledger: Ledger) -> None:
    """Two finance officers at the same moment: one of each pair does it, the other is told
    it is done already (409), and the history says it once."""
    finance = auth(Role.FINANCE)

    async def twice(path: str, body: Any) -> list[int]:
        answers = await asyncio.gather(
            *(ledger.client.post(path, json=body, headers=finance) for _ in range(2))
        )
        return sorted(answer.status_code for answer in answers)

    assert await twice("/periods/2026-08/close", None) == [201, 409]
    assert await twice("/periods/2026-08/reopen", {"reason": "a late invoice"}) == [200, 409]
    assert await ledger.get("/periods") == []
    history = await ledger.get("/periods/history")
    assert [e["action"] for e in history] == ["reopened", "closed"]


async def test_a_month_not_yet_ended_cannot_be_closed(ledger: Ledger) -> None:
    """Closed early, what is still to be dated in it (its month-end income, an invoice raised
    on its last day) would be booked in the next month."""
    ledger.service.clock.set(date(2026, 10, 31))  # October's last day: not yet over
    refused = await ledger.client.post("/periods/2026-10/close", headers=auth(Role.FINANCE))
    assert refused.status_code == 409, refused.text
    assert refused.json()["field"] == "month"
    assert "from 1 November 2026" in refused.json()["detail"]
    later = await ledger.client.post("/periods/2027-01/close", headers=auth(Role.FINANCE))
    assert later.status_code == 409, later.text
    assert await ledger.get("/periods") == []
    assert await ledger.get("/periods/history") == []
    on_time = await ledger.post("/journals", october_rent("OVH-3"))
    assert on_time["posted_on"] == "2026-10-31"  # booked in its own month

    ledger.service.clock.set(date(2026, 11, 1))
    await ledger.post("/periods/2026-10/close", None)
    assert await ledger.get("/periods") == [{"month": "2026-10", "closed_by": "test-finance"}]
