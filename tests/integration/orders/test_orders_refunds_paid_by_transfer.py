"""A card refund the card processor refused for good (the card closed, say) is often given back
by bank transfer instead: finance records it paid so, with the bank's payment reference and the
day it was paid. The refund is then done, and its refund.issued event (the one it was recorded
with, under the same id) is sent once, dated that day and saying the money went by bank
transfer; the ledger takes it out of the bank, where it went, not out of Stripe clearing, which
never saw it. Only a refused card refund may be paid so, and only once: posted twice, or at the
same moment as finance asks the card processor again, the money goes back once."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest

from tests.integration.orders.test_orders_card_refunds_after_commit import (
    ISSUED,
    at_stripe,
    money_back,
    out_of_reach,
    refunds,
    refused,
)
from tests.integration.orders.test_orders_in_the_ledger import balances, posted
from tests.integration.orders.test_orders_refunds_dated_when_made import held_back
from tests.support.orders_shop import ADMIN, FINANCE, SCHOOL, Shop
from tests.support.platform import eventually

ASKED_ON = date(2027, 5, 10)
TODAY = date(2027, 5, 14)
PAID = {"reference": "HSBC FP 40-12-76 0042", "paid_on": "2027-05-13"}


async def paid_by_transfer(shop: Shop, refund_id: str, body: dict[str, Any]) -> Any:
    return await shop.orders.post(
        f"/refunds/{refund_id}/paid-by-transfer", json=body, headers=FINANCE
    )


async def a_refused_refund(shop: Shop) -> tuple[dict[str, Any], dict[str, Any]]:
    """A card order of £780 paid on ASKED_ON, and a refund of £120 of it the card processor
    refused that day; the shop is then on TODAY."""
    shop.set_day(ASKED_ON)
    service = await shop.service(unit_price_pence=65_000)
    order = await shop.paid_by_card(service["id"])
    failed = await refused(shop, order["id"], {"amount_pence": 12_000, "reason": "goodwill"})
    shop.set_day(TODAY)
    return order, failed


async def test_finance_records_a_refused_refund_paid_by_bank_transfer_announced_once(
    quiet_shop: Shop,
) -> None:
    shop = quiet_shop
    order, failed = await a_refused_refund(shop)
    recorded = await held_back(shop, failed["id"])
    path = f"/refunds/{failed['id']}/paid-by-transfer"
    assert (await shop.orders.post(path, json=PAID, headers=SCHOOL)).status_code == 403

    made = await paid_by_transfer(shop, failed["id"], PAID)

    assert made.status_code == 200, made.text
    refund = made.json()
    assert (refund["status"], refund["method"], refund["reference"]) == (
        "done",
        "bank_transfer",
        PAID["reference"],
    )
    assert (refund["issued_on"], refund["asked_on"], refund["refused"]) == (
        "2027-05-13",
        "2027-05-10",
        None,
    )
    [event] = await shop.outbox(ISSUED)
    assert (event["refund_id"], event["gross_pence"]) == (failed["id"], 12_000)
    assert (event["refunded_on"], event["financial_year"]) == ("2027-05-13", "2027-28")
    assert (event["method"], event["transfer_reference"]) == ("bank_transfer", PAID["reference"])
    assert event["payment_reference"] == order["payment_reference"]  # the payment it gives back
    assert (await held_back(shop, failed["id"]))["event_id"] == recorded["event_id"]
    assert await at_stripe(shop, order["payment_reference"]) == []  # the card was not touched
    assert money_back(await shop.order(order["id"])) == ("placed", 12_000, 0, 0, 66_000)

    again = await paid_by_transfer(shop, failed["id"], PAID)  # the same, posted twice
    assert (again.status_code, again.json()) == (200, refund)
    other = await paid_by_transfer(shop, failed["id"], {**PAID, "reference": "ANOTHER"})
    assert other.status_code == 409, other.text
    assert "paid by bank transfer already" in other.json()["detail"]
    asked_again = await shop.orders.post(f"/refunds/{failed['id']}/ask-again", headers=FINANCE)
    assert asked_again.status_code == 409, asked_again.text
    assert len(await shop.outbox(ISSUED)) == 1
    audited = await shop.orders.get("/audit", params={"object_id": failed["id"]}, headers=ADMIN)
    actions = [(e["action"], e["actor"]) for e in audited.json()["entries"]]
    assert actions.count(("refund.paid_by_transfer", "test-finance")) == 1
    assert actions.count(("refund.issued", "test-finance")) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"paid_on": "2027-05-13"}, "reference"),
        ({**PAID, "reference": ""}, "reference"),
        ({**PAID, "reference": "x" * 101}, "reference"),
        ({**PAID, "reference": "FP 42\nanother line"}, "reference"),
        ({"reference": "FP 42"}, "paid_on"),
        ({**PAID, "paid_on": "13/05/2027"}, "paid_on"),
        ({**PAID, "paid_on": "2027-05-15"}, "paid_on"),  # tomorrow
        ({**PAID, "paid_on": "2027-05-09"}, "paid_on"),  # before the refund was asked for
    ],
)
async def test_a_transfer_refund_with_bad_input_is_refused_naming_the_field_and_changes_nothing(
    quiet_shop: Shop, body: dict[str, Any], field: str
) -> None:
    shop = quiet_shop
    order, failed = await a_refused_refund(shop)

    answer = await paid_by_transfer(shop, failed["id"], body)

    assert answer.status_code == 422, answer.text
    assert field in answer.text
    [still] = await refunds(shop, order["id"])
    assert (still["status"], still["reference"]) == ("failed", None)
    assert await shop.outbox(ISSUED) == []


async def test_only_a_refused_card_refund_may_be_recorded_paid_by_transfer(
    quiet_shop: Shop,
) -> None:
    shop = quiet_shop
    service = await shop.service(unit_price_pence=20_000)
    order = await shop.paid_by_card(service["id"])
    body = {"amount_pence": 5_000, "reason": "goodwill"}
    made = await shop.orders.post(f"/orders/{order['id']}/refunds", json=body, headers=FINANCE)
    assert made.status_code == 201, made.text
    shop.use_gateway(out_of_reach())
    asked = await shop.orders.post(f"/orders/{order['id']}/refunds", json=body, headers=FINANCE)
    assert asked.status_code == 202, asked.text
    shop.use_gateway(None)
    invoiced = await shop.buy(service["id"], "invoice")
    cancelled = await shop.orders.post(
        f"/orders/{invoiced['id']}/cancel", json={"reason": "not needed"}, headers=SCHOOL
    )
    assert cancelled.status_code == 200, cancelled.text
    [credit_note] = await refunds(shop, invoiced["id"])
    paid = {"reference": "FP 42", "paid_on": str(shop.platform.services["orders"].clock.today())}

    for refund, what in [
        *[(r, f"this one is {r['status']}") for r in await refunds(shop, order["id"])],
        (credit_note, "this one is a credit note"),
    ]:
        answer = await paid_by_transfer(shop, refund["id"], paid)
        assert answer.status_code == 409, answer.text
        assert answer.json()["field"] == "refund_id"
        assert answer.json()["detail"] == (
            "only a card refund the card processor refused can be recorded as paid by bank "
            f"transfer; {what}"
        )
    unknown = await paid_by_transfer(shop, "00000000-0000-4000-8000-000000000000", paid)
    assert unknown.status_code == 404, unknown.text
    assert len(await shop.outbox(ISSUED)) == 1  # the refund Stripe made, and no other


@pytest.mark.parametrize("first", ["paid by transfer", "asked again"])
async def test_a_refund_paid_by_transfer_twice_and_asked_again_at_once_goes_back_once(
    quiet_shop: Shop, first: str
) -> None:
    shop = quiet_shop
    order, failed = await a_refused_refund(shop)
    transfers = [paid_by_transfer(shop, failed["id"], PAID) for _ in range(2)]
    asked = shop.orders.post(f"/refunds/{failed['id']}/ask-again", headers=FINANCE)

    if first == "paid by transfer":
        transfer, transfer_again, ask_again = await asyncio.gather(*transfers, asked)
    else:
        ask_again, transfer, transfer_again = await asyncio.gather(asked, *transfers)

    [event] = await shop.outbox(ISSUED)
    [done] = await refunds(shop, order["id"])
    at_the_card = await at_stripe(shop, order["payment_reference"])
    if done["method"] == "bank_transfer":
        assert (transfer.status_code, transfer_again.status_code) == (200, 200)
        assert ask_again.status_code == 409, ask_again.text
        assert (at_the_card, event["method"]) == ([], "bank_transfer")
    else:
        assert ask_again.status_code == 200, ask_again.text
        assert (transfer.status_code, transfer_again.status_code) == (409, 409)
        assert ([amount for _, amount in at_the_card], event["method"]) == ([12_000], "card")
    assert money_back(await shop.order(order["id"])) == ("placed", 12_000, 0, 0, 66_000)


async def test_a_refund_paid_by_transfer_leaves_the_bank_not_stripe_clearing_in_the_ledger(
    shop_and_ledger: Shop,
) -> None:
    """The card payment went into Stripe clearing (and out to the bank with Stripe's payout);
    the refund never went through Stripe, so it comes out of the bank, on the day it was paid,
    as the bank statement shows it."""
    shop = shop_and_ledger
    shop.platform.services["ledger"].clock.set(TODAY)
    order, failed = await a_refused_refund(shop)

    made = await paid_by_transfer(shop, failed["id"], PAID)

    assert made.status_code == 200, made.text
    [refund] = await eventually(lambda: posted(shop, ISSUED), timeout=10)
    assert (refund["dated"], refund["financial_year"]) == ("2027-05-13", "2027-28")
    assert PAID["reference"] in refund["description"]
    book = await balances(shop)
    assert book["bank"] == -12_000
    assert book["clearing:stripe"] == order["gross_pence"] == 78_000  # as the sale left it
    assert book["vat:output"] == -13_000 + 2_000
