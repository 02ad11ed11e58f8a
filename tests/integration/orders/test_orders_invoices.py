"""Paying by invoice: a numbered invoice with its VAT breakdown and due date, a PDF to download,
remittances recorded by finance (part payments too), credit notes on cancellation."""

from __future__ import annotations

import io
from datetime import date, timedelta

from pypdf import PdfReader

from shared.calendar import long_date
from shared.clock import Clock
from tests.support.orders_shop import ADMIN, FINANCE, SCHOOL, Shop
from tests.support.platform import ABBOTS_LANGLEY

TODAY = str(Clock().today())  # the shop's day: money is received by the day it is recorded


async def test_an_invoice_has_a_number_a_vat_breakdown_a_due_date_and_a_pdf(shop: Shop) -> None:
    service = await shop.service(unit_price_pence=33_333)
    training = await shop.service(
        title="Safeguarding training", unit_price_pence=12_000, vat_rate="exempt"
    )
    await shop.add(training["id"], 2)
    order = await shop.buy(service["id"], "invoice", 3)  # + £999.99 net; VAT £199.998 → £200.00

    invoice = order["invoice"]
    assert invoice["number"] == "INV-000001"
    assert invoice["purchase_order"] == "PO-2026-117"
    assert (invoice["net_pence"], invoice["vat_pence"], invoice["gross_pence"]) == (
        123_999,
        20_000,
        143_999,
    )
    assert invoice["vat_breakdown"] == [
        {"rate": "standard", "percent": 20, "net_pence": 99_999, "vat_pence": 20_000},
        {"rate": "exempt", "percent": 0, "net_pence": 24_000, "vat_pence": 0},
    ]
    issued = date.fromisoformat(invoice["issued_on"])
    assert date.fromisoformat(invoice["due_on"]) == issued + timedelta(days=30)
    assert invoice["outstanding_pence"] == 143_999

    pdf = await shop.orders.get(f"/invoices/{invoice['id']}/pdf", headers=SCHOOL)
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert b"VAT invoice INV-000001" in pdf.content  # the document's title
    assert 'filename="INV-000001.pdf"' in pdf.headers["content-disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    for particular in (
        "Schools Company Ltd (demo placeholder)",  # the supplier, from settings
        "VAT registration number: GB 000 0000 00 (demo placeholder)",
        "Abbots Langley School (URN 117083)",
        f"Tax point: {long_date(issued)}",
        "Your purchase order: PO-2026-117",
        "Safeguarding training (2 × £120.00) 2 £240.00 exempt £0.00 £240.00",
        "£999.99 20% £200.00 £1,199.99",
        "Total to pay £1,439.99",
        "Payment terms: 30 days",
        "sort code 00-00-00 (demo placeholder)",
        "DEMO INVOICE",
    ):
        assert particular in text, particular
    assert "GBP" not in text

    (raised,) = await shop.outbox("orders.invoice.raised.v1")
    assert (raised["invoice_number"], raised["gross_pence"], raised["strand"]) == (
        "INV-000001",
        143_999,
        "traded",
    )
    assert [line["service_id"] for line in raised["lines"]] == [training["id"], service["id"]]
    assert [line["vat_pence"] for line in raised["lines"]] == [0, 20_000]
    assert {line["category"] for line in raised["lines"]} == {"Governance"}
    listed = (await shop.orders.get("/invoices", headers=SCHOOL)).json()
    assert [found["number"] for found in listed] == ["INV-000001"]


async def test_finance_records_part_payments_until_the_invoice_is_settled(shop: Shop) -> None:
    service = await shop.service(unit_price_pence=100_000)
    order = await shop.buy(service["id"])  # £1,200.00 gross
    invoice_id = order["invoice"]["id"]

    async def remit(amount: int, reference: str) -> dict:  # type: ignore[type-arg]
        answer = await shop.orders.post(
            f"/invoices/{invoice_id}/remittances",
            json={"amount_pence": amount, "received_on": TODAY, "reference": reference},
            headers=FINANCE,
        )
        return {"status": answer.status_code, **answer.json()}

    first = await remit(50_000, "BACS 117083 A")
    assert (first["status"], first["paid_pence"], first["outstanding_pence"]) == (
        201,
        50_000,
        70_000,
    )
    assert (await shop.order(order["id"]))["payment_status"] == "partly_paid"
    over = await remit(70_001, "BACS too much")
    assert (over["status"], over["field"]) == (422, "amount_pence")
    assert "£700.00 outstanding" in over["detail"]
    twice = await remit(20_000, "BACS 117083 A")  # the same bank credit keyed in again
    assert (twice["status"], twice["field"]) == (409, "reference")
    second = await remit(70_000, "BACS 117083 B")
    assert second["outstanding_pence"] == 0
    assert (await shop.order(order["id"]))["payment_status"] == "paid"
    after = await remit(1, "BACS late")
    assert after["status"] == 409

    settled = await shop.outbox("orders.invoice.settled.v1")
    assert [(e["amount_pence"], e["outstanding_pence"]) for e in settled] == [
        (50_000, 70_000),
        (70_000, 0),
    ]
    assert {e["remittance_reference"] for e in settled} == {"BACS 117083 A", "BACS 117083 B"}
    assert [(e["gross_pence"], e["strand"]) for e in settled] == [
        (50_000, "traded"),
        (70_000, "traded"),
    ]
    assert settled[0]["lines"][0]["service_id"] == service["id"]
    assert settled[0]["lines"][0]["gross_pence"] == 50_000
    assert (
        await shop.outbox("orders.order.paid.v1") == []
    )  # an invoice is settled, not "paid by card"
    remittances = (await shop.orders.get("/remittances", headers=FINANCE)).json()
    assert sorted(r["amount_pence"] for r in remittances) == [50_000, 70_000]
    assert {r["recorded_by"] for r in remittances} == {"test-finance"}


