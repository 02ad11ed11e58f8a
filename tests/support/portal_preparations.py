"""What some of the portal's pages need before they have a form to fuzz, made through the
services' own APIs as people's actions would make it: for a school, an order delivered to it (to
rate), a rolling subscription (to cancel) and a course place offered to it from a waiting list
(to accept or decline); for finance, card refunds the card provider refused (to ask again, or
record as paid back by bank transfer); for the approver, an order awaiting approval; for an LA
officer, a variation awaiting a second officer's approval; for staff, a trust's order for two of
its schools to mark delivered. Each is made just before its user is fuzzed (another user's
posts would have cancelled or answered it), and its page is walked first.

And the files a person uploads on a form: a measure's results as its upload takes them."""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any
from uuid import uuid4

from services.portal.users import DEMO_TRUST, SANDRINGHAM, User
from shared.auth import Role
from tests.support.orders_shop import LocalStripe, Shop
from tests.support.platform import ASHWELL, Platform, auth, eventually, invoice_order
from tests.support.portal_walk import Form, address_shape

CLERKING = "GOV-CLERK"  # a subscription a school orders by invoice at once
REVIEW = "PRE-INSP"  # a day's consultancy, delivered when staff say so
ROLLING = "DPO-ROLL"  # renews itself each term until cancelled
COURSE = "MENTOR"  # a course with sessions to book
FLEETVILLE_JUNIOR = 138205  # with Sandringham, a school of the demo trust
FINANCE = auth(Role.FINANCE)
# Not the demo officer: a variation waits for an officer other than the one who proposed it.
ANOTHER_OFFICER = auth(Role.LA_OFFICER)
SECOND_APPROVAL_OVER_PENCE = 5_000_000  # commissioning's threshold (£50,000)

# Makes what a user's pages need; returns the portal's pages that show it.
Preparation = Callable[[Shop, User], Awaitable[list[str]]]


async def prepare_for(platform: Platform, localstripe: LocalStripe, user: User) -> list[str]:
    """What the user's pages need, made now (if its role needs anything): the pages that
    show it."""
    preparation = PREPARATIONS.get(user.role)
    return await preparation(Shop(platform, localstripe), user) if preparation else []


async def on_sale(platform: Platform, code: str, urn: int) -> str:
    """The id of a demo service the school finds in the shop (orders learns of the
    catalogue's services shortly after they are published)."""

    async def found() -> str | None:
        listings = (await platform.orders.get("/listings", headers=auth(Role.SCHOOL, urn))).json()
        return next((str(each["service_id"]) for each in listings if each["code"] == code), None)

    return await eventually(found)


async def ordered(platform: Platform, code: str, urn: int, *, purchase_order: str) -> str:
    """The school's order of a demo service by invoice, placed through the orders API."""
    order = invoice_order(
        await on_sale(platform, code, urn), purchase_order=purchase_order, urn=urn
    )
    placed = await platform.orders.post("/orders", json=order, headers=auth(Role.SCHOOL, urn))
    assert placed.status_code == 201, placed.text
    return str(placed.json()["id"])


async def _school_history(shop: Shop, user: User) -> list[str]:
    """An order delivered to the school, a rolling subscription and a place offered to it."""
    assert user.urn
    invitation_id = await _delivered(shop, user.urn)
    await ordered(shop.platform, ROLLING, user.urn, purchase_order="PO-ROLLING")
    await offered_a_place(shop.platform, user.urn)
    return [f"/ratings/{invitation_id}", "/orders", "/bookings"]


async def _delivered(shop: Shop, urn: int) -> str:
    """An order delivered to the school: the invitation to rate it that evaluation then
    makes."""
    order_id = await ordered(shop.platform, REVIEW, urn, purchase_order="PO-TO-RATE")
    await shop.fulfil(order_id)

    async def invited() -> str | None:
        listed = await shop.platform.evaluation.get(
            "/ratings/invitations", headers=auth(Role.SCHOOL, urn)
        )
        return next((each["id"] for each in listed.json() if each["source_id"] == order_id), None)

    return await eventually(invited)


