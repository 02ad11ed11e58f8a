"""Every write of every service's API, with valid generated requests, each sent twice at the same
moment on PostgreSQL (where two transactions run side by side, unlike SQLite's one writer): no
answer may be a server error, a PUT's two answers must agree, and every event the writes
recorded must then be published to NATS (none refused as too large or unroutable). Two requests that both pass a
check and then meet on a key, or lock rows in opposite orders, answered 500 (or, for a PUT,
409) here before; each now gets its 409, is handled again by the bus, or takes its turn."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from fastapi import FastAPI

from services import registry
from shared.auth import Role
from shared.clock import Clock
from tests.support.api_fuzzing import (
    ids_listed,
    platform_apps,
    refused_events,
    twice_at_once,
    writes,
)
from tests.support.carried_events import carry_events
from tests.support.databases import PostgresDatabases
from tests.support.ledger_app import journal
from tests.support.orders_shop import FINANCE, SCHOOL, LocalStripe, Shop, localstripe
from tests.support.platform import ABBOTS_LANGLEY, ASHWELL, Platform, auth, invoice_order

EXAMPLES_PER_OPERATION = 4
SEED = 20261205

__all__ = ["localstripe"]  # the fixture: card checkouts ask a real local Stripe


@pytest.fixture(scope="module")
def apps(
    postgres: PostgresDatabases | None, localstripe: LocalStripe, nats_url: str
) -> dict[str, FastAPI]:
    if postgres is None:
        pytest.skip("no PostgreSQL answers (set TEST_POSTGRES_URL to run these on it)")

    async def emptied() -> dict[str, str]:
        return {name: await postgres.emptied(f"at_once_{name}") for name in registry.NAMES}

    return platform_apps(
        asyncio.run(emptied()),
        demo_data=True,
        localstripe_port=localstripe.port,
        nats_url=nats_url,
    )


@pytest.fixture(scope="module")
def portal(apps: dict[str, FastAPI]) -> Iterator[BlockingPortal]:
    """One event loop for every request (a PostgreSQL connection belongs to the loop it opened
    on)."""
    with start_blocking_portal() as running:
        yield running


@pytest.fixture(scope="module")
def made(apps: dict[str, FastAPI], portal: BlockingPortal, localstripe: LocalStripe) -> set[str]:
    """What the writes act on, made first through the APIs: orders of each kind (by invoice,
    paid by card, awaiting the approver, offered a course place), a basket with lines, and a
    journal; then the events all this recorded are carried, so the ledger and notifications
    hold what follows from them. The ids of the orders and the journal, which the writes then
    try first."""
    return portal.call(make_one_of_each, apps, localstripe)


def shop_of(apps: dict[str, FastAPI], stripe: LocalStripe) -> Shop:
    """The shop over the apps in this process (close its platform when done)."""
    clients = {
        name: httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{name}")
        for name, app in apps.items()
    }
    return Shop(Platform(nats_url="", apps=apps, clients=clients), stripe)


async def make_one_of_each(apps: dict[str, FastAPI], stripe: LocalStripe) -> set[str]:
    shop = shop_of(apps, stripe)
    try:
        made = {
            (await offered_a_place(shop))["id"],
            (await shop.paid_by_card((await shop.service())["id"]))["id"],
            (await awaiting_approval(shop))["id"],
            (await a_journal(shop))["id"],
        }
        await order_some_services(shop)
        await carry_events(apps.values())
        return made
    finally:
        await shop.platform.close()


async def offered_a_place(shop: Shop) -> dict[str, Any]:
    """Ashwell holds a course's one place and the school waits for it; Ashwell cancels, and the
    place is offered to the school."""
    course = await shop.service(title="Phonics leadership", service_type="course", category="CPD")
    runs_on = (Clock().today() + timedelta(days=40)).isoformat()
    session = await shop.session(course["id"], starts_on=runs_on, capacity=1)
    await shop.add(course["id"], urn=ASHWELL, session_id=session["id"])
    holder = (await shop.checkout(urn=ASHWELL)).json()
    waiting = await shop.buy(course["id"], session_id=session["id"])
    await carry_events(shop.platform.apps.values())
    cancelled = await shop.orders.post(
        f"/orders/{holder['id']}/cancel",
        json={"reason": "inset day moved"},
        headers=auth(Role.SCHOOL, ASHWELL),
    )
    assert cancelled.status_code == 200, cancelled.text
    await carry_events(shop.platform.apps.values())
    offered = await shop.order(waiting["id"])
    assert offered["lines"][0]["booking"] == "offered", offered
    return offered


async def awaiting_approval(shop: Shop) -> dict[str, Any]:
    """An order placed while the school's approver must approve every order."""

    async def approve_every_order(every_order: bool) -> None:
        policy = f"/schools/{ABBOTS_LANGLEY}/approval-policy"
        answer = await shop.orders.put(policy, json={"every_order": every_order}, headers=SCHOOL)
        assert answer.status_code == 200, answer.text

    await approve_every_order(True)
    placed = await shop.buy((await shop.service())["id"])
    await approve_every_order(False)
    assert placed["status"] == "awaiting_approval", placed
    return placed


