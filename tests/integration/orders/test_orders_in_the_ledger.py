"""End to end: a card order and an invoice order, bought over HTTP, end as the right postings
in the ledger, which learns of them only through orders' events on NATS JetStream."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from services.ledger.domain.periods import first_of_next_month
from shared.clock import Clock
from tests.support.orders_shop import FINANCE, SCHOOL, Shop
from tests.support.platform import eventually


async def posted(shop: Shop, subject: str) -> list[dict[str, Any]]:
    found = (await shop.platform.ledger.get("/transactions", headers=FINANCE)).json()
    return [transaction for transaction in found if transaction["source_subject"] == subject]


async def balances(shop: Shop, *, as_of: date | None = None) -> dict[str, int]:
    asked = {"as_of": as_of.isoformat()} if as_of else {}
    response = await shop.platform.ledger.get("/balances", params=asked, headers=FINANCE)
    return {row["code"]: row["balance_pence"] for row in response.json()}


async def test_an_invoice_order_ends_as_receivable_income_and_vat_in_the_ledger(
    shop_and_ledger: Shop,
) -> None:
    shop = shop_and_ledger
    service = await shop.service(unit_price_pence=65_000, category="Governance")
    order = await shop.buy(service["id"], "invoice", 3)  # £1,950 + £390 VAT

    (transaction,) = await eventually(lambda: posted(shop, "orders.invoice.raised.v1"))
    assert transaction["strand"] == "traded"
    book = await balances(shop)
    assert book["receivables:schools"] == order["gross_pence"] == 234_000
    # three consultancy days not yet delivered: refunded in full if cancelled, so not earned
    assert book["deferred-income"] == -195_000
    assert "traded:income:governance" not in book
    assert book["vat:output"] == -39_000
    trial = (await shop.platform.ledger.get("/reports/trial-balance", headers=FINANCE)).json()
    assert trial["difference_pence"] == 0

    await shop.fulfil(order["id"])  # delivered: now earned
    (delivered,) = await eventually(lambda: posted(shop, "orders.order.fulfilled.v1"))
    assert (delivered["kind"], delivered["dated"]) == ("recognition", str(Clock().today()))
    book = await balances(shop)
    assert book["traded:income:governance"] == -195_000
    assert book.get("deferred-income", 0) == 0


async def test_a_remittance_moves_the_invoice_from_receivables_to_the_bank(
    shop_and_ledger: Shop,
) -> None:
    shop = shop_and_ledger
    service = await shop.service(unit_price_pence=65_000, category="Governance")
    order = await shop.buy(service["id"], "invoice", 1)
    remitted = await shop.orders.post(
        f"/invoices/{order['invoice']['id']}/remittances",
        json={"amount_pence": 78_000, "received_on": str(Clock().today()), "reference": "BACS 1"},
        headers=FINANCE,
    )
    assert remitted.status_code == 201, remitted.text

    await eventually(lambda: posted(shop, "orders.invoice.raised.v1"))  # each its own consumer
    await eventually(lambda: posted(shop, "orders.invoice.settled.v1"))
    book = await balances(shop)
    assert book.get("receivables:schools", 0) == 0
    assert book["bank"] == 78_000


async def test_a_card_order_ends_as_money_in_income_and_vat_in_the_ledger(
    shop_and_ledger: Shop,
) -> None:
    shop = shop_and_ledger
    service = await shop.service(unit_price_pence=65_000, category="Governance")
    order = await shop.paid_by_card(service["id"], 2)  # £1,300 + £260 VAT

    (transaction,) = await eventually(lambda: posted(shop, "orders.order.paid.v1"), timeout=10)
    assert transaction["strand"] == "traded"
    amounts = {p["account"]: p["amount_pence"] for p in transaction["postings"]}
    assert amounts.pop("deferred-income") == -130_000  # earned when the days are delivered
    assert amounts.pop("vat:output") == -26_000
    assert sum(amounts.values()) == order["gross_pence"] == 156_000  # money in, at the bank
    assert "receivables:schools" not in amounts

    await shop.fulfil(order["id"])
    await eventually(lambda: posted(shop, "orders.order.fulfilled.v1"))
    assert (await balances(shop))["traded:income:governance"] == -130_000


async def test_a_cancelled_subscription_earns_its_used_months_and_nothing_after(
    shop_and_ledger: Shop,
) -> None:
    """£1,200 for 2026/27 cancelled on 15 February: September to February earned, £100 a
    month; the six months credited are neither earned later nor left deferred."""
    shop = shop_and_ledger
    shop.platform.services["ledger"].clock.set(date(2027, 9, 30))  # every month's day is past
    shop.set_day(date(2026, 8, 1))
    service = await shop.service(
        title="HR advice line", service_type="subscription", category="HR", unit_price_pence=120_000
    )
    await shop.keep_prices_from(service["id"], "2026-09-01")  # 2026/27's list, set ahead
    order = await shop.buy(service["id"], "invoice", academic_year="2026/27")
    shop.set_day(date(2027, 2, 15))
    cancelled = await shop.orders.post(
        f"/orders/{order['id']}/cancel", json={"reason": "joined a trust"}, headers=SCHOOL
    )
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["invoice"]["credited_pence"] == 72_000  # 6 of 12 months, with VAT

    async def every_recognition() -> list[dict[str, Any]]:
        found = await shop.platform.ledger.get("/transactions", headers=FINANCE)
        recognitions = [t for t in found.json() if t["kind"] == "recognition"]
        return recognitions if len(recognitions) >= 12 + 6 else []  # the sale's, the credit's

    await eventually(every_recognition, timeout=10)
    earned, deferred = [], []
    month = date(2026, 9, 1)
    for _ in range(12):  # as of the last day of each month of the term
        month = first_of_next_month(month)
        book = await balances(shop, as_of=month - timedelta(days=1))
        earned.append(-book.get("traded:income:hr", 0))
        deferred.append(-book.get("deferred-income", 0))
    assert earned == [10_000, 20_000, 30_000, 40_000, 50_000] + [60_000] * 7
    assert deferred == [110_000, 100_000, 90_000, 80_000, 70_000] + [0] * 7