async def offered_a_place(platform: Platform, urn: int) -> str:
    """A course place offered to the school, on the order this returns: the session's one
    place was Ashwell's, the school was next on the waiting list, and Ashwell cancelled."""
    course = await on_sale(platform, COURSE, urn)
    starts_on = platform.services["catalogue"].clock.today() + timedelta(days=60)
    session = await platform.catalogue.post(
        f"/services/{course}/sessions",
        json={"starts_on": starts_on.isoformat(), "venue": "Hitchin", "capacity": 1},
        headers=auth(Role.CATALOGUE_ADMIN),
    )
    assert session.status_code == 201, session.text
    placed = await ordered_in_turn(platform, course, session.json()["id"], {ASHWELL: 1, urn: 1})

    await eventually(lambda: booked(platform, placed[urn], "waiting"))
    cancelled = await platform.orders.post(
        f"/orders/{placed[ASHWELL]}/cancel",
        json={"reason": "staff absence"},
        headers=auth(Role.SCHOOL, ASHWELL),
    )
    assert cancelled.status_code == 200, cancelled.text
    await eventually(lambda: booked(platform, placed[urn], "offered"))
    return placed[urn]


async def ordered_in_turn(
    platform: Platform, course: str, session_id: str, places: dict[int, int]
) -> dict[int, str]:
    """Each school's order by invoice of its `places` on the session, one after the other
    through its basket: the id of each school's order."""
    placed = {}
    for school, quantity in places.items():
        headers = auth(Role.SCHOOL, school)
        line = {"service_id": course, "quantity": quantity, "session_id": session_id}
        added = await platform.orders.post(f"/baskets/{school}/lines", json=line, headers=headers)
        assert added.status_code == 201, added.text
        answer = await platform.orders.post(
            f"/baskets/{school}/checkout",
            json={"payment_method": "invoice", "purchase_order": "PO-WAITING"},
            headers={**headers, "Idempotency-Key": f"waiting-{school}-{session_id}"},
        )
        assert answer.status_code == 201, answer.text
        placed[school] = str(answer.json()["id"])
    return placed


async def ordered_by_the_trust(
    platform: Platform, lines: dict[int, dict[str, Any]], *, purchase_order: str, key: str
) -> str:
    """The trust's buyer puts each line in the basket for its school (by URN) and checks out
    once, by invoice to the trust: the order's id."""
    headers = auth(Role.TRUST_BUYER, trust=DEMO_TRUST)
    for urn, line in lines.items():
        added = await platform.orders.post(f"/baskets/{urn}/lines", json=line, headers=headers)
        assert added.status_code == 201, added.text
    placed = await platform.orders.post(
        f"/trusts/{DEMO_TRUST}/checkout",
        json={"purchase_order": purchase_order},
        headers={**headers, "Idempotency-Key": key},
    )
    assert placed.status_code == 201, placed.text
    return str(placed.json()["id"])


async def booked(platform: Platform, order_id: str, booking: str) -> bool:
    """Whether the order's (first) course line is booked so: reserved, waiting, offered."""
    order = (await platform.orders.get(f"/orders/{order_id}", headers=FINANCE)).json()
    return bool(order["lines"][0]["booking"] == booking)


async def _refused_card_refunds(shop: Shop, _: User) -> list[str]:
    """Two refunds of a school's card payment that the card provider refused: finance may ask
    again for one and record the other paid back by bank transfer."""
    service_id = await on_sale(shop.platform, CLERKING, ASHWELL)
    order = await shop.paid_by_card(service_id, urn=ASHWELL)
    async with shop.refusing_refunds("Your card was closed."):
        for reason in ("goodwill", "a visit missed"):
            body = {"amount_pence": 1_000, "reason": reason}
            refused = await shop.orders.post(
                f"/orders/{order['id']}/refunds", json=body, headers=FINANCE
            )
            assert refused.status_code == 409, refused.text
    return ["/finance/refunds", f"/orders/{order['id']}"]