async def test_cancelling_an_invoice_order_issues_a_numbered_credit_note(shop: Shop) -> None:
    service = await shop.service(unit_price_pence=65_000)
    order = await shop.buy(service["id"], "invoice", 2)

    cancelled = await shop.orders.post(
        f"/orders/{order['id']}/cancel", json={"reason": "governors postponed"}, headers=SCHOOL
    )
    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["status"], cancelled.json()["payment_status"]) == (
        "cancelled",
        "credited",
    )
    assert cancelled.json()["invoice"]["credited_pence"] == 156_000
    assert cancelled.json()["invoice"]["outstanding_pence"] == 0
    (note,) = await shop.outbox("orders.credit_note.issued.v1")
    assert (note["credit_note_number"], note["invoice_number"]) == ("CN-000001", "INV-000001")
    assert (note["net_pence"], note["vat_pence"], note["gross_pence"]) == (130_000, 26_000, 156_000)
    (cancel_event,) = await shop.outbox("orders.order.cancelled.v1")
    assert cancel_event["reason"] == "governors postponed"
    assert (cancel_event["gross_pence"], cancel_event["strand"], cancel_event["phase"]) == (
        156_000,
        "traded",
        "Primary",
    )
    refunds = (await shop.orders.get("/refunds", headers=SCHOOL)).json()
    assert [(r["kind"], r["number"]) for r in refunds] == [("credit_note", "CN-000001")]
    remit = await shop.orders.post(
        f"/invoices/{order['invoice']['id']}/remittances",
        json={"amount_pence": 1, "received_on": TODAY, "reference": "late"},
        headers=FINANCE,
    )
    assert remit.status_code == 409
    assert remit.json()["detail"] == "a payment that is credited takes no remittance"


async def test_a_paid_order_is_fulfilled_once_and_announced(shop: Shop) -> None:
    service = await shop.service()
    order = await shop.paid_by_card(service["id"])
    by_school = await shop.orders.post(f"/orders/{order['id']}/fulfil", headers=SCHOOL)
    assert by_school.status_code == 403
    fulfilled = await shop.orders.post(f"/orders/{order['id']}/fulfil", headers=ADMIN)
    assert fulfilled.json()["status"] == "fulfilled"
    again = await shop.orders.post(f"/orders/{order['id']}/fulfil", headers=ADMIN)
    assert again.status_code == 409
    assert again.json()["detail"] == "an order that is fulfilled cannot become fulfilled"
    (event,) = await shop.outbox("orders.order.fulfilled.v1")
    assert (event["urn"], event["order_id"]) == (ABBOTS_LANGLEY, order["id"])
    assert (event["net_pence"], event["vat_pence"], event["strand"]) == (65_000, 13_000, "traded")
    assert event["lines"][0]["category"] == "Governance"


async def test_an_order_on_invoice_terms_is_fulfilled_before_it_is_paid_and_stays_fulfilled(
    shop: Shop,
) -> None:
    service = await shop.service(unit_price_pence=100_000)
    order = await shop.buy(service["id"])  # £1,200.00 gross, due in 30 days

    fulfilled = await shop.orders.post(f"/orders/{order['id']}/fulfil", headers=ADMIN)
    assert fulfilled.status_code == 200, fulfilled.text
    assert (fulfilled.json()["status"], fulfilled.json()["payment_status"]) == (
        "fulfilled",
        "invoiced",
    )
    paid = await shop.orders.post(
        f"/invoices/{order['invoice']['id']}/remittances",
        json={"amount_pence": 120_000, "received_on": TODAY, "reference": "BACS F"},
        headers=FINANCE,
    )
    assert paid.status_code == 201, paid.text
    after = await shop.order(order["id"])
    assert (after["status"], after["payment_status"]) == ("fulfilled", "paid")