async def a_journal(shop: Shop) -> dict[str, Any]:
    today = Clock().today().isoformat()
    body = journal(
        "AT-ONCE",
        "Staff development",
        today,
        ("core:cost:professional-development", 9_000),
        ("bank", -9_000),
    )
    posted = await shop.platform.ledger.post("/journals", json=body, headers=FINANCE)
    assert posted.status_code == 201, posted.text
    return dict(posted.json())


async def order_some_services(shop: Shop) -> None:
    """The school puts a few of the demo catalogue's services in its basket, then orders each
    it may (a subscription once: its basket's is then refused at checkout; a course is booked
    on a session, so it is not among those)."""
    shop_window = (await shop.platform.catalogue.get("/services", headers=SCHOOL)).json()
    for service in [found for found in shop_window if found["service_type"] != "course"][:3]:
        await shop.add(service["id"])
    placed = 0
    for service in shop_window:
        body = invoice_order(service["id"], purchase_order=f"PO-AT-ONCE-{placed}")
        placed += (await shop.orders.post("/orders", json=body, headers=SCHOOL)).status_code == 201
    assert placed >= 3, "the school could not order from the demo's catalogue"


@pytest.mark.parametrize("name", registry.NAMES)
def test_no_write_sent_twice_at_the_same_moment_gets_a_server_error(
    apps: dict[str, FastAPI], portal: BlockingPortal, made: set[str], nats_url: str, name: str
) -> None:
    app = apps[name]
    ids = portal.call(ids_listed, app, made)
    failures = [
        failure
        for operation in writes(app)
        for failure in twice_at_once(
            operation, app, portal, examples=EXAMPLES_PER_OPERATION, seed=SEED, ids=ids
        )
    ]
    assert not failures, "\n".join(str(failure) for failure in failures)
    assert portal.call(refused_events, app, nats_url) == []


@pytest.mark.parametrize("answers", [("decline", "decline"), ("accept", "decline")])
def test_an_offered_place_answered_twice_at_once_is_answered_once(
    apps: dict[str, FastAPI],
    portal: BlockingPortal,
    localstripe: LocalStripe,
    answers: tuple[str, str],
) -> None:
    """One answer wins and the other is told the place is no longer on offer; the invoice is
    credited once if the place was declined (twice, and the school would be shown money owed
    to it), and not at all if it was accepted."""
    statuses, order = portal.call(answer_an_offer_at_once, apps, localstripe, answers)
    assert sorted(statuses) == [200, 409], statuses
    [line] = order["lines"]
    invoice = order["invoice"]
    assert invoice["owed_to_school_pence"] == 0, invoice
    if line["booking"] == "declined":
        assert invoice["outstanding_pence"] == 0, invoice
    else:
        assert line["booking"] == "reserved", line
        assert invoice["outstanding_pence"] == order["gross_pence"], invoice


async def answer_an_offer_at_once(
    apps: dict[str, FastAPI], stripe: LocalStripe, answers: tuple[str, str]
) -> tuple[list[int], dict[str, Any]]:
    shop = shop_of(apps, stripe)
    try:
        offered = await offered_a_place(shop)
        line = offered["lines"][0]["line_id"]
        answered = await asyncio.gather(
            *(
                shop.orders.post(f"/orders/{offered['id']}/lines/{line}/{answer}", headers=SCHOOL)
                for answer in answers
            )
        )
        await carry_events(apps.values())
        return [answer.status_code for answer in answered], await shop.order(offered["id"])
    finally:
        await shop.platform.close()
