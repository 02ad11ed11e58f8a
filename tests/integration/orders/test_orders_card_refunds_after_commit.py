"""A card refund is recorded `asked` in the transaction that gives the money back (the order
cancelled, a line withdrawn, an amount refunded), and Stripe is asked only once that has
committed, with a key of the refund's own id. Stripe out of reach leaves the refund asked, the
change made and no refund.issued event; the worker's job asks again and marks it done once,
with one event, however often it runs (Stripe answers the same key with the same refund, also
one it made whose answer was lost). A refund Stripe refuses for good is marked failed, raised
as an alarm, and listed with why, for finance to give the money back another way."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from services.orders.adapters.stripe_gateway import StripeGateway
from services.orders.config import LOCAL_STRIPE_KEY, LOCAL_WEBHOOK_SECRET
from services.orders.domain.states import RefundStatus
from services.orders.entrypoints.worker import finish_asked_refunds
from shared.errors import Unavailable
from tests.support.held import RefusingStripe
from tests.support.nats_server import free_port
from tests.support.orders_shop import FINANCE, SCHOOL, Shop

ISSUED = "orders.refund.issued.v1"


def out_of_reach() -> StripeGateway:
    """Orders' gateway to a Stripe nothing answers for: every request fails to connect."""
    return gateway_to(f"http://127.0.0.1:{free_port()}")


def gateway_to(api_base: str, kind: type[StripeGateway] = StripeGateway) -> StripeGateway:
    return kind(secret_key=LOCAL_STRIPE_KEY, webhook_secret=LOCAL_WEBHOOK_SECRET, api_base=api_base)


class AnswerLost(StripeGateway):
    """Orders' gateway whose refunds Stripe makes but whose answers never come back (the
    connection dropped, or the process killed, just after Stripe made the refund)."""

    async def refund(self, *, reference: str, amount_pence: int, idempotency_key: str) -> str:
        await super().refund(
            reference=reference, amount_pence=amount_pence, idempotency_key=idempotency_key
        )
        raise Unavailable("the card processor did not answer; try again shortly")


async def refunds(shop: Shop, order_id: str) -> list[dict[str, Any]]:
    listed = await shop.orders.get("/refunds", params={"order_id": order_id}, headers=FINANCE)
    assert listed.status_code == 200, listed.text
    return list(listed.json())


async def at_stripe(shop: Shop, reference: str) -> list[tuple[str, int]]:
    found = await shop.stripe.client().v1.refunds.list_async(params={"payment_intent": reference})
    return sorted((refund.id, refund.amount) for refund in found.data)


async def test_a_refund_stripe_cannot_be_reached_for_is_kept_asked_then_made_once_by_the_job(
    quiet_shop: Shop,
) -> None:
    shop = quiet_shop
    service = await shop.service(unit_price_pence=20_000)
    order = await shop.paid_by_card(service["id"])  # £200 + £40 VAT
    shop.use_gateway(out_of_reach())

    cancelled = await shop.orders.post(
        f"/orders/{order['id']}/cancel", json={"reason": "no longer needed"}, headers=SCHOOL
    )

    assert cancelled.status_code == 202, cancelled.text  # done, the refund still to be made
    assert (cancelled.json()["status"], cancelled.json()["refunded_pence"]) == ("cancelled", 24_000)
    [asked] = await refunds(shop, order["id"])
    assert (asked["status"], asked["reference"], asked["gross_pence"]) == ("asked", None, 24_000)
    assert len(await shop.outbox("orders.order.cancelled.v1")) == 1
    assert await shop.outbox(ISSUED) == []
    assert await at_stripe(shop, order["payment_reference"]) == []

    shop.use_gateway(None)
    job = shop.bus()
    [made] = await finish_asked_refunds(job, 0)
    assert await finish_asked_refunds(job, 0) == []  # run again: nothing left to ask

    assert made.status is RefundStatus.DONE
    assert await at_stripe(shop, order["payment_reference"]) == [(made.reference, 24_000)]
    [event] = await shop.outbox(ISSUED)
    assert (event["refund_id"], event["gross_pence"]) == (asked["id"], 24_000)
    assert event["reason"] == "no longer needed"
    assert [line["gross_pence"] for line in event["lines"]] == [24_000]
    [done] = await refunds(shop, order["id"])
    assert (done["status"], done["reference"]) == ("done", made.reference)


async def test_a_refund_stripe_made_but_whose_answer_was_lost_is_made_and_announced_once(
    quiet_shop: Shop,
) -> None:
    shop = quiet_shop
    service = await shop.service(unit_price_pence=65_000)
    order = await shop.paid_by_card(service["id"])
    shop.use_gateway(gateway_to(shop.stripe.url, AnswerLost))
    body = {"amount_pence": 30_000, "reason": "goodwill"}

    answer = await shop.orders.post(f"/orders/{order['id']}/refunds", json=body, headers=FINANCE)

    assert answer.status_code == 202, answer.text
    assert answer.json()["refunded_pence"] == 30_000
    [made_at_stripe] = await at_stripe(shop, order["payment_reference"])  # made, not known
    assert await shop.outbox(ISSUED) == []

    job = shop.bus()
    first, second = await asyncio.gather(  # two workers at once, say
        finish_asked_refunds(job, 0), finish_asked_refunds(job, 0)
    )
    assert await finish_asked_refunds(job, 0) == []

    assert {refund.status for refund in [*first, *second]} == {RefundStatus.DONE}
    assert await at_stripe(shop, order["payment_reference"]) == [made_at_stripe]
    [event] = await shop.outbox(ISSUED)
    assert event["gross_pence"] == 30_000
    [done] = await refunds(shop, order["id"])
    assert (done["status"], done["reference"]) == ("done", made_at_stripe[0])


async def test_a_refund_stripe_refuses_for_good_is_marked_failed_alarmed_and_listed(
    quiet_shop: Shop, caplog: pytest.LogCaptureFixture
) -> None:
    shop = quiet_shop
    service = await shop.service(unit_price_pence=65_000)
    order = await shop.paid_by_card(service["id"])
    body = {"amount_pence": 12_000, "reason": "goodwill"}
    refusal = "This charge is disputed and cannot be refunded."
    async with RefusingStripe(shop.stripe.url, message=refusal) as stripe:
        shop.use_gateway(stripe.gateway())
        with caplog.at_level(logging.ERROR, logger="services.orders.application.payments"):
            answer = await shop.orders.post(
                f"/orders/{order['id']}/refunds", json=body, headers=FINANCE
            )

    assert answer.status_code == 409, answer.text
    assert answer.json()["field"] == "refund"
    assert "its card refund of £120.00 is not" in answer.json()["detail"]
    assert refusal in answer.json()["detail"]
    [failed] = await refunds(shop, order["id"])
    assert (failed["status"], failed["gross_pence"]) == ("failed", 12_000)
    assert refusal in failed["refused"]
    [alarm] = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert "ALARM" in alarm.getMessage() and failed["id"] in alarm.getMessage()
    assert await shop.outbox(ISSUED) == []
    assert await at_stripe(shop, order["payment_reference"]) == []
    shop.use_gateway(None)
    assert await finish_asked_refunds(shop.bus(), 0) == []  # never asked again
    everyone = (await shop.orders.get("/refunds", headers=FINANCE)).json()
    assert [(found["id"], found["status"]) for found in everyone] == [(failed["id"], "failed")]
