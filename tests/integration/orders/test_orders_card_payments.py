"""Card payments through the real `stripe` SDK against localstripe: an order is paid only on a
verified `payment_intent.succeeded` webhook; repeats, late and out-of-order events change
nothing; forged ones are refused with 400; refunds go through Stripe and never exceed what
was paid."""

from __future__ import annotations

import asyncio
import json
import time

from services.orders.adapters.stripe_gateway import StripeGateway
from services.orders.config import LOCAL_STRIPE_KEY, LOCAL_WEBHOOK_SECRET
from tests.support.nats_server import free_port
from tests.support.orders_shop import ADMIN, FINANCE, SCHOOL, Shop, served_over_http, stripe_event
from tests.support.platform import ABBOTS_LANGLEY, eventually


async def test_a_card_order_is_paid_when_stripe_posts_its_signed_webhook(shop: Shop) -> None:
    service = await shop.service(unit_price_pence=65_000)
    async with served_over_http(shop) as base_url:
        await shop.stripe.register_webhook(f"{base_url}/stripe/webhook")
        placed = await shop.buy(service["id"], "card", 2)

        assert placed["payment_status"] == "awaiting_payment"
        payment = placed["payment"]
        assert payment["amount_pence"] == placed["gross_pence"] == 156_000
        assert payment["client_secret"].startswith(payment["reference"])
        assert await shop.outbox("orders.order.paid.v1") == []

        assert await shop.stripe.confirm_with_card(payment["reference"]) == "succeeded"

        async def paid() -> bool:
            return bool((await shop.order(placed["id"]))["payment_status"] == "paid")

        await eventually(paid, timeout=20)  # localstripe posts about a second later
    (event,) = await shop.outbox("orders.order.paid.v1")
    assert event["payment_reference"] == payment["reference"]
    assert (event["net_pence"], event["vat_pence"], event["gross_pence"]) == (
        130_000,
        26_000,
        156_000,
    )
    assert event["strand"] == "traded"
    assert event["lines"][0]["category"] == "Governance"


async def test_a_repeated_or_duplicated_succeeded_webhook_pays_the_order_once(shop: Shop) -> None:
    service = await shop.service()
    placed = await shop.buy(service["id"], "card")
    reference = placed["payment"]["reference"]
    await shop.stripe.confirm_with_card(reference)
    event = await shop.succeeded_event(reference)

    assert (await shop.send_webhook(event)).json() == {"result": "paid"}
    assert (await shop.send_webhook(event)).json() == {"result": "already applied"}
    another = await shop.succeeded_event(reference)  # Stripe may send a second event
    assert (await shop.send_webhook(another)).json() == {"result": "ignored"}

    order = await shop.order(placed["id"])
    assert (order["status"], order["payment_status"], order["paid_pence"]) == (
        "placed",
        "paid",
        placed["gross_pence"],
    )
    assert len(await shop.outbox("orders.order.paid.v1")) == 1


async def test_a_late_failure_after_success_changes_nothing_and_a_failure_alone_pays_nothing(
    shop: Shop,
) -> None:
    service = await shop.service()
    first = await shop.buy(service["id"], "card")
    await shop.stripe.confirm_with_card(first["payment"]["reference"])
    succeeded = await shop.succeeded_event(first["payment"]["reference"])
    failed = stripe_event("payment_intent.payment_failed", succeeded["data"]["object"])
    assert (await shop.send_webhook(succeeded)).json() == {"result": "paid"}
    assert (await shop.send_webhook(failed)).json() == {"result": "ignored"}
    assert (await shop.order(first["id"]))["payment_status"] == "paid"

    second = await shop.buy(service["id"], "card")
    declined = await shop.stripe.client().v1.payment_intents.retrieve_async(
        second["payment"]["reference"]
    )
    news = stripe_event("payment_intent.payment_failed", declined.to_dict())
    assert (await shop.send_webhook(news)).json() == {"result": "ignored"}
    assert (await shop.order(second["id"]))["payment_status"] == "awaiting_payment"


async def test_a_forged_tampered_or_stale_webhook_is_refused_with_400_and_changes_nothing(
    shop: Shop,
) -> None:
    service = await shop.service()
    placed = await shop.buy(service["id"], "card")
    reference = placed["payment"]["reference"]
    event = await shop.succeeded_event(reference)

    forged = await shop.send_webhook(event, secret="whsec_someone_else")
    assert forged.status_code == 400
    assert "signature" in forged.json()["detail"]
    tampered_event = {**event, "id": "evt_tampered"}
    tampered = await shop.send_webhook(event, body=json.dumps(tampered_event).encode())
    assert tampered.status_code == 400
    stale = await shop.send_webhook(event, timestamp=int(time.time()) - 600)
    assert stale.status_code == 400
    unsigned = await shop.orders.post("/stripe/webhook", content=json.dumps(event))
    assert unsigned.status_code == 400

    assert (await shop.order(placed["id"]))["payment_status"] == "awaiting_payment"
    assert await shop.outbox("orders.order.paid.v1") == []
    assert LOCAL_WEBHOOK_SECRET  # the genuine secret still works afterwards:
    await shop.stripe.confirm_with_card(reference)
    assert (await shop.send_webhook(await shop.succeeded_event(reference))).json() == {
        "result": "paid"
    }


