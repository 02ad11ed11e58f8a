"""A service's CFR code goes with every line it is sold on: the order, the invoice and its PDF,
the events, the ledger's postings; and traded income is reported by it."""

from __future__ import annotations

import csv
import io

from pypdf import PdfReader

from tests.support.orders_shop import FINANCE, SCHOOL, Shop
from tests.support.platform import eventually


async def income_by_cfr(shop: Shop) -> dict[str, dict[str, object]]:
    report = await shop.platform.ledger.get("/reports/traded-income?by=cfr", headers=FINANCE)
    assert report.status_code == 200, report.text
    return {row["cfr"]: row for row in report.json()["rows"] if row["income_pence"]}


async def test_an_invoice_order_carries_each_line_s_cfr_code_into_the_ledger_s_report(
    shop_and_ledger: Shop,
) -> None:
    shop = shop_and_ledger
    review = await shop.service(unit_price_pence=65_000, category="Governance")  # usual: E28a
    visit = await shop.service(
        unit_price_pence=40_000, category="School improvement", cfr_code="E27"
    )
    await shop.add(review["id"], 2)
    await shop.add(visit["id"])
    placed = await shop.checkout("invoice")
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert [line["cfr_code"] for line in order["lines"]] == ["E28a", "E27"]

    (raised,) = await shop.outbox("orders.invoice.raised.v1")
    assert [line["cfr_code"] for line in raised["lines"]] == ["E28a", "E27"]

    pdf = await shop.orders.get(f"/invoices/{order['invoice']['id']}/pdf", headers=SCHOOL)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "CFR E27: Bought-in professional services – curriculum" in text
    assert "CFR E28a: Bought-in professional services – other (except PFI)" in text

    await shop.fulfil(order["id"])  # income once the days are delivered
    found = await eventually(lambda: income_by_cfr(shop))
    assert {code: row["income_pence"] for code, row in found.items()} == {
        "E28a": 130_000,
        "E27": 40_000,
    }
    assert found["E27"]["name"] == "Bought-in professional services – curriculum"

    exported = await shop.platform.ledger.get(
        "/reports/traded-income?by=cfr&format=csv", headers=FINANCE
    )
    table = list(csv.DictReader(io.StringIO(exported.text)))
    assert {row["CFR code"]: row["Income (£)"] for row in table} == {
        "E27": "400.00",
        "E28a": "1300.00",
    }