async def test_a_part_refund_leaves_a_fulfilled_card_order_fulfilled(shop: Shop) -> None:
    service = await shop.service(unit_price_pence=65_000)
    order = await shop.paid_by_card(service["id"])
    unpaid = await shop.buy(service["id"], "card")
    not_yet = await shop.orders.post(f"/orders/{unpaid['id']}/fulfil", headers=ADMIN)
    assert (not_yet.status_code, not_yet.json()["field"]) == (409, "payment_status")
    assert (await shop.orders.post(f"/orders/{order['id']}/fulfil", headers=ADMIN)).is_success

    refunded = await shop.orders.post(
        f"/orders/{order['id']}/refunds",
        json={"amount_pence": 13_000, "reason": "the visit ran short"},
        headers=FINANCE,
    )

    assert refunded.status_code == 201, refunded.text
    assert (refunded.json()["status"], refunded.json()["payment_status"]) == (
        "fulfilled",
        "partly_refunded",
    )


async def test_a_part_paid_invoice_cancelled_in_full_shows_what_is_owed_back_to_the_school(
    shop: Shop,
) -> None:
    service = await shop.service(unit_price_pence=100_000)
    order = await shop.buy(service["id"])  # £1,200.00 gross
    paid = await shop.orders.post(
        f"/invoices/{order['invoice']['id']}/remittances",
        json={"amount_pence": 30_000, "received_on": TODAY, "reference": "BACS P"},
        headers=FINANCE,
    )
    assert paid.status_code == 201, paid.text

    cancelled = await shop.orders.post(
        f"/orders/{order['id']}/cancel", json={"reason": "closed"}, headers=SCHOOL
    )

    invoice = cancelled.json()["invoice"]
    assert (invoice["credited_pence"], invoice["outstanding_pence"]) == (120_000, 0)
    assert invoice["owed_to_school_pence"] == 30_000
    # the PDF said "Outstanding £0.00", then how to pay it by BACS, and nothing of the £300
    pdf = await shop.orders.get(f"/invoices/{invoice['id']}/pdf", headers=SCHOOL)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Owed back to you £300.00" in text
    assert "Nothing is left to pay: the £300.00 paid beyond what this invoice now asks" in text
    assert "How to pay" not in text and "By BACS" not in text


async def test_a_remittance_received_after_today_is_refused_and_nothing_is_recorded(
    shop: Shop,
) -> None:
    """A year typed wrong (2062 for 2026) would book the money in the bank in a period not yet
    begun, and show the invoice paid before any money came."""
    service = await shop.service(unit_price_pence=100_000)
    order = await shop.buy(service["id"])
    tomorrow = Clock().today() + timedelta(days=1)
    answer = await shop.orders.post(
        f"/invoices/{order['invoice']['id']}/remittances",
        json={"amount_pence": 120_000, "received_on": str(tomorrow), "reference": "BACS 2062"},
        headers=FINANCE,
    )
    assert (answer.status_code, answer.json()["field"]) == (422, "received_on")
    assert "after today" in answer.json()["detail"]
    after = await shop.order(order["id"])
    assert (after["payment_status"], after["invoice"]["outstanding_pence"]) == ("invoiced", 120_000)
    assert (await shop.orders.get("/remittances", headers=FINANCE)).json() == []


async def test_a_remittance_received_before_its_invoice_was_issued_is_refused_saying_its_day(
    shop: Shop,
) -> None:
    """Money dated before the invoice would show the invoice paid before anything was owed,
    and book the bank's receipt in a period before the sale."""
    service = await shop.service(unit_price_pence=100_000)
    order = await shop.buy(service["id"])
    issued = date.fromisoformat(order["invoice"]["issued_on"])
    answer = await shop.orders.post(
        f"/invoices/{order['invoice']['id']}/remittances",
        json={
            "amount_pence": 120_000,
            "received_on": str(issued - timedelta(days=1)),
            "reference": "BACS EARLY",
        },
        headers=FINANCE,
    )
    assert (answer.status_code, answer.json()["field"]) == (422, "received_on")
    assert f"before its invoice was issued, on {long_date(issued)}" in answer.json()["detail"]
    after = await shop.order(order["id"])
    assert (after["payment_status"], after["invoice"]["outstanding_pence"]) == ("invoiced", 120_000)
    assert (await shop.orders.get("/remittances", headers=FINANCE)).json() == []
