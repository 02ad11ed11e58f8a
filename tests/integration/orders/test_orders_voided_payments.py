"""A card payment voided with its order (the worker hearing that the catalogue called off the
order's only session, or the school declining the places offered) is cancelled at Stripe after
the transaction that voided it has committed, not inside it: while Stripe is slow, the order
reads cancelled and other schools check out (on SQLite they used to queue behind the worker's
batch, or the request); a payment the school made before Stripe heard is taken and refunded in
full; a cancel Stripe never answered (the worker stopped, or Stripe was out of reach) is asked
again by the worker's job until it is made."""

from __future__ import annotations

import asyncio
from typing import Any

from services.catalogue.application.minimums import CallOffShortSessions
from services.orders.application import views
from shared.clock import Clock
from tests.integration.orders.test_orders_called_off_sessions import DECIDES_ON, short_session
from tests.integration.orders.test_orders_place_offers import ASHWELL_SCHOOL, ashwell_offered
from tests.integration.orders.test_orders_slow_parties import (
    MEANWHILE,
    another_school_checks_out,
)
from tests.support.held import HeldStripe
from tests.support.orders_shop import Shop
from tests.support.platform import eventually


async def card_order_on_a_short_session(shop: Shop) -> dict[str, Any]:
    """A card order awaiting its payment for a place on a session about to be called off,
    once the place is held."""
    course, session = await short_session(shop)
    placed = await shop.buy(course["id"], "card", session_id=session["id"])

    async def held() -> bool:
        return bool((await shop.order(placed["id"]))["lines"][0]["booking"] == "reserved")

    await eventually(held)
    return placed


async def call_off(shop: Shop) -> None:
    catalogue = shop.platform.services["catalogue"]
    assert await catalogue.bus_on(Clock(DECIDES_ON)).handle(CallOffShortSessions()) != []


async def voided(shop: Shop, order_id: str) -> dict[str, Any] | None:
    order = await shop.order(order_id)
    return order if (order["status"], order["payment_status"]) == ("cancelled", "void") else None


async def intent_status(shop: Shop, reference: str) -> str:
    intent = await shop.stripe.client().v1.payment_intents.retrieve_async(reference)
    return str(intent.status)


async def cancelled_at_stripe(shop: Shop, reference: str) -> bool:
    return await intent_status(shop, reference) == "canceled"


async def still_to_cancel(shop: Shop) -> list[Any]:
    return await views.payments_to_cancel(shop.platform.services["orders"].unit_of_work())


async def none_left(shop: Shop) -> bool:
    return await still_to_cancel(shop) == []


async def test_while_stripe_is_slow_to_cancel_a_called_off_order_s_payment_others_check_out(
    shop: Shop,
) -> None:
    placed = await card_order_on_a_short_session(shop)
    reference = placed["payment_reference"]
    other = await shop.service(unit_price_pence=5_000)

    async with (
        HeldStripe(shop.stripe.url) as stripe,
        shop.orders_worker_asking(gateway=stripe.gateway()),
    ):
        await call_off(shop)
        await asyncio.wait_for(stripe.asked.wait(), MEANWHILE)
        await another_school_checks_out(shop, other["id"])
        await eventually(lambda: voided(shop, placed["id"]), timeout=MEANWHILE)
        assert await intent_status(shop, reference) != "canceled"  # Stripe has not heard yet

        stripe.release()
        await eventually(lambda: cancelled_at_stripe(shop, reference), timeout=MEANWHILE)

    await eventually(lambda: none_left(shop))
    [event] = await shop.outbox("orders.order.cancelled.v1")
    assert event["order_id"] == placed["id"]
    assert await shop.outbox("orders.order.paid.v1") == []


