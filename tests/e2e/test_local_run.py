"""`schools-platform up`, the run command, end to end: real processes talking over HTTP and NATS (and, in
local mode, localstripe for card payments)."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from services import registry
from shared.auth import Role
from tests.support.card_payments import confirm_with_card, stripe_client
from tests.support.local_platform import LocalPlatform
from tests.support.platform import ABBOTS_LANGLEY, ASHWELL, auth, invoice_order

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


def listing(running: LocalPlatform, code: str) -> dict[str, Any] | None:
    """The orders listing of a catalogue service, once the catalogue's event has reached it."""
    found = httpx.get(
        f"{running.url('orders')}/listings", headers=auth(Role.SCHOOL, ABBOTS_LANGLEY)
    ).json()
    return next((each for each in found if each["code"] == code), None)


def test_the_run_command_seeds_real_schools_and_a_catalogue_that_orders_can_sell(
    running: LocalPlatform,
) -> None:
    school = auth(Role.SCHOOL, ABBOTS_LANGLEY)
    wanted = {"SIP-PRI", "ML-PROG", "FIN-SLA"}

    def listed() -> set[str]:  # the listings arrive one event at a time: wait for all three
        listings = httpx.get(f"{running.url('orders')}/listings", headers=school).json()
        codes = {listing["code"] for listing in listings}
        return codes if codes >= wanted else set()

    assert wait_for(listed) >= wanted
    assert running.nats_url.startswith("nats://127.0.0.1:")


def metric(exposition: str, series: str) -> float:
    found = re.search(rf"^{re.escape(series)} (\S+)$", exposition, re.MULTILINE)
    assert found, f"{series} is not in /metrics"
    return float(found.group(1))


def test_each_process_freezes_what_it_made_as_it_started_and_times_its_collections(
    running: LocalPlatform,
) -> None:
    """What a process made as it started is frozen, so that a full garbage collection no longer
    walks it (shared/heap.py); each collection's pause is on /metrics."""
    school = auth(Role.SCHOOL, ABBOTS_LANGLEY)
    for _ in range(50):  # enough requests for a young collection or two
        assert httpx.get(f"{running.url('orders')}/listings", headers=school).status_code == 200
    api = httpx.get(f"{running.url('orders')}/metrics").text
    worker = httpx.get(f"http://127.0.0.1:{running.metrics_ports['ledger']}/metrics").text
    for exposition in (api, worker):
        assert metric(exposition, "gc_frozen_objects") > 10_000  # modules, tables, routes …
    assert metric(api, 'gc_pause_seconds_count{generation="0"}') > 0


def test_an_invoice_order_and_a_milestone_sign_off_reach_the_ledger_in_their_strands(
    running: LocalPlatform,
) -> None:
    school = auth(Role.SCHOOL, ABBOTS_LANGLEY)
    governance = wait_for(lambda: listing(running, "GOV-CLERK"))
    placed = httpx.post(
        f"{running.url('orders')}/orders",
        json=invoice_order(governance["service_id"], purchase_order="PO-E2E-1"),
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
        json={"evidence": "Autumn term report"},
        headers=officer,
    )
    assert signed.status_code == 200, signed.text

    finance = auth(Role.FINANCE)

    def income() -> dict[str, int] | None:
        body = httpx.get(
            f"{running.url('ledger')}/reports/income-by-strand", headers=finance
        ).json()
        return body if body["statutory_pence"] else None

    def sold() -> dict[str, int] | None:
        rows = httpx.get(f"{running.url('ledger')}/balances", headers=finance).json()
        book = {row["code"]: -row["balance_pence"] for row in rows}
        return book if book.get("receivables:schools") else None

    assert wait_for(income)["statutory_pence"] == first["payment_pence"]
    book = wait_for(sold)
    # The year's £1,800 is earned month by month (test_ledger_recognition.py): what is not
    # earned yet is deferred income.
    earned = book.get("traded:income:governance", 0)
    assert earned + book.get("deferred-income", 0) == 180_000
    trial = httpx.get(f"{running.url('ledger')}/reports/trial-balance", headers=finance).json()
    assert trial["difference_pence"] == 0


def test_a_card_checkout_in_the_local_run_is_paid_by_localstripe_s_webhook(
    running: LocalPlatform,
) -> None:
    match = re.search(r"localstripe\s+(http://127\.0\.0\.1:\d+)", running.log())
    assert match, running.log()
    # Ashwell: Abbots Langley has the year's clerking service already (the invoice order's)
    school = auth(Role.SCHOOL, ASHWELL)
    orders = running.url("orders")
    clerk = wait_for(lambda: listing(running, "GOV-CLERK"))
    added = httpx.post(
        f"{orders}/baskets/{ASHWELL}/lines",
        json={"service_id": clerk["service_id"], "quantity": 1},
        headers=school,
        timeout=10,
    )
    assert added.status_code == 201, added.text
    placed = httpx.post(
        f"{orders}/baskets/{ASHWELL}/checkout",
        json={"payment_method": "card"},
        headers={**school, "Idempotency-Key": uuid.uuid4().hex},
        timeout=10,
    )
    assert placed.status_code == 201, placed.text
    assert placed.json()["payment_status"] == "awaiting_payment"

    reference = placed.json()["payment"]["reference"]
    # the browser's part (Stripe's Payment Element): attach a card and confirm
    assert asyncio.run(confirm_with_card(stripe_client(match.group(1)), reference)) == "succeeded"

    def paid() -> bool:
        order = httpx.get(f"{orders}/orders/{placed.json()['id']}", headers=school).json()
        return bool(order["payment_status"] == "paid")

    wait_for(paid)


def test_ctrl_c_stops_the_services_before_nats_and_nothing_is_killed(
    running: LocalPlatform,
) -> None:
    assert len(running.processes_left()) >= 12  # honcho, NATS, five APIs, five workers
    assert running.interrupt() == 130  # 128 + SIGINT, what a shell expects after Ctrl-C
    assert wait_for(lambda: not running.processes_left(), timeout=15) is True

    log = running.log()
    assert "SIGKILL" not in log, log[-3000:]
    stopped = dict(re.findall(r"(\S+) stopped \(rc=(-?\d+)\)", log))
    names = {f"{name}-{part}" for name in registry.NAMES for part in ("api", "worker")}
    assert names | {"portal", "nats", "localstripe"} <= set(stopped), log[-3000:]
    assert {name: rc for name, rc in stopped.items() if rc not in {"0", "-15"}} == {}
    for name in registry.NAMES:
        assert f"{name} worker stopped" in log
    order = list(dict.fromkeys(re.findall(r"(\S+) stopped \(rc=", log)))
    assert order.index("nats") > max(order.index(name) for name in names)
