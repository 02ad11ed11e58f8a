"""Cancellation by the rule of each service type, over HTTP, at the rules' edges: card orders
get money back through Stripe, invoice orders a credit note."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from shared.auth import Role
from shared.clock import Clock
from tests.support.orders_shop import SCHOOL, Shop
from tests.support.platform import ASHWELL, auth, eventually

ASHWELL_SCHOOL = auth(Role.SCHOOL, ASHWELL)


@pytest.mark.parametrize(
    ("days_before", "refunded"),
    [(14, 78_000), (13, 39_000), (7, 39_000), (6, 0)],
)
async def test_a_paid_course_is_refunded_by_how_long_before_it_runs_it_is_cancelled(
    shop: Shop, days_before: int, refunded: int
) -> None:
    course = await shop.service(title="Phonics leadership", service_type="course", category="CPD")
    runs_on = Clock().today() + timedelta(days=days_before)
    session = await shop.session(course["id"], starts_on=runs_on.isoformat(), capacity=20)
    await shop.add(course["id"], 1, session_id=session["id"])
    placed = await shop.checkout("card")
    assert placed.status_code == 201, placed.text
    assert placed.json()["lines"][0]["delivery_on"] == runs_on.isoformat()
    reference = placed.json()["payment"]["reference"]
    await shop.stripe.confirm_with_card(reference)
    await shop.send_webhook(await shop.succeeded_event(reference))

    cancelled = await shop.orders.post(
        f"/orders/{placed.json()['id']}/cancel", json={"reason": "staff absence"}, headers=SCHOOL
    )

    assert cancelled.status_code == 200, cancelled.text
    payment = {78_000: "refunded", 39_000: "partly_refunded", 0: "paid"}[refunded]
    found = cancelled.json()
    assert (found["status"], found["payment_status"], found["refunded_pence"]) == (
        "cancelled",
        payment,
        refunded,
    )
    at_stripe = await shop.stripe.client().v1.refunds.list_async(
        params={"payment_intent": reference}
    )
    assert [refund.amount for refund in at_stripe.data] == ([refunded] if refunded else [])
    events = await shop.outbox("orders.refund.issued.v1")
    assert [event["gross_pence"] for event in events] == ([refunded] if refunded else [])
    assert len(await shop.outbox("orders.order.cancelled.v1")) == 1


async def test_a_paid_place_still_on_the_waiting_list_is_refunded_in_full_five_days_before(
    shop: Shop,
) -> None:
    course = await shop.service(title="Phonics leadership", service_type="course", category="CPD")
    runs_on = Clock().today() + timedelta(days=5)
    session = await shop.session(course["id"], starts_on=runs_on.isoformat(), capacity=1)
    await shop.buy(course["id"], "invoice", session_id=session["id"])  # takes the only place
    await shop.add(course["id"], 1, urn=ASHWELL, session_id=session["id"])
    placed = (await shop.checkout("card", urn=ASHWELL)).json()
    reference = placed["payment"]["reference"]
    await shop.stripe.confirm_with_card(reference)
    await shop.send_webhook(await shop.succeeded_event(reference))

    async def waiting() -> bool:
        order = await shop.order(placed["id"])
        return bool(order["payment_status"] == "paid" and order["lines"][0]["booking"] == "waiting")

    await eventually(waiting)
    cancelled = await shop.orders.post(
        f"/orders/{placed['id']}/cancel",
        json={"reason": "no place came up"},
        headers=ASHWELL_SCHOOL,
    )

    assert cancelled.status_code == 200, cancelled.text
    found = cancelled.json()
    assert (found["status"], found["payment_status"], found["refunded_pence"]) == (
        "cancelled",
        "refunded",
        78_000,
    )
    at_stripe = await shop.stripe.client().v1.refunds.list_async(
        params={"payment_intent": reference}
    )
    assert [refund.amount for refund in at_stripe.data] == [78_000]


@pytest.mark.parametrize(
    ("cancelled_on", "credited_net"),
    [
        (date(2026, 8, 20), 390_000),  # before the term: all twelve months
        (date(2026, 11, 15), 292_500),  # December to August: 9 of 12
        (date(2027, 7, 31), 32_500),  # August alone
        (date(2027, 8, 1), 0),  # nothing left unused
    ],
)
async def test_a_subscription_is_credited_pro_rata_by_whole_months_unused(
    shop: Shop, cancelled_on: date, credited_net: int
) -> None:
    shop.set_day(date(2026, 8, 1))
    service = await shop.service(
        title="HR advice line", service_type="subscription", category="HR", unit_price_pence=390_000
    )
    await shop.keep_prices_from(service["id"], "2026-09-01")  # 2026/27's list, set ahead
    order = await shop.buy(service["id"], "invoice", academic_year="2026/27")
    shop.set_day(cancelled_on)

    cancelled = await shop.orders.post(
        f"/orders/{order['id']}/cancel", json={"reason": "joined a trust"}, headers=SCHOOL
    )

    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["invoice"]["credited_pence"] == credited_net * 6 // 5
    notes = await shop.outbox("orders.credit_note.issued.v1")
    assert [note["net_pence"] for note in notes] == ([credited_net] if credited_net else [])
