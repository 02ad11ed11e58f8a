"""A school still on a session's waiting list when the session can no longer be booked never
gets a place: the catalogue's job closes the waiting list, and orders, hearing it over NATS,
refunds a card-paid line through Stripe and credits an invoiced one, in full, once however
often the news comes, while the school that holds its place keeps it; the ledger books both."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from services.catalogue.application.waiting_lists import CloseWaitingLists
from shared.clock import Clock
from shared.events import Envelope, WaitingListClosedV1
from tests.integration.orders.test_orders_in_the_ledger import balances, posted
from tests.integration.orders.test_orders_place_offers import BUSHEY_HEATH, line_of
from tests.support.event_delivery import undelivered_events
from tests.support.events import publish_raw
from tests.support.orders_shop import FINANCE, Shop
from tests.support.platform import ASHWELL, eventually
from tests.support.portal_pages import signed_in_portal, text_of

RUNS_ON = Clock().today() + timedelta(days=10)
CLOSED = "catalogue.session.waiting_list_closed.v1"


async def one_place_two_waiting(shop: Shop) -> tuple[dict[str, Any], ...]:
    """A one-place session (£780 with VAT a place): Abbots Langley holds it on its invoice;
    Ashwell, paid by card, then Bushey Heath, by invoice, wait for it."""
    course = await shop.service(title="Phonics leadership", service_type="course", category="CPD")
    session = await shop.session(course["id"], starts_on=RUNS_ON.isoformat(), capacity=1)
    holder = await shop.buy(course["id"], "invoice", session_id=session["id"])
    await eventually(lambda: line_of(shop, holder["id"], "reserved"))
    ashwell = await shop.paid_by_card(course["id"], urn=ASHWELL, session_id=session["id"])
    bushey = await shop.buy(course["id"], "invoice", urn=BUSHEY_HEATH, session_id=session["id"])
    await eventually(lambda: line_of(shop, ashwell["id"], "waiting"))
    await eventually(lambda: line_of(shop, bushey["id"], "waiting"))
    return holder, ashwell, bushey


async def closed_events(shop: Shop) -> list[Envelope[WaitingListClosedV1]]:
    catalogue = shop.platform.services["catalogue"]
    outbox = catalogue.definition.tables.outbox
    async with catalogue.sessions() as session:
        rows = await session.execute(select(outbox.c.body).where(outbox.c.subject == CLOSED))
        return [Envelope[WaitingListClosedV1].model_validate(json.loads(row.body)) for row in rows]


async def test_a_waiting_line_on_a_session_no_longer_booked_is_given_back_once(
    shop_and_ledger: Shop,
) -> None:
    shop = shop_and_ledger
    holder, ashwell, bushey = await one_place_two_waiting(shop)
    catalogue = shop.platform.services["catalogue"]
    day_before = catalogue.bus_on(Clock(RUNS_ON - timedelta(days=1)))
    assert await day_before.handle(CloseWaitingLists()) == []  # still bookable: still waiting

    on_the_day = catalogue.bus_on(Clock(RUNS_ON))
    runs = await asyncio.gather(  # two workers at once: each line is closed once
        on_the_day.handle(CloseWaitingLists()),
        on_the_day.handle(CloseWaitingLists()),
        return_exceptions=True,
    )
    closed = [booking.urn for run in runs if isinstance(run, list) for booking in run]
    assert sorted(closed) == [ASHWELL, BUSHEY_HEATH]

    refunded = await eventually(lambda: line_of(shop, ashwell["id"], "unplaced"))
    credited = await eventually(lambda: line_of(shop, bushey["id"], "unplaced"))
    assert refunded["title"] == credited["title"] == "Phonics leadership"
    [made] = await shop.refunds_settled(ashwell["id"])  # asked of Stripe by orders' worker
    assert (made["status"], made["gross_pence"]) == ("done", 78_000)
    ledger_refund = await eventually(lambda: posted(shop, "orders.refund.issued.v1"))
    ledger_credit = await eventually(lambda: posted(shop, "orders.credit_note.issued.v1"))

    [event] = await closed_events(shop)
    assert await publish_raw(shop.platform.nats_url, event, msg_id="redelivered")
    copy = Envelope.of(event.payload)  # the same news again, under an id of its own
    assert await publish_raw(shop.platform.nats_url, copy, msg_id=str(copy.event_id))
    assert await undelivered_events(shop.platform) == []

    ashwell, bushey, holder = [await shop.order(found["id"]) for found in (ashwell, bushey, holder)]
    assert (ashwell["status"], ashwell["payment_status"]) == ("cancelled", "refunded")
    assert (ashwell["refunded_pence"], ashwell["refundable_pence"]) == (78_000, 0)
    at_stripe = await shop.stripe.client().v1.refunds.list_async(
        params={"payment_intent": ashwell["payment_reference"]}
    )
    assert [refund.amount for refund in at_stripe.data] == [78_000]
    assert (bushey["status"], bushey["payment_status"]) == ("cancelled", "credited")
    assert bushey["invoice"]["credited_pence"] == 78_000
    [note] = await shop.outbox("orders.credit_note.issued.v1")
    assert note["reason"].startswith("no place came free on Phonics leadership")
    assert [line["withdrawn"] for line in note["lines"]] == [True]  # the school takes no part
    # the school that holds its place is untouched: booked, invoiced, nothing given back
    assert (holder["status"], holder["lines"][0]["booking"]) == ("placed", "reserved")
    assert (holder["payment_status"], holder["invoice"]["credited_pence"]) == ("invoiced", 0)

    assert await posted(shop, "orders.refund.issued.v1") == ledger_refund
    assert await posted(shop, "orders.credit_note.issued.v1") == ledger_credit
    book = await balances(shop)
    assert book["receivables:schools"] == 78_000  # Abbots Langley's invoice alone
    assert book["deferred-income"] == -65_000  # its place alone, earned on the course's day
    trial = (await shop.platform.ledger.get("/reports/trial-balance", headers=FINANCE)).json()
    assert trial["difference_pence"] == 0


async def test_the_school_s_pages_say_no_place_came_free_and_the_line_was_given_back(
    shop: Shop,
) -> None:
    course = await shop.service(title="Phonics leadership", service_type="course", category="CPD")
    session = await shop.session(course["id"], starts_on=RUNS_ON.isoformat(), capacity=1)
    await shop.buy(course["id"], "invoice", urn=ASHWELL, session_id=session["id"])
    waiting = await shop.buy(course["id"], "invoice", session_id=session["id"])
    await eventually(lambda: line_of(shop, waiting["id"], "waiting"))

    catalogue = shop.platform.services["catalogue"]
    await catalogue.bus_on(Clock(RUNS_ON)).handle(CloseWaitingLists())
    await eventually(lambda: line_of(shop, waiting["id"], "unplaced"))

    async with signed_in_portal(shop.platform, "school") as school:
        order = text_of((await school.get(f"/orders/{waiting['id']}")).text)
        bookings = text_of((await school.get("/bookings")).text)
    assert "Given back: no place came free" in order
    # said so, not just "Cancelled", though the order it emptied was cancelled
    assert "Phonics leadership" in bookings and "No place came free: refunded" in bookings
