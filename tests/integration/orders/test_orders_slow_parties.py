"""Outside parties are asked before the transaction that depends on them begins: a card payment
of Stripe before its order is placed (or approved), a basket line's quote of the catalogue
before the basket is locked; a card refund is asked of Stripe after the transaction that
records it has committed. While either is slow to answer, nothing waits on it but that
request: other schools check out and orders are read meanwhile (on SQLite, where each process
has one connection, they used to queue behind it). The basket may change meanwhile; the order is
then charged what it holds, the first payment cancelled."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from datetime import date
from typing import Any, TypeVar

import httpx

from services.orders.adapters.stripe_gateway import StripeGateway
from services.orders.entrypoints.worker import finish_asked_refunds, renew_due
from shared.auth import Role
from shared.clock import Clock
from tests.support.held import HeldStripe
from tests.support.orders_shop import ADMIN, SCHOOL, Shop
from tests.support.platform import ABBOTS_LANGLEY, ASHWELL, auth, eventually

MEANWHILE = 10  # seconds: far longer than any request here takes, far shorter than a queue's
T = TypeVar("T")


async def another_school_checks_out(shop: Shop, service_id: str) -> dict[str, Any]:
    """Meanwhile, another school buys on invoice: answered well within MEANWHILE."""
    await asyncio.wait_for(shop.add(service_id, urn=ASHWELL), MEANWHILE)
    invoiced = await asyncio.wait_for(shop.checkout("invoice", urn=ASHWELL), MEANWHILE)
    assert invoiced.status_code == 201, invoiced.text
    return dict(invoiced.json())


@asynccontextmanager
async def waiting_on_stripe(
    shop: Shop, asking: Callable[[StripeGateway], Coroutine[Any, Any, T]]
) -> AsyncIterator[tuple[HeldStripe, asyncio.Task[T]]]:
    """`asking` under way, its request to Stripe held at the gate: orders' API asks Stripe
    through it, and so may a worker's bus given the gateway. The test opens the gate."""
    async with HeldStripe(shop.stripe.url) as stripe:
        shop.use_gateway(stripe.gateway())
        asked = asyncio.create_task(asking(stripe.gateway()))
        await asyncio.wait_for(stripe.asked.wait(), MEANWHILE)
        yield stripe, asked


async def test_while_stripe_is_slow_to_answer_a_card_checkout_other_requests_go_on(
    shop: Shop,
) -> None:
    service = await shop.service(unit_price_pence=20_000)
    await shop.add(service["id"])
    async with waiting_on_stripe(shop, lambda _: shop.checkout("card")) as (stripe, card):
        invoiced = await another_school_checks_out(shop, service["id"])
        listed = await asyncio.wait_for(shop.orders.get("/orders", headers=ADMIN), MEANWHILE)
        assert [order["id"] for order in listed.json()] == [invoiced["id"]]
        assert not card.done()

        stripe.release()
        placed = await asyncio.wait_for(card, MEANWHILE)

    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["payment_status"] == "awaiting_payment"
    assert order["payment"]["amount_pence"] == order["gross_pence"] == 24_000
    assert order["payment_reference"] == order["payment"]["reference"]
    assert stripe.payments_created == [order["payment_reference"]]
    placed_events = await shop.outbox("orders.order.placed.v1")
    assert sorted(event["order_id"] for event in placed_events) == sorted(
        [order["id"], invoiced["id"]]
    )


async def test_a_basket_changed_while_its_payment_is_set_up_is_charged_what_it_then_holds(
    shop: Shop,
) -> None:
    service = await shop.service(unit_price_pence=10_000)
    await shop.add(service["id"])
    async with waiting_on_stripe(shop, lambda _: shop.checkout("card")) as (stripe, card):
        await asyncio.wait_for(shop.add(service["id"], 2), MEANWHILE)  # another tab, say

        stripe.release()
        placed = await asyncio.wait_for(card, MEANWHILE)

    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert sum(line["quantity"] for line in order["lines"]) == 3
    assert order["payment"]["amount_pence"] == order["gross_pence"] == 36_000
    first, second = stripe.payments_created
    assert order["payment_reference"] == second
    client = shop.stripe.client()
    cancelled = await client.v1.payment_intents.retrieve_async(first)
    assert (cancelled.status, cancelled.amount) == ("canceled", 12_000)
    basket = await shop.orders.get(
        f"/baskets/{ABBOTS_LANGLEY}", headers=auth(Role.SCHOOL, ABBOTS_LANGLEY)
    )
    assert basket.json()["lines"] == []


