"""`scp up`, the run command, end to end: real processes talking over HTTP and NATS."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from shared.auth import Role
from tests.support.local_platform import LocalPlatform
from tests.support.platform import ABBOTS_LANGLEY, auth

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def running() -> Iterator[LocalPlatform]:
    platform = LocalPlatform().start()
    yield platform
    platform.stop()


def wait_for(check: Any, timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def test_the_run_command_seeds_real_schools_and_a_catalogue_that_orders_can_sell(
    running: LocalPlatform,
) -> None:
    school = auth(Role.SCHOOL, ABBOTS_LANGLEY)
    listings = wait_for(
        lambda: httpx.get(f"{running.url('orders')}/listings", headers=school).json()
    )
    assert {listing["code"] for listing in listings} >= {"SIP-PRI", "ML-PROG", "FIN-SLA"}
    assert running.nats_url.startswith("nats://127.0.0.1:")


def test_an_invoice_order_and_a_milestone_sign_off_reach_the_ledger_in_their_strands(
    running: LocalPlatform,
) -> None:
    school = auth(Role.SCHOOL, ABBOTS_LANGLEY)
    listings = httpx.get(f"{running.url('orders')}/listings", headers=school).json()
    governance = next(listing for listing in listings if listing["code"] == "GOV-CLERK")
    placed = httpx.post(
        f"{running.url('orders')}/orders",
        json={
            "urn": ABBOTS_LANGLEY,
            "lines": [{"service_id": governance["service_id"], "quantity": 1}],
            "payment_method": "invoice",
            "purchase_order": "PO-E2E-1",
        },
        headers=school,
    )
    assert placed.status_code == 201, placed.text
    assert placed.json()["gross_pence"] == 216_000  # £1,800 + 20% VAT

    officer = auth(Role.LA_OFFICER)
    (contract,) = httpx.get(f"{running.url('commissioning')}/contracts", headers=officer).json()
    first = contract["milestones"][0]
    signed = httpx.post(
        f"{running.url('commissioning')}/contracts/{contract['id']}"
        f"/milestones/{first['id']}/complete",
        headers=officer,
    )
    assert signed.status_code == 200, signed.text

    finance = auth(Role.FINANCE)

    def income() -> dict[str, int] | None:
        body = httpx.get(
            f"{running.url('ledger')}/reports/income-by-strand", headers=finance
        ).json()
        return body if body["traded_pence"] and body["statutory_pence"] else None

    assert wait_for(income) == {
        "traded_pence": 180_000,
        "statutory_pence": first["payment_pence"],
        "total_pence": 180_000 + first["payment_pence"],
    }
    trial = httpx.get(f"{running.url('ledger')}/reports/trial-balance", headers=finance).json()
    assert trial["difference_pence"] == 0


def test_ctrl_c_stops_every_process_cleanly(running: LocalPlatform) -> None:
    assert len(running.processes_left()) >= 12  # honcho, NATS, five APIs, five workers
    assert running.interrupt() == 130  # 128 + SIGINT, what a shell expects after Ctrl-C
    assert wait_for(lambda: not running.processes_left(), timeout=15) is True
