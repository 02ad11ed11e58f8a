"""A card refund is recorded `asked` in the transaction that gives the money back (the order
cancelled, a line withdrawn, an amount refunded), and Stripe is asked only once that has
committed, with a key of the refund's own id. Stripe out of reach leaves the refund asked, the
change made and no refund.issued event; the worker's job asks again and marks it done once,
with one event, however often it runs (Stripe answers the same key with the same refund, also
one it made whose answer was lost). A refund Stripe refuses for good is marked failed, raised
as an alarm, and listed with why, for finance to ask again (a new attempt, under a key of its
own) or give the money back another way; meanwhile the order says no money went back, though
the refused refund keeps its share of the payment. Stripe forgets a key after 24 hours: a refund
still asked a day on is looked for at Stripe by its id (in the refund's metadata) first."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest

from services.orders.adapters.stripe_gateway import StripeGateway
from services.orders.application.ports import MadeRefund
from services.orders.config import LOCAL_STRIPE_KEY, LOCAL_WEBHOOK_SECRET
from services.orders.domain.states import RefundStatus
from services.orders.entrypoints.worker import finish_asked_refunds
from shared.auth import Role
from shared.clock import Clock, business_day
from shared.errors import Unavailable
from tests.support.held import RefusingStripe
from tests.support.nats_server import free_port
from tests.support.orders_shop import FINANCE, SCHOOL, Shop
from tests.support.platform import auth

ISSUED = "orders.refund.issued.v1"


def out_of_reach() -> StripeGateway:
    """Orders' gateway to a Stripe nothing answers for: every request fails to connect."""
    return gateway_to(f"http://127.0.0.1:{free_port()}")


def gateway_to(api_base: str, kind: type[StripeGateway] = StripeGateway) -> StripeGateway:
    return kind(secret_key=LOCAL_STRIPE_KEY, webhook_secret=LOCAL_WEBHOOK_SECRET, api_base=api_base)


class AnswerLost(StripeGateway):
    """Orders' gateway whose refunds Stripe makes but whose answers never come back (the
    connection dropped, or the process killed, just after Stripe made the refund)."""

    async def refund(
        self, *, reference: str, amount_pence: int, idempotency_key: str, refund_id: UUID
    ) -> MadeRefund:
        await super().refund(
            reference=reference,
            amount_pence=amount_pence,
            idempotency_key=idempotency_key,
            refund_id=refund_id,
        )
        raise Unavailable("the card processor did not answer; try again shortly")


async def refunds(shop: Shop, order_id: str) -> list[dict[str, Any]]:
    listed = await shop.orders.get("/refunds", params={"order_id": order_id}, headers=FINANCE)
    assert listed.status_code == 200, listed.text
    return list(listed.json())


async def at_stripe(shop: Shop, reference: str) -> list[tuple[str, int]]:
    found = await shop.stripe.client().v1.refunds.list_async(params={"payment_intent": reference})
    return sorted((refund.id, refund.amount) for refund in found.data)


async def carried_at_stripe(shop: Shop, reference: str) -> dict[str, str]:
    """The metadata a refund at Stripe carries."""
    refund = await shop.stripe.client().v1.refunds.retrieve_async(reference)
    return refund.metadata.to_dict() if refund.metadata else {}


def money_back(order: dict[str, Any]) -> tuple[str, int, int, int, int]:
    """An order's state and what it says of its money back: refunded (made), being refunded
    (asked), refused, and what may still be refunded."""
    return (
        order["status"],
        order["refunded_pence"],
        order["refund_asked_pence"],
        order["refund_refused_pence"],
        order["refundable_pence"],
    )


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
    assert money_back(cancelled.json()) == ("cancelled", 0, 24_000, 0, 0)  # asked, not made
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
    assert money_back(await shop.order(order["id"])) == ("cancelled", 24_000, 0, 0, 0)


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
    assert money_back(answer.json()) == ("placed", 0, 30_000, 0, 48_000)
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


async def refunded_with_its_answer_lost(shop: Shop) -> dict[str, Any]:
    """A card order of £780, and £300 of it refunded by Stripe with its answer lost: the refund
    is made at Stripe but still asked here."""
    service = await shop.service(unit_price_pence=65_000)
    order = await shop.paid_by_card(service["id"])
    shop.use_gateway(gateway_to(shop.stripe.url, AnswerLost))
    body = {"amount_pence": 30_000, "reason": "goodwill"}
    answer = await shop.orders.post(f"/orders/{order['id']}/refunds", json=body, headers=FINANCE)
    assert answer.status_code == 202, answer.text
    shop.use_gateway(None)
    return order


async def made_on_at_stripe(shop: Shop, reference: str) -> str:
    """The day in England the refund at Stripe was made, as Stripe says."""
    refund = await shop.stripe.client().v1.refunds.retrieve_async(reference)
    return business_day(datetime.fromtimestamp(refund.created, UTC)).isoformat()


