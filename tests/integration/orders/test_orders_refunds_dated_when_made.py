"""A card refund is money back on the day it is made, not the day it was first asked: one the
card processor makes days later (it was out of reach, or refused it until finance asked again)
announces, lists and books that later day, in that day's financial year; the day it was asked
stays visible beside it. Its refund.issued event keeps the id it was recorded with (the outbox
and every consumer's inbox recognise it by that id) and all else it said."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import select

from services.orders.adapters.tables import messaging
from services.orders.adapters.tables import refunds as refund_rows
from services.orders.entrypoints.worker import finish_asked_refunds
from tests.integration.orders.test_orders_card_refunds_after_commit import (
    ISSUED,
    out_of_reach,
    refunds,
    refused,
)
from tests.integration.orders.test_orders_in_the_ledger import posted
from tests.support.orders_shop import FINANCE, Shop
from tests.support.platform import eventually

LAST_DAY_OF_THE_YEAR = date(2027, 3, 31)  # of the financial year 2026-27
IN_THE_NEXT_YEAR = date(2027, 4, 2)


async def held_back(shop: Shop, refund_id: str) -> dict[str, Any]:
    """The refund.issued envelope an asked refund holds back, as it was recorded."""
    async with shop.platform.services["orders"].sessions() as session:
        news = await session.scalar(
            select(refund_rows.c.news).where(refund_rows.c.id == UUID(refund_id))
        )
    assert news is not None
    return dict(json.loads(news))


async def sent(shop: Shop) -> list[dict[str, Any]]:
    """The refund.issued envelopes orders put in its outbox."""
    async with shop.platform.services["orders"].sessions() as session:
        rows = await session.execute(
            select(messaging.outbox.c.body).where(messaging.outbox.c.subject == ISSUED)
        )
        return [json.loads(row.body) for row in rows]


async def test_a_refund_made_days_after_it_was_asked_is_announced_and_listed_on_the_day_made(
    quiet_shop: Shop,
) -> None:
    shop = quiet_shop
    shop.set_day(LAST_DAY_OF_THE_YEAR)
    service = await shop.service(unit_price_pence=20_000)
    order = await shop.paid_by_card(service["id"])
    shop.use_gateway(out_of_reach())
    body = {"amount_pence": 6_000, "reason": "goodwill"}
    asked = await shop.orders.post(f"/orders/{order['id']}/refunds", json=body, headers=FINANCE)
    assert asked.status_code == 202, asked.text
    [refund] = await refunds(shop, order["id"])
    recorded = await held_back(shop, refund["id"])
    assert recorded["payload"]["refunded_on"] == "2027-03-31"  # as it stood, not yet made
    shop.use_gateway(None)

    shop.set_day(IN_THE_NEXT_YEAR)  # the card processor answers again two days on
    [made] = await finish_asked_refunds(shop.bus(), 0)

    [envelope] = await sent(shop)
    assert envelope["event_id"] == recorded["event_id"]  # the same event, recognised as such
    event = envelope["payload"]
    assert (event["refunded_on"], event["financial_year"]) == ("2027-04-02", "2027-28")
    dated = {"refunded_on", "financial_year"}
    unchanged = {k: v for k, v in recorded["payload"].items() if k not in dated}
    assert {k: v for k, v in event.items() if k not in dated} == unchanged
    [done] = await refunds(shop, order["id"])
    assert (done["status"], done["reference"]) == ("done", made.reference)
    assert (done["issued_on"], done["asked_on"]) == ("2027-04-02", "2027-03-31")
    assert (await held_back(shop, refund["id"]))["payload"]["refunded_on"] == "2027-04-02"


async def test_a_refund_asked_again_in_the_next_financial_year_is_booked_in_that_year(
    shop_and_ledger: Shop,
) -> None:
    """Asked on 31 March, refused, asked again and made on 2 April: the ledger takes the money
    back out on 2 April, in the year 2027-28, not in the year the sale and the ask were in."""
    shop = shop_and_ledger
    shop.set_day(LAST_DAY_OF_THE_YEAR)
    shop.platform.services["ledger"].clock.set(LAST_DAY_OF_THE_YEAR)
    service = await shop.service(unit_price_pence=20_000)
    order = await shop.paid_by_card(service["id"])
    failed = await refused(shop, order["id"], {"amount_pence": 6_000, "reason": "goodwill"})

    shop.set_day(IN_THE_NEXT_YEAR)
    shop.platform.services["ledger"].clock.set(IN_THE_NEXT_YEAR)
    made = await shop.orders.post(f"/refunds/{failed['id']}/ask-again", headers=FINANCE)
    assert made.status_code == 200, made.text

    [sale] = await eventually(lambda: posted(shop, "orders.order.paid.v1"), timeout=10)
    [refund] = await eventually(lambda: posted(shop, ISSUED), timeout=10)
    assert (sale["dated"], sale["financial_year"]) == ("2027-03-31", "2026-27")
    assert (refund["dated"], refund["posted_on"]) == ("2027-04-02", "2027-04-02")
    assert refund["financial_year"] == "2027-28"
    assert {p["account"]: p["amount_pence"] for p in refund["postings"]}["clearing:stripe"] == (
        -6_000
    )
    assert (made.json()["issued_on"], made.json()["asked_on"]) == ("2027-04-02", "2027-03-31")