async def _an_order_awaiting_approval(shop: Shop, user: User) -> list[str]:
    """The school places an order while it asks approval of every order."""
    assert user.urn
    school, policy = auth(Role.SCHOOL, user.urn), f"/schools/{user.urn}/approval-policy"
    await shop.orders.put(policy, json={"every_order": True}, headers=school)
    try:
        order_id = await ordered(shop.platform, CLERKING, user.urn, purchase_order="PO-TO-APPROVE")
        placed = await shop.orders.get(f"/orders/{order_id}", headers=school)
        assert placed.json()["status"] == "awaiting_approval", placed.text
    finally:
        await shop.orders.put(policy, json={"every_order": False}, headers=school)
    return [f"/orders/{order_id}/approval"]


async def _a_variation_awaiting_a_second_officer(shop: Shop, _: User) -> list[str]:
    """Another officer raises the contract's value by more than one officer may."""
    commissioning = shop.platform.commissioning
    [contract, *_] = (await commissioning.get("/contracts", headers=ANOTHER_OFFICER)).json()
    proposed = await commissioning.post(
        f"/contracts/{contract['id']}/variations",
        json={
            "kind": "value",
            "value_pence": contract["value_pence"] + 2 * SECOND_APPROVAL_OVER_PENCE,
            "reason": "More schools causing concern this year",
        },
        headers=ANOTHER_OFFICER,
    )
    assert proposed.status_code == 201, proposed.text
    assert proposed.json()["pending_variations"], proposed.text
    return [f"/contracts/{contract['id']}"]


async def _a_trust_order_to_deliver(shop: Shop, _: User) -> list[str]:
    """A trust's order of one service for two of its schools, not yet delivered (staff mark it
    delivered; each school may then rate what it had)."""
    review = await on_sale(shop.platform, REVIEW, SANDRINGHAM)
    line = {"service_id": review, "quantity": 1}
    order_id = await ordered_by_the_trust(
        shop.platform,
        {SANDRINGHAM: line, FLEETVILLE_JUNIOR: line},
        purchase_order="PO-TO-DELIVER",
        key=f"to-deliver-{uuid4()}",
    )
    return [f"/orders/{order_id}"]


PREPARATIONS: dict[Role, Preparation] = {
    Role.SCHOOL: _school_history,
    Role.SCHOOL_APPROVER: _an_order_awaiting_approval,
    Role.FINANCE: _refused_card_refunds,
    Role.LA_OFFICER: _a_variation_awaiting_a_second_officer,
    Role.ADMIN: _a_trust_order_to_deliver,
}


RESULTS_UPLOAD = "/programmes/<id>/measures/<id>/upload"
RESULT_COLUMNS = ("urn", "group", "stage", "value", "pupils", "mean", "sd", "n")
# Two group summaries, which any programme takes (a school's result must be one of its own).
SUMMARIES = [
    {"group": "participant", "stage": "baseline", "mean": 103.5, "sd": 6.1, "n": 28},
    {"group": "comparison", "stage": "baseline", "mean": 102.0, "sd": 6.4, "n": 31},
]


async def file_samples(platform: Platform, form: Form) -> dict[str, bytes]:
    """A file a person would upload on the form, by its field's name, where there is one: on a
    measure's upload, the results the measure holds (or, if it holds no group's, two group
    summaries)."""
    if address_shape(form.action) != RESULTS_UPLOAD:
        return {}
    _, _, programme_id, _, measure_id, _ = form.action.split("/")
    held = await platform.evaluation.get(
        f"/programmes/{programme_id}/measures/{measure_id}/results", headers=auth(Role.EVALUATOR)
    )
    stored = held.json() if held.status_code == 200 else {}
    rows: list[dict[str, Any]] = [*stored.get("schools", []), *(stored.get("groups") or SUMMARIES)]
    written = io.StringIO()
    writer = csv.DictWriter(written, RESULT_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return {
        field.name: written.getvalue().encode() for field in form.fields if field.kind == "file"
    }