async def test_a_refund_whose_answer_was_lost_is_dated_the_day_stripe_made_it_not_the_day_learnt(
    quiet_shop: Shop,
) -> None:
    """The money went back the day Stripe made the refund: learnt of a day later (Stripe
    answering the key again), the refund is still dated, announced and listed that day."""
    shop = quiet_shop
    order = await refunded_with_its_answer_lost(shop)
    [(made_at_stripe, _)] = await at_stripe(shop, order["payment_reference"])
    a_day_on = a_day_later()

    [made] = await finish_asked_refunds(shop.bus(clock=a_day_on), 0)

    assert made.reference == made_at_stripe
    made_on = await made_on_at_stripe(shop, made_at_stripe)
    assert made_on != a_day_on.today().isoformat()
    [event] = await shop.outbox(ISSUED)
    assert event["refunded_on"] == made_on
    [done] = await refunds(shop, order["id"])
    assert (done["status"], done["issued_on"]) == ("done", made_on)


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
    # no money went back: the order does not say it did, and the £120 is still the school's
    assert money_back(await shop.order(order["id"])) == ("placed", 0, 0, 12_000, 66_000)
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


async def refused(shop: Shop, order_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """A refund of the order Stripe refuses for good (the charge disputed, say): failed."""
    async with shop.refusing_refunds("Your card was closed."):
        answer = await shop.orders.post(f"/orders/{order_id}/refunds", json=body, headers=FINANCE)
    assert answer.status_code == 409, answer.text
    [failed] = [r for r in await refunds(shop, order_id) if r["status"] == "failed"]
    return failed


async def test_finance_asks_again_for_a_refused_refund_which_is_made_and_announced_once(
    quiet_shop: Shop,
) -> None:
    """Each attempt asks Stripe under a key of its own (the refund's id and its number): the
    first attempt's refusal is not simply given again. Made, it is done, with one event."""
    shop = quiet_shop
    service = await shop.service(unit_price_pence=65_000)
    order = await shop.paid_by_card(service["id"])
    failed = await refused(shop, order["id"], {"amount_pence": 12_000, "reason": "goodwill"})
    again = f"/refunds/{failed['id']}/ask-again"
    assert (await shop.orders.post(again, headers=SCHOOL)).status_code == 403

    async with RefusingStripe(shop.stripe.url, message="Still closed.") as stripe:
        shop.use_gateway(stripe.gateway())
        refused_again = await shop.orders.post(again, headers=FINANCE)
    shop.use_gateway(None)
    assert refused_again.status_code == 409, refused_again.text
    assert "refused the refund of £120.00 again (" in refused_again.json()["detail"]
    [still] = await refunds(shop, order["id"])
    assert (still["status"], still["attempt"]) == ("failed", 2)
    assert "Still closed." in still["refused"]

    made = await shop.orders.post(again, headers=FINANCE)

    assert made.status_code == 200, made.text
    assert (made.json()["status"], made.json()["attempt"], made.json()["refused"]) == (
        "done",
        3,
        None,
    )
    [(reference, amount)] = await at_stripe(shop, order["payment_reference"])
    assert (made.json()["reference"], amount) == (reference, 12_000)
    assert await carried_at_stripe(shop, reference) == {"refund_id": failed["id"]}
    [event] = await shop.outbox(ISSUED)
    assert (event["refund_id"], event["gross_pence"]) == (failed["id"], 12_000)
    assert money_back(await shop.order(order["id"])) == ("placed", 12_000, 0, 0, 66_000)
    done_already = await shop.orders.post(again, headers=FINANCE)
    assert done_already.status_code == 409, done_already.text
    assert await finish_asked_refunds(shop.bus(), 0) == []
    assert len(await shop.outbox(ISSUED)) == 1
    audited = await shop.orders.get(
        "/audit", params={"object_id": failed["id"]}, headers=auth(Role.ADMIN)
    )
    actions = [(e["action"], e["actor"]) for e in audited.json()["entries"]]
    assert actions.count(("refund.asked_again", "test-finance")) == 2
    assert ("refund.issued", "test-finance") in actions


async def test_a_refused_refund_keeps_its_share_so_a_cancellation_never_gives_back_more_than_paid(
    quiet_shop: Shop,
) -> None:
    """The refused £120 is still the school's, owed and not made: cancelling gives back the rest
    of what was paid, not all of it again; asking again for the £120 then makes it whole."""
    shop = quiet_shop
    service = await shop.service(unit_price_pence=65_000)  # £780 with VAT, not yet delivered
    order = await shop.paid_by_card(service["id"])
    failed = await refused(shop, order["id"], {"amount_pence": 12_000, "reason": "goodwill"})

    cancelled = await shop.orders.post(
        f"/orders/{order['id']}/cancel", json={"reason": "not needed"}, headers=SCHOOL
    )

    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["given_back"]["gross_pence"] == 66_000
    assert money_back(cancelled.json()) == ("cancelled", 66_000, 0, 12_000, 0)
    too_much = await shop.orders.post(
        f"/orders/{order['id']}/refunds", json={"amount_pence": 1, "reason": "x"}, headers=FINANCE
    )
    assert too_much.status_code == 422, too_much.text
    made = await shop.orders.post(f"/refunds/{failed['id']}/ask-again", headers=FINANCE)
    assert made.status_code == 200, made.text
    assert money_back(await shop.order(order["id"])) == ("cancelled", 78_000, 0, 0, 0)
    assert sum(amount for _, amount in await at_stripe(shop, order["payment_reference"])) == 78_000


async def forget_key(shop: Shop, key: str) -> None:
    """What Stripe does 24 hours after a key's first use: it forgets the key."""
    async with httpx.AsyncClient(base_url=shop.stripe.url) as stripe:
        forgotten = await stripe.post("/_config/idempotency_keys/forget", json={"key": key})
    assert forgotten.json() == {"forgotten": 1}, forgotten.text


def a_day_later() -> Clock:
    return Clock(datetime.now(UTC) + timedelta(hours=24))


async def test_a_refund_still_asked_a_day_on_is_found_at_stripe_by_its_id_not_made_twice(
    quiet_shop: Shop,
) -> None:
    """Stripe made the refund, but the answer was lost and the refund stayed asked for a day:
    Stripe has forgotten the key, and asked again under it would refund the card twice."""
    shop = quiet_shop
    order = await refunded_with_its_answer_lost(shop)
    [asked] = await refunds(shop, order["id"])
    [made_at_stripe] = await at_stripe(shop, order["payment_reference"])
    await forget_key(shop, f"refund-{asked['id']}")

    [made] = await finish_asked_refunds(shop.bus(clock=a_day_later()), 0)

    assert (made.status, made.reference) == (RefundStatus.DONE, made_at_stripe[0])
    assert await at_stripe(shop, order["payment_reference"]) == [made_at_stripe]
    [event] = await shop.outbox(ISSUED)  # dated the day Stripe made it, not the day found
    assert event["refunded_on"] == await made_on_at_stripe(shop, made_at_stripe[0])
    assert money_back(await shop.order(order["id"])) == ("placed", 30_000, 0, 0, 48_000)


async def test_a_refund_stripe_never_made_is_asked_a_day_on_and_made_once(
    quiet_shop: Shop,
) -> None:
    """Looked for at Stripe a day on and not found there (Stripe was out of reach all along),
    the refund is asked for, and made once, carrying its id."""
    shop = quiet_shop
    service = await shop.service(unit_price_pence=20_000)
    order = await shop.paid_by_card(service["id"])
    shop.use_gateway(out_of_reach())
    body = {"amount_pence": 5_000, "reason": "goodwill"}
    answer = await shop.orders.post(f"/orders/{order['id']}/refunds", json=body, headers=FINANCE)
    assert answer.status_code == 202, answer.text
    shop.use_gateway(None)
    [asked] = await refunds(shop, order["id"])
    a_day_on = shop.bus(clock=a_day_later())

    [made] = await finish_asked_refunds(a_day_on, 0)

    assert made.status is RefundStatus.DONE
    assert await at_stripe(shop, order["payment_reference"]) == [(made.reference, 5_000)]
    assert await carried_at_stripe(shop, made.reference or "") == {"refund_id": asked["id"]}
    assert await finish_asked_refunds(a_day_on, 0) == []
    assert len(await shop.outbox(ISSUED)) == 1


async def test_a_refund_asked_before_refunds_carried_their_id_is_answered_as_it_was_made(
    quiet_shop: Shop,
) -> None:
    """Asked under its key by an earlier release (without our id in its metadata), its answer
    lost: asked now with the id, Stripe would refuse the key (other parameters), and the refund
    would read refused though made. It is asked as it was then, and Stripe answers with it."""
    shop = quiet_shop
    service = await shop.service(unit_price_pence=20_000)
    order = await shop.paid_by_card(service["id"])
    shop.use_gateway(out_of_reach())
    body = {"amount_pence": 5_000, "reason": "goodwill"}
    answer = await shop.orders.post(f"/orders/{order['id']}/refunds", json=body, headers=FINANCE)
    assert answer.status_code == 202, answer.text
    shop.use_gateway(None)
    [asked] = await refunds(shop, order["id"])
    earlier = await shop.stripe.client().v1.refunds.create_async(
        {"payment_intent": order["payment_reference"], "amount": 5_000},
        {"idempotency_key": f"refund-{asked['id']}"},
    )

    [made] = await finish_asked_refunds(shop.bus(), 0)

    assert (made.status, made.reference) == (RefundStatus.DONE, earlier.id)
    assert await at_stripe(shop, order["payment_reference"]) == [(earlier.id, 5_000)]
    assert len(await shop.outbox(ISSUED)) == 1