async def test_a_webhook_for_the_wrong_amount_does_not_pay_the_order(shop: Shop) -> None:
    service = await shop.service()
    placed = await shop.buy(service["id"], "card")
    event = await shop.succeeded_event(placed["payment"]["reference"])
    event["data"]["object"]["amount"] = 100
    answer = await shop.send_webhook(event)
    assert answer.status_code == 200  # acknowledged, so Stripe does not resend it for days
    assert answer.json()["result"].startswith("refused: paid £1.00, owed £780.00")
    assert (await shop.order(placed["id"]))["payment_status"] == "awaiting_payment"


async def test_a_card_refund_goes_through_stripe_and_can_never_exceed_what_was_paid(
    shop: Shop,
) -> None:
    service = await shop.service(unit_price_pence=65_000)
    order = await shop.paid_by_card(service["id"])  # £650 + £130 VAT
    reference = order["payment_reference"]

    part = await shop.orders.post(
        f"/orders/{order['id']}/refunds",
        json={"amount_pence": 30_000, "reason": "goodwill"},
        headers=FINANCE,
    )
    assert part.status_code == 201, part.text
    assert (part.json()["payment_status"], part.json()["refunded_pence"]) == (
        "partly_refunded",
        30_000,
    )
    too_much = await shop.orders.post(
        f"/orders/{order['id']}/refunds",
        json={"amount_pence": 48_001, "reason": "greedy"},
        headers=FINANCE,
    )
    assert too_much.status_code == 422
    assert too_much.json()["field"] == "amount_pence"
    assert "£480.00 paid and not yet refunded" in too_much.json()["detail"]
    by_school = await shop.orders.post(
        f"/orders/{order['id']}/refunds", json={"amount_pence": 1, "reason": "me"}, headers=SCHOOL
    )
    assert by_school.status_code == 403
    rest = await shop.orders.post(
        f"/orders/{order['id']}/refunds",
        json={"amount_pence": 48_000, "reason": "cancelled"},
        headers=FINANCE,
    )
    assert rest.json()["payment_status"] == "refunded"

    at_stripe = await shop.stripe.client().v1.refunds.list_async(
        params={"payment_intent": reference}
    )
    assert sorted(refund.amount for refund in at_stripe.data) == [30_000, 48_000]
    events = await shop.outbox("orders.refund.issued.v1")
    assert [event["gross_pence"] for event in events] == [30_000, 48_000]
    assert [(event["net_pence"], event["vat_pence"]) for event in events] == [
        (25_000, 5_000),
        (40_000, 8_000),
    ]
    refunds = (await shop.orders.get("/refunds", headers=FINANCE)).json()
    assert sorted((r["kind"], r["gross_pence"]) for r in refunds) == [
        ("card_refund", 30_000),
        ("card_refund", 48_000),
    ]
    again = await shop.orders.post(
        f"/orders/{order['id']}/refunds",
        json={"amount_pence": 1, "reason": "more"},
        headers=FINANCE,
    )
    assert again.status_code == 422


async def test_cancelling_an_unpaid_card_order_cancels_its_payment_at_stripe(shop: Shop) -> None:
    service = await shop.service()
    placed = await shop.buy(service["id"], "card")
    cancelled = await shop.orders.post(
        f"/orders/{placed['id']}/cancel", json={"reason": "changed our mind"}, headers=SCHOOL
    )
    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["status"], cancelled.json()["payment_status"]) == ("cancelled", "void")
    intent = await shop.stripe.client().v1.payment_intents.retrieve_async(
        placed["payment"]["reference"]
    )
    assert intent.status == "canceled"
    again = await shop.orders.post(
        f"/orders/{placed['id']}/cancel", json={"reason": "twice"}, headers=SCHOOL
    )
    assert again.status_code == 409
    assert again.json()["detail"] == "the order is already cancelled"
    fulfil = await shop.orders.post(f"/orders/{placed['id']}/fulfil", headers=ADMIN)
    assert fulfil.status_code == 409
    assert fulfil.json()["detail"] == "an order that is cancelled cannot become fulfilled"