async def test_while_stripe_is_slow_to_answer_an_approval_other_checkouts_go_on(
    shop: Shop,
) -> None:
    approver = auth(Role.SCHOOL_APPROVER, ABBOTS_LANGLEY)
    policy = await shop.orders.put(
        f"/schools/{ABBOTS_LANGLEY}/approval-policy",
        json={"every_order": True},
        headers=auth(Role.SCHOOL, ABBOTS_LANGLEY),
    )
    assert policy.status_code == 200, policy.text
    service = await shop.service(unit_price_pence=5_000)
    waiting = await shop.buy(service["id"], "card")
    assert waiting["status"] == "awaiting_approval"

    async def approve(_: StripeGateway) -> httpx.Response:
        return await shop.orders.post(
            f"/orders/{waiting['id']}/approval", json={"decision": "approve"}, headers=approver
        )

    async with waiting_on_stripe(shop, approve) as (stripe, approval):
        await another_school_checks_out(shop, service["id"])

        stripe.release()
        approved = await asyncio.wait_for(approval, MEANWHILE)

    assert approved.status_code == 200, approved.text
    order = approved.json()
    assert (order["status"], order["payment_status"]) == ("placed", "awaiting_payment")
    assert stripe.payments_created == [order["payment_reference"]]


async def test_while_the_catalogue_is_slow_to_price_a_basket_line_other_checkouts_go_on(
    shop: Shop,
) -> None:
    service = await shop.service(unit_price_pence=8_000)
    await shop.add(service["id"])
    [line] = (await shop.add(service["id"], urn=ASHWELL))["lines"]
    catalogue = shop.held_catalogue()
    school = auth(Role.SCHOOL, ABBOTS_LANGLEY)
    adding = asyncio.create_task(shop.add(service["id"], 2))
    changing = asyncio.create_task(
        shop.orders.patch(
            f"/baskets/{ASHWELL}/lines/{line['line_id']}",
            json={"quantity": 3},
            headers=auth(Role.SCHOOL, ASHWELL),
        )
    )

    async def both_wait_for_the_catalogue() -> bool:
        return catalogue.gate.waiting == 2

    await eventually(both_wait_for_the_catalogue, timeout=MEANWHILE)

    invoiced = await asyncio.wait_for(shop.checkout("invoice", urn=ASHWELL), MEANWHILE)
    assert invoiced.status_code == 201, invoiced.text
    assert [line["quantity"] for line in invoiced.json()["lines"]] == [1]
    assert not adding.done() and not changing.done()

    catalogue.gate.release()
    added = await asyncio.wait_for(adding, MEANWHILE)
    changed = await asyncio.wait_for(changing, MEANWHILE)
    assert [line["quantity"] for line in added["lines"]] == [1, 2]
    assert changed.status_code == 404  # its line went with the order checked out meanwhile
    basket = await shop.orders.get(f"/baskets/{ABBOTS_LANGLEY}", headers=school)
    assert [line["quantity"] for line in basket.json()["lines"]] == [1, 2]


async def test_while_stripe_is_slow_to_answer_a_card_renewal_the_api_goes_on(shop: Shop) -> None:
    shop.set_day(date(2026, 10, 5))
    payroll = await shop.payroll_service()
    await shop.buy(payroll["id"], "card")

    def renew_on_new_year_s_day(gateway: StripeGateway) -> Coroutine[Any, Any, list[Any]]:
        return renew_due(shop.bus(clock=Clock(date(2027, 1, 1)), gateway=gateway))

    async with waiting_on_stripe(shop, renew_on_new_year_s_day) as (stripe, renewing):
        await another_school_checks_out(shop, payroll["id"])

        stripe.release()
        [renewal_id] = await asyncio.wait_for(renewing, MEANWHILE)

    renewal = await shop.order(str(renewal_id))
    assert renewal["payment_status"] == "awaiting_payment"
    assert stripe.payments_created == [renewal["payment_reference"]]
    assert renewal["lines"][0]["term_start"] == "2027-01-01"


async def test_while_stripe_is_slow_to_answer_a_card_refund_the_order_is_not_held(
    quiet_shop: Shop,
) -> None:
    """The refund is recorded and committed before Stripe is asked: while Stripe is slow, the
    order (its row, and on SQLite the API's one writer) is free for others to change."""
    shop = quiet_shop
    service = await shop.service(unit_price_pence=20_000)
    order = await shop.paid_by_card(service["id"])

    def refund(_: StripeGateway) -> Coroutine[Any, Any, httpx.Response]:
        body = {"amount_pence": 5_000, "reason": "goodwill"}
        return shop.orders.post(f"/orders/{order['id']}/refunds", json=body, headers=ADMIN)

    async with waiting_on_stripe(shop, refund) as (stripe, refunding):
        seen = await asyncio.wait_for(shop.order(order["id"]), MEANWHILE)
        assert (seen["refunded_pence"], seen["refund_asked_pence"]) == (0, 5_000)  # not yet made
        fulfilled = await asyncio.wait_for(shop.fulfil(order["id"]), MEANWHILE)
        assert fulfilled["status"] == "fulfilled"
        await another_school_checks_out(shop, service["id"])
        assert not refunding.done()

        stripe.release()
        refunded = await asyncio.wait_for(refunding, MEANWHILE)

    assert refunded.status_code == 201, refunded.text
    assert (refunded.json()["refunded_pence"], refunded.json()["refund_asked_pence"]) == (5_000, 0)
    [event] = await shop.outbox("orders.refund.issued.v1")
    assert event["gross_pence"] == 5_000


