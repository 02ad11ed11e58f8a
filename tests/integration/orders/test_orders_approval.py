"""Headteacher approval: an order above the school's spending limit waits for its approver, with
nothing charged or invoiced; approval goes on with the checkout, a decline or no answer in time
cancels it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from services.orders.entrypoints.worker import lapse_unapproved
from shared.auth import Role
from shared.clock import Clock
from tests.support.orders_shop import SCHOOL, Shop
from tests.support.platform import ABBOTS_LANGLEY, auth

APPROVER = auth(Role.SCHOOL_APPROVER, ABBOTS_LANGLEY)


async def limit_spending(shop: Shop, **policy: Any) -> None:
    answer = await shop.orders.put(
        f"/schools/{ABBOTS_LANGLEY}/approval-policy", json=policy, headers=SCHOOL
    )
    assert answer.status_code == 200, answer.text


async def test_an_order_over_the_limit_waits_for_the_approver_and_approval_raises_its_invoice(
    shop: Shop,
) -> None:
    await limit_spending(shop, spending_limit_pence=50_000)
    review = await shop.service()  # £650 + VAT
    placed = await shop.buy(review["id"], "invoice")
    assert (placed["status"], placed["payment_status"], placed["invoice"]) == (
        "awaiting_approval",
        "not_asked",
        None,
    )
    [requested] = await shop.outbox("orders.approval.requested.v1")
    assert requested["order_id"] == placed["id"] and requested["gross_pence"] == 78_000
    assert (requested["reason"], requested["spending_limit_pence"]) == ("spending_limit", 50_000)
    assert requested["approve_by"] == (Clock().today() + timedelta(days=5)).isoformat()
    assert await shop.outbox("orders.invoice.raised.v1") == []

    by_business_manager = await shop.orders.post(
        f"/orders/{placed['id']}/approval", json={"decision": "approve"}, headers=SCHOOL
    )
    assert by_business_manager.status_code == 403
    approved = await shop.orders.post(
        f"/orders/{placed['id']}/approval", json={"decision": "approve"}, headers=APPROVER
    )

    assert approved.status_code == 200, approved.text
    order = approved.json()
    assert (order["status"], order["payment_status"]) == ("placed", "invoiced")
    assert order["invoice"]["gross_pence"] == 78_000
    [invoiced] = await shop.outbox("orders.invoice.raised.v1")
    assert invoiced["order_id"] == placed["id"]
    [audit] = await shop.outbox("orders.order.approved.v1")
    assert audit["approved_by"] == f"test-{Role.SCHOOL_APPROVER}"
    assert audit["approved_on"] == Clock().today().isoformat()
    again = await shop.orders.post(
        f"/orders/{placed['id']}/approval", json={"decision": "decline"}, headers=APPROVER
    )
    assert again.status_code == 409


async def test_an_approved_card_order_awaits_its_payment(shop: Shop) -> None:
    await limit_spending(shop, every_order=True)
    placed = await shop.buy((await shop.service(unit_price_pence=1_000))["id"], "card")
    assert placed["status"] == "awaiting_approval" and placed["payment_reference"] is None
    [requested] = await shop.outbox("orders.approval.requested.v1")
    assert (requested["reason"], requested["spending_limit_pence"]) == ("every_order", None)

    approved = await shop.orders.post(
        f"/orders/{placed['id']}/approval", json={"decision": "approve"}, headers=APPROVER
    )

    assert approved.status_code == 200, approved.text
    assert approved.json()["payment_status"] == "awaiting_payment"
    assert approved.json()["payment_reference"].startswith("pi_")


async def test_a_declined_order_is_cancelled_and_one_under_the_limit_goes_straight_through(
    shop: Shop,
) -> None:
    await limit_spending(shop, spending_limit_pence=50_000)
    placed = await shop.buy((await shop.service())["id"], "invoice")
    declined = await shop.orders.post(
        f"/orders/{placed['id']}/approval", json={"decision": "decline"}, headers=APPROVER
    )
    assert declined.status_code == 200, declined.text
    assert (declined.json()["status"], declined.json()["payment_status"]) == (
        "cancelled",
        "not_asked",
    )
    [cancelled] = await shop.outbox("orders.order.cancelled.v1")
    assert "declined by the school's approver" in cancelled["reason"]

    small = await shop.buy((await shop.service(unit_price_pence=10_000))["id"], "invoice")
    assert (small["status"], small["payment_status"]) == ("placed", "invoiced")


async def test_an_order_not_approved_in_time_lapses(shop: Shop) -> None:
    await limit_spending(shop, every_order=True, approval_days=2)
    placed = await shop.buy((await shop.service())["id"], "invoice")
    orders = shop.platform.services["orders"]

    on_time = await lapse_unapproved(orders.bus_on(Clock(Clock().today() + timedelta(days=2))))
    assert on_time == 0
    late = await lapse_unapproved(orders.bus_on(Clock(Clock().today() + timedelta(days=3))))

    assert late == 1
    assert (await shop.order(placed["id"]))["status"] == "cancelled"
    [cancelled] = await shop.outbox("orders.order.cancelled.v1")
    assert cancelled["reason"].startswith("not approved by")


async def test_a_school_names_its_contacts_and_each_change_is_announced(shop: Shop) -> None:
    named = await shop.orders.put(
        f"/schools/{ABBOTS_LANGLEY}/contacts/finance",
        json={"name": "Priya Shah", "email": "finance@abbotslangley.herts.sch.uk"},
        headers=SCHOOL,
    )
    assert named.status_code == 200, named.text
    listed = await shop.orders.get(f"/schools/{ABBOTS_LANGLEY}/contacts", headers=APPROVER)
    assert listed.json() == [
        {"contact": "finance", "name": "Priya Shah", "email": "finance@abbotslangley.herts.sch.uk"}
    ]
    [announced] = await shop.outbox("orders.school_contact.changed.v1")
    assert announced == {
        "urn": ABBOTS_LANGLEY,
        "contact": "finance",
        "name": "Priya Shah",
        "email": "finance@abbotslangley.herts.sch.uk",
    }
    other_school = await shop.orders.put(
        "/schools/117084/contacts/finance",
        json={"name": "Someone", "email": "someone@example.org"},
        headers=SCHOOL,
    )
    assert other_school.status_code == 403
    not_an_address = await shop.orders.put(
        f"/schools/{ABBOTS_LANGLEY}/contacts/headteacher",
        json={"name": "A Head", "email": "not an address"},
        headers=SCHOOL,
    )
    assert (not_an_address.status_code, not_an_address.json()["field"]) == (422, "email")
    for more_than_one in (  # each went into the mail header as it is: to two people, or more
        "bursar@abbotslangley.example,governors",
        "bursar,governors@abbotslangley.example",
        "bursar;governors@abbotslangley.example",
        "A.Bursar<bursar@abbotslangley.example>",
    ):
        refused = await shop.orders.put(
            f"/schools/{ABBOTS_LANGLEY}/contacts/headteacher",
            json={"name": "A Head", "email": more_than_one},
            headers=SCHOOL,
        )
        assert (refused.status_code, refused.json()["field"]) == (422, "email"), more_than_one
