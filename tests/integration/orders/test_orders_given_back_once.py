"""A line given back (its session called off) is given back once: when the money is asked for
after it (an invoice at approval, a card payment awaited), and never again when the order is
cancelled; what cancelling would give back can be asked beforehand, by the same rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from services.catalogue.application.minimums import CallOffShortSessions
from shared.auth import Role
from shared.clock import Clock
from tests.integration.orders.test_orders_approval import APPROVER, limit_spending
from tests.integration.orders.test_orders_called_off_sessions import DECIDES_ON, short_session
from tests.support.orders_shop import SCHOOL, Shop
from tests.support.platform import ASHWELL, auth, eventually


async def review_and_short_course(shop: Shop) -> str:
    """A consultancy (£780 with VAT) and a place on a session about to be called off (£780):
    the order's id, once the place is held."""
    review = await shop.service()
    course, session = await short_session(shop)
    await shop.add(review["id"])
    await shop.add(course["id"], session_id=session["id"])
    return str(session["id"])


async def call_off(shop: Shop, order_id: str) -> None:
    async def held() -> bool:
        return bool((await shop.order(order_id))["lines"][1]["booking"] == "reserved")

    await eventually(held)
    catalogue = shop.platform.services["catalogue"]
    await catalogue.bus_on(Clock(DECIDES_ON)).handle(CallOffShortSessions())

    async def called_off() -> bool:
        return bool((await shop.order(order_id))["lines"][1]["booking"] == "cancelled")

    await eventually(called_off)


async def test_a_line_called_off_awaiting_approval_is_credited_once_then_the_rest_on_cancel(
    shop: Shop,
) -> None:
    await limit_spending(shop, spending_limit_pence=50_000)
    await review_and_short_course(shop)
    placed = (await shop.checkout("invoice")).json()
    await call_off(shop, placed["id"])

    approved = await shop.orders.post(
        f"/orders/{placed['id']}/approval", json={"decision": "approve"}, headers=APPROVER
    )

    invoice = approved.json()["invoice"]
    assert (invoice["gross_pence"], invoice["credited_pence"]) == (156_000, 78_000)
    assert invoice["outstanding_pence"] == 78_000
    cancelled = await shop.orders.post(
        f"/orders/{placed['id']}/cancel", json={"reason": "head changed her mind"}, headers=SCHOOL
    )
    assert cancelled.status_code == 200, cancelled.text
    found = cancelled.json()
    assert [(line["title"], line["gross_pence"]) for line in found["given_back"]["lines"]] == [
        ("Governance review", 78_000)
    ]
    assert (found["invoice"]["credited_pence"], found["invoice"]["owed_to_school_pence"]) == (
        156_000,
        0,
    )
    notes = await shop.outbox("orders.credit_note.issued.v1")
    assert [[line["title"] for line in note["lines"]] for note in notes] == [
        ["Phonics leadership"],
        ["Governance review"],
    ]


async def test_a_card_payment_taken_after_a_line_was_called_off_refunds_that_line(
    shop: Shop,
) -> None:
    await review_and_short_course(shop)
    placed = (await shop.checkout("card")).json()
    reference = placed["payment"]["reference"]
    await call_off(shop, placed["id"])
    assert (await shop.order(placed["id"]))["refunded_pence"] == 0  # nothing paid yet

    await shop.stripe.confirm_with_card(reference)
    answer = await shop.send_webhook(await shop.succeeded_event(reference))

    assert answer.json() == {"result": "paid"}, answer.text
    order = await shop.order(placed["id"])
    assert (order["payment_status"], order["paid_pence"], order["refundable_pence"]) == (
        "partly_refunded",
        156_000,
        78_000,
    )
    [made] = await shop.refunds_settled(placed["id"])  # asked of Stripe by orders' worker
    assert (made["status"], made["gross_pence"]) == ("done", 78_000)
    assert (await shop.order(placed["id"]))["refunded_pence"] == 78_000
    at_stripe = await shop.stripe.client().v1.refunds.list_async(
        params={"payment_intent": reference}
    )
    assert [refund.amount for refund in at_stripe.data] == [78_000]
    [refund] = await shop.outbox("orders.refund.issued.v1")
    assert [line["title"] for line in refund["lines"]] == ["Phonics leadership"]


async def test_what_cancelling_would_give_back_is_shown_first_and_then_given(shop: Shop) -> None:
    course = await shop.service(title="Phonics CPD", service_type="course", category="CPD")
    runs_on = Clock().today() + timedelta(days=4)
    session = await shop.session(course["id"], starts_on=runs_on.isoformat(), capacity=20)
    review = await shop.service()
    await shop.add(course["id"], session_id=session["id"])
    placed = await shop.buy(review["id"], "invoice")
    url = f"/orders/{placed['id']}/cancellation"

    preview = await shop.orders.get(url, headers=SCHOOL)

    assert preview.status_code == 200, preview.text
    assert [
        (line["title"], line["gross_pence"], line["rule"]) for line in preview.json()["lines"]
    ] == [
        ("Phonics CPD", 0, "4 days before it runs: no refund"),
        ("Governance review", 78_000, "not yet delivered: full refund"),
    ]
    assert preview.json()["gross_pence"] == 78_000
    assert (await shop.order(placed["id"]))["status"] == "placed"  # the preview changed nothing
    other_school = await shop.orders.get(url, headers=auth(Role.SCHOOL, ASHWELL))
    assert other_school.status_code == 404
    cancelled = await shop.orders.post(
        f"/orders/{placed['id']}/cancel", json={"reason": "staff absence"}, headers=SCHOOL
    )
    given: dict[str, Any] = cancelled.json()["given_back"]
    assert (given["gross_pence"], [line["title"] for line in given["lines"]]) == (
        78_000,
        ["Governance review"],
    )
    assert cancelled.json()["invoice"]["outstanding_pence"] == 78_000  # the course still owed
    again = await shop.orders.get(url, headers=SCHOOL)
    assert again.status_code == 409, again.text