async def test_a_card_refund_stripe_never_answers_is_given_up_within_its_timeout_and_kept_asked(
    quiet_shop: Shop,
) -> None:
    """Stripe never answering is given up after `ORDERS_STRIPE_TIMEOUT_SECONDS`, not the SDK's
    80 s tried three times: the answer is 202, the refund recorded as asked, and no refund.issued
    event sent until the worker's job has had Stripe make it."""
    shop = quiet_shop
    service = await shop.service(unit_price_pence=20_000)
    order = await shop.paid_by_card(service["id"])
    refund = {"amount_pence": 5_000, "reason": "goodwill"}
    async with HeldStripe(shop.stripe.url) as stripe:  # never opened
        shop.use_gateway(stripe.gateway(timeout_seconds=0.5))
        accepted = await asyncio.wait_for(
            shop.orders.post(f"/orders/{order['id']}/refunds", json=refund, headers=ADMIN),
            MEANWHILE,
        )
        assert stripe.asked.is_set()

    assert accepted.status_code == 202, accepted.text
    assert (accepted.json()["refunded_pence"], accepted.json()["refund_asked_pence"]) == (0, 5_000)
    [asked] = (await shop.orders.get("/refunds", headers=ADMIN)).json()
    assert asked["status"] == "asked"
    assert await shop.outbox("orders.refund.issued.v1") == []
    shop.use_gateway(None)
    [made] = await finish_asked_refunds(shop.bus(), 0)
    assert made.status == "done"
    assert len(await shop.outbox("orders.refund.issued.v1")) == 1


def cancelling(shop: Shop, order: dict[str, Any]) -> Coroutine[Any, Any, httpx.Response]:
    return shop.orders.post(
        f"/orders/{order['id']}/cancel", json={"reason": "changed our mind"}, headers=SCHOOL
    )


async def test_while_stripe_is_slow_to_cancel_an_unpaid_card_payment_other_requests_go_on(
    shop: Shop,
) -> None:
    """The payment is cancelled at Stripe before the transaction that cancels the order begins:
    meanwhile the order is read, and other schools check out."""
    service = await shop.service(unit_price_pence=20_000)
    placed = await shop.buy(service["id"], "card")

    async with waiting_on_stripe(shop, lambda _: cancelling(shop, placed)) as (stripe, cancel):
        seen = await asyncio.wait_for(shop.order(placed["id"]), MEANWHILE)
        assert (seen["status"], seen["payment_status"]) == ("placed", "awaiting_payment")
        await another_school_checks_out(shop, service["id"])
        assert not cancel.done()

        stripe.release()
        cancelled = await asyncio.wait_for(cancel, MEANWHILE)

    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["status"], cancelled.json()["payment_status"]) == ("cancelled", "void")
    intent = await shop.stripe.client().v1.payment_intents.retrieve_async(
        placed["payment_reference"]
    )
    assert intent.status == "canceled"
    [event] = await shop.outbox("orders.order.cancelled.v1")
    assert event["order_id"] == placed["id"]


async def test_a_card_payment_made_while_its_order_s_cancel_waits_on_stripe_is_kept(
    shop: Shop,
) -> None:
    """The school pays in another tab while the cancel waits on Stripe: its webhook marks the
    order paid at once (the order's row is not held meanwhile), and Stripe, asked to cancel
    a payment already made, refuses: so is the cancel, and the order stays paid."""
    service = await shop.service(unit_price_pence=20_000)
    placed = await shop.buy(service["id"], "card")
    reference = placed["payment_reference"]

    async with waiting_on_stripe(shop, lambda _: cancelling(shop, placed)) as (stripe, cancel):
        assert await shop.stripe.confirm_with_card(reference) == "succeeded"
        webhook = shop.send_webhook(await shop.succeeded_event(reference))
        applied = await asyncio.wait_for(webhook, MEANWHILE)
        assert applied.json() == {"result": "paid"}

        stripe.release()
        refused = await asyncio.wait_for(cancel, MEANWHILE)

    assert refused.status_code == 409, refused.text
    assert refused.json()["detail"].startswith("the card processor refused")
    order = await shop.order(placed["id"])
    assert (order["status"], order["payment_status"]) == ("placed", "paid")
    assert await shop.outbox("orders.order.cancelled.v1") == []
    assert len(await shop.outbox("orders.order.paid.v1")) == 1