async def test_a_card_payment_made_before_stripe_heard_its_order_was_called_off_is_refunded(
    shop: Shop,
) -> None:
    placed = await card_order_on_a_short_session(shop)
    reference = placed["payment_reference"]

    async with (
        HeldStripe(shop.stripe.url) as stripe,
        shop.orders_worker_asking(gateway=stripe.gateway()),
    ):
        await call_off(shop)
        await eventually(lambda: voided(shop, placed["id"]), timeout=MEANWHILE)
        # The school's page, still open, pays before the cancel reaches Stripe.
        assert await shop.stripe.confirm_with_card(reference) == "succeeded"
        late = await shop.send_webhook(await shop.succeeded_event(reference))
        assert late.json() == {"result": "ignored"}, late.text  # the order moved on

        stripe.release()
        [refund] = await shop.refunds_settled(placed["id"])

    assert (refund["status"], refund["gross_pence"]) == ("done", placed["gross_pence"])
    order = await shop.order(placed["id"])
    assert (order["status"], order["payment_status"]) == ("cancelled", "refunded")
    assert order["paid_pence"] == order["refunded_pence"] == placed["gross_pence"]
    at_stripe = await shop.stripe.client().v1.refunds.list_async(
        params={"payment_intent": reference}
    )
    assert [made.amount for made in at_stripe.data] == [placed["gross_pence"]]
    assert len(await shop.outbox("orders.order.paid.v1")) == 1
    assert len(await shop.outbox("orders.refund.issued.v1")) == 1
    assert await still_to_cancel(shop) == []


async def test_a_payment_cancel_stripe_never_answered_is_asked_again_once_it_can_be(
    shop: Shop,
) -> None:
    """The worker commits the order voided, then stops (as if it crashed) while Stripe, out of
    reach, has not answered the cancel: started again, its job cancels the payment."""
    placed = await card_order_on_a_short_session(shop)
    reference = placed["payment_reference"]

    async with (
        HeldStripe(shop.stripe.url) as stripe,  # never opened
        shop.orders_worker_asking(gateway=stripe.gateway(timeout_seconds=0.5)),
    ):
        await call_off(shop)
        await eventually(lambda: voided(shop, placed["id"]), timeout=MEANWHILE)
        await asyncio.wait_for(stripe.asked.wait(), MEANWHILE)
        assert await still_to_cancel(shop) != []
        assert await intent_status(shop, reference) != "canceled"

    await eventually(lambda: cancelled_at_stripe(shop, reference), timeout=MEANWHILE)
    await eventually(lambda: none_left(shop))
    assert await shop.outbox("orders.order.paid.v1") == []


async def test_while_stripe_is_slow_to_cancel_a_declined_order_s_payment_the_order_is_not_held(
    shop: Shop,
) -> None:
    """Places declined empty an order whose card payment is awaited: the decline commits, then
    Stripe is asked to cancel the payment; meanwhile the order reads cancelled and others check
    out."""
    _, offered, _ = await ashwell_offered(shop, paid=False)
    line_id = offered["lines"][0]["line_id"]
    other = await shop.service(unit_price_pence=5_000)

    async with (
        HeldStripe(shop.stripe.url) as stripe,
        shop.orders_worker_asking(gateway=stripe.gateway()),  # its job would cancel it too
    ):
        shop.use_gateway(stripe.gateway())
        declining = asyncio.create_task(
            shop.orders.post(
                f"/orders/{offered['id']}/lines/{line_id}/decline", headers=ASHWELL_SCHOOL
            )
        )
        await asyncio.wait_for(stripe.asked.wait(), MEANWHILE)
        await eventually(lambda: voided(shop, offered["id"]), timeout=MEANWHILE)
        await another_school_checks_out(shop, other["id"])
        assert not declining.done()

        stripe.release()
        declined = await asyncio.wait_for(declining, MEANWHILE)

    assert declined.status_code == 200, declined.text
    assert (declined.json()["status"], declined.json()["payment_status"]) == ("cancelled", "void")
    assert await cancelled_at_stripe(shop, offered["payment_reference"])
    assert await still_to_cancel(shop) == []