async def test_an_unpaid_card_order_whose_payment_is_cancelled_at_stripe_already_is_cancelled(
    shop: Shop,
) -> None:
    """An earlier cancel had Stripe cancel the payment, then failed before the order was (the
    database out of reach, say): asked again, the cancel is done, not refused by Stripe."""
    service = await shop.service()
    placed = await shop.buy(service["id"], "card")
    reference = placed["payment"]["reference"]
    await shop.stripe.client().v1.payment_intents.cancel_async(reference)

    cancelled = await shop.orders.post(
        f"/orders/{placed['id']}/cancel", json={"reason": "asked again"}, headers=SCHOOL
    )

    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["status"], cancelled.json()["payment_status"]) == ("cancelled", "void")


async def test_the_same_webhook_delivered_several_times_at_once_pays_the_order_once(
    shop: Shop,
) -> None:
    service = await shop.service()
    placed = await shop.buy(service["id"], "card")
    reference = placed["payment"]["reference"]
    await shop.stripe.confirm_with_card(reference)
    event = await shop.succeeded_event(reference)

    answers = await asyncio.gather(*(shop.send_webhook(event) for _ in range(4)))

    assert [answer.status_code for answer in answers] == [200] * 4, [a.text for a in answers]
    results = sorted(answer.json()["result"] for answer in answers)
    assert results == ["already applied"] * 3 + ["paid"]
    assert len(await shop.outbox("orders.order.paid.v1")) == 1


async def test_a_checkout_while_stripe_is_out_of_reach_gets_503_and_changes_nothing(
    shop: Shop,
) -> None:
    shop.use_gateway(
        StripeGateway(
            secret_key=LOCAL_STRIPE_KEY,
            webhook_secret=LOCAL_WEBHOOK_SECRET,
            api_base=f"http://127.0.0.1:{free_port()}",  # nothing listens there
        )
    )
    service = await shop.service()
    await shop.add(service["id"])
    key = "retry-after-an-outage"

    refused = await shop.checkout("card", key=key)

    assert refused.status_code == 503
    assert refused.json()["detail"] == "the card processor did not answer; try again shortly"
    assert (await shop.orders.get("/orders", headers=ADMIN)).json() == []
    assert await shop.outbox("orders.order.placed.v1") == []
    basket = await shop.orders.get(f"/baskets/{ABBOTS_LANGLEY}", headers=SCHOOL)
    assert len(basket.json()["lines"]) == 1
    shop.use_gateway(None)
    retried = await shop.checkout("card", key=key)
    assert retried.status_code == 201, retried.text
    assert retried.json()["payment_status"] == "awaiting_payment"


async def test_an_order_paid_at_stripe_before_its_webhook_arrives_cannot_be_cancelled_as_unpaid(
    shop: Shop,
) -> None:
    service = await shop.service()
    placed = await shop.buy(service["id"], "card")
    reference = placed["payment"]["reference"]
    await shop.stripe.confirm_with_card(reference)  # the money is taken; the webhook is late

    refused = await shop.orders.post(
        f"/orders/{placed['id']}/cancel", json={"reason": "too late"}, headers=SCHOOL
    )

    assert refused.status_code == 409
    assert refused.json()["detail"].startswith("the card processor refused")
    assert (await shop.order(placed["id"]))["payment_status"] == "awaiting_payment"
    assert await shop.outbox("orders.order.cancelled.v1") == []
    late = await shop.send_webhook(await shop.succeeded_event(reference))
    assert late.json() == {"result": "paid"}


async def test_a_refund_retried_with_the_same_idempotency_key_refunds_once(shop: Shop) -> None:
    service = await shop.service(unit_price_pence=65_000)
    order = await shop.paid_by_card(service["id"])
    click = {**FINANCE, "Idempotency-Key": "refund-click-1"}
    body = {"amount_pence": 10_000, "reason": "goodwill"}

    answers = [
        await shop.orders.post(f"/orders/{order['id']}/refunds", json=body, headers=click)
        for _ in range(3)
    ]

    assert [answer.status_code for answer in answers] == [201, 201, 201]
    assert {answer.json()["refunded_pence"] for answer in answers} == {10_000}
    at_stripe = await shop.stripe.client().v1.refunds.list_async(
        params={"payment_intent": order["payment_reference"]}
    )
    assert [refund.amount for refund in at_stripe.data] == [10_000]
    assert len(await shop.outbox("orders.refund.issued.v1")) == 1


async def test_a_flood_of_webhook_posts_from_one_address_is_answered_429_with_retry_after(
    shop: Shop,
) -> None:
    shop.platform.apps["orders"].state.settings.webhook_requests_per_minute = 3
    service = await shop.service()
    placed = await shop.buy(service["id"], "card")
    event = await shop.succeeded_event(placed["payment"]["reference"])
    for _ in range(3):
        assert (await shop.send_webhook(event, secret="whsec_someone_else")).status_code == 400

    refused = await shop.send_webhook(event)  # genuine, but over the limit: not even read
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 20  # a token every 20 s at 3 a minute
    assert (await shop.order(placed["id"]))["payment_status"] == "awaiting_payment"
