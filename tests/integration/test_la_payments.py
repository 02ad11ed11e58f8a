"""The LA paying the company's invoices to it, recorded by finance through the ledger's API: an
invoice raised by commissioning, then paid in part and in full, over HTTP and NATS JetStream on
real databases. Each payment moves the bank and `receivables:la`, and the aged debt with them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from shared.auth import Role
from shared.calendar import long_date
from shared.clock import Clock
from tests.integration.test_statutory_money_in_the_ledger import balances
from tests.support.commissioning_app import FINANCE, OFFICER, milestone_signed_off
from tests.support.platform import Platform, auth, eventually


async def invoiced_to_the_la(platform: Platform) -> str:
    """A £300.00 milestone signed off: invoice for £360.00 with VAT, in the ledger's book."""
    await milestone_signed_off(platform)

    async def booked() -> bool:
        return (await balances(platform)).get("receivables:la") == 36_000

    await eventually(booked)
    (invoice,) = (await platform.commissioning.get("/invoices", headers=OFFICER)).json()
    return str(invoice["number"])


async def pay(platform: Platform, number: str, **body: Any) -> Any:
    return await platform.ledger.post(
        f"/la-invoices/{number}/payments",
        json={"received_on": Clock().today().isoformat(), **body},
        headers=FINANCE,
    )


async def la_debt(platform: Platform) -> tuple[list[dict[str, Any]], int]:
    """The aged debt's rows owed by the LA, and every debtor's total."""
    response = await platform.ledger.get("/reports/aged-debt", headers=FINANCE)
    assert response.status_code == 200, response.text
    report = response.json()
    return [row for row in report["rows"] if row["strand"] == "statutory"], report["total_pence"]


async def test_the_la_paying_in_part_then_in_full_clears_its_invoice_from_the_book_and_the_debt(
    platform: Platform,
) -> None:
    number = await invoiced_to_the_la(platform)
    (owed,), total = await la_debt(platform)
    assert (owed["name"], owed["0-30_pence"], owed["total_pence"]) == (
        "Local authority (statutory contracts)",
        36_000,
        36_000,
    )
    book = await balances(platform)
    assert total == book["receivables:la"] + book.get("receivables:schools", 0)

    part = await pay(platform, number, amount_pence=20_000, reference="BACS 0001")
    assert part.status_code == 201, part.text
    paid = part.json()
    assert (paid["number"], paid["paid_pence"], paid["outstanding_pence"]) == (
        number,
        20_000,
        16_000,
    )
    book = await balances(platform)
    assert (book["receivables:la"], book["bank"]) == (16_000, 20_000)
    (owed,), total = await la_debt(platform)
    assert (owed["0-30_pence"], owed["total_pence"], total) == (16_000, 16_000, 16_000)

    rest = await pay(platform, number, amount_pence=16_000, reference="BACS 0002")
    assert rest.status_code == 201, rest.text
    assert (rest.json()["paid_pence"], rest.json()["outstanding_pence"]) == (36_000, 0)
    book = await balances(platform)
    assert (book["receivables:la"], book["bank"]) == (0, 36_000)
    assert await la_debt(platform) == ([], 0)
    listed = (await platform.ledger.get("/la-invoices", headers=FINANCE)).json()
    assert [(i["number"], i["invoiced_pence"], i["paid_pence"], i["outstanding_pence"])
            for i in listed] == [(number, 36_000, 36_000, 0)]  # fmt: skip
    as_the_la_reads_it = await platform.ledger.get("/la-invoices", headers=OFFICER)
    assert as_the_la_reads_it.status_code == 200, as_the_la_reads_it.text
    assert as_the_la_reads_it.json() == listed
    by_the_officer = await platform.ledger.post(
        f"/la-invoices/{number}/payments",
        json={"received_on": Clock().today().isoformat(), "amount_pence": 1, "reference": "X"},
        headers=OFFICER,
    )
    assert by_the_officer.status_code == 403  # finance records what the bank received


async def test_each_payment_is_listed_against_its_invoice_newest_first(
    platform: Platform,
) -> None:
    number = await invoiced_to_the_la(platform)
    invoiced = Clock().today()
    later = invoiced + timedelta(days=3)
    platform.services["ledger"].clock.set(later)  # finance records both three days on
    first = await pay(
        platform, number, amount_pence=20_000, reference="BACS 0001", received_on=str(invoiced)
    )
    assert first.status_code == 201, first.text
    second = await pay(
        platform, number, amount_pence=16_000, reference="BACS 0002", received_on=str(later)
    )
    assert second.status_code == 201, second.text

    listed = await platform.ledger.get(f"/la-invoices/{number}/payments", headers=FINANCE)
    assert listed.status_code == 200, listed.text
    payments = listed.json()
    assert [(p["received_on"], p["amount_pence"], p["reference"]) for p in payments] == [
        (later.isoformat(), 16_000, "BACS 0002"),
        (invoiced.isoformat(), 20_000, "BACS 0001"),
    ]
    assert [p["recorded_by"] for p in payments] == ["test-finance", "test-finance"]
    assert payments[0]["recorded_at"] >= payments[1]["recorded_at"]
    unknown = await platform.ledger.get("/la-invoices/LA-999999/payments", headers=FINANCE)
    assert unknown.status_code == 404, unknown.text
    assert unknown.json()["field"] == "invoice_number"
    by_a_school = await platform.ledger.get(
        f"/la-invoices/{number}/payments", headers=auth(Role.SCHOOL, 117083)
    )
    assert by_a_school.status_code == 403


async def test_a_payment_sent_twice_is_recorded_once(platform: Platform) -> None:
    number = await invoiced_to_the_la(platform)
    first = await pay(platform, number, amount_pence=10_000, reference="BACS 0001")
    assert first.status_code == 201, first.text
    again = await pay(platform, number, amount_pence=10_000, reference="BACS 0001")
    assert again.status_code == 409, again.text
    assert again.json()["field"] == "reference"
    book = await balances(platform)
    assert (book["receivables:la"], book["bank"]) == (26_000, 10_000)


async def test_a_refused_payment_changes_nothing(platform: Platform) -> None:
    number = await invoiced_to_the_la(platform)
    tomorrow = Clock().today().toordinal() + 1
    refusals = [
        ({"amount_pence": 36_001, "reference": "BACS 1"}, 422, "amount_pence"),
        ({"amount_pence": 0, "reference": "BACS 2"}, 422, "amount_pence"),
        (
            {"amount_pence": 100, "reference": "BACS 3",
             "received_on": Clock().today().fromordinal(tomorrow).isoformat()},
            422,
            "received_on",
        ),
    ]  # fmt: skip
    before = await balances(platform)
    transactions = (await platform.ledger.get("/transactions", headers=FINANCE)).json()
    for body, status, field in refusals:
        refused = await pay(platform, number, **body)
        assert refused.status_code == status, refused.text
        assert field in refused.text, refused.text
    unknown = await pay(platform, "LA-999999", amount_pence=100, reference="BACS 4")
    assert unknown.status_code == 404, unknown.text
    assert unknown.json()["field"] == "invoice_number"
    by_a_school = await platform.ledger.post(
        f"/la-invoices/{number}/payments",
        json={"amount_pence": 100, "received_on": "2026-12-01", "reference": "BACS 5"},
        headers=auth(Role.SCHOOL, 117083),
    )
    assert by_a_school.status_code == 403
    assert await balances(platform) == before
    assert (await platform.ledger.get("/transactions", headers=FINANCE)).json() == transactions
    (owed,), _ = await la_debt(platform)
    assert owed["total_pence"] == 36_000


async def test_a_payment_reversed_is_listed_as_reversed_but_not_paid(platform: Platform) -> None:
    """Finance reverses a payment recorded against the wrong invoice: what the invoice reads as
    paid and what is left say it was never paid, and its payments show it was recorded and
    reversed, when and why, for finance to set beside the bank statement."""
    number = await invoiced_to_the_la(platform)
    for pence, reference in ((10_000, "BACS 7"), (5_000, "BACS 8")):
        paid = await pay(platform, number, amount_pence=pence, reference=reference)
        assert paid.status_code == 201, paid.text
    (payment,) = [
        t
        for t in (await platform.ledger.get("/transactions", headers=FINANCE)).json()
        if t["kind"] == "la_payment" and "BACS 7" in t["description"]
    ]
    undo = await platform.ledger.post(
        f"/transactions/{payment['id']}/reverse",
        json={"reason": "paid against the wrong invoice"},
        headers=FINANCE,
    )
    assert undo.status_code == 201, undo.text

    (owed,) = (await platform.ledger.get("/la-invoices", headers=FINANCE)).json()
    assert (owed["paid_pence"], owed["outstanding_pence"]) == (5_000, 31_000)
    listed = await platform.ledger.get(f"/la-invoices/{number}/payments", headers=FINANCE)
    assert listed.status_code == 200, listed.text
    by_reference = {p["reference"]: p for p in listed.json()}
    assert sorted(by_reference) == ["BACS 7", "BACS 8"]
    reversed_one, standing = by_reference["BACS 7"], by_reference["BACS 8"]
    assert reversed_one["amount_pence"] == 10_000
    assert reversed_one["reversed_on"] == Clock().today().isoformat()
    assert "paid against the wrong invoice" in reversed_one["reversal_description"]
    assert reversed_one["reversal_reason"] == "paid against the wrong invoice"
    assert (standing["reversed_on"], standing["reversal_reason"]) == (None, None)


async def test_a_reversal_s_reason_is_kept_whole_however_long_the_payment_s_description(
    platform: Platform,
) -> None:
    """The book's description of a reversal quotes what it undoes and is cut at 300 characters;
    the reason, up to 200, is kept whole beside it. A reason that says nothing, or too much, or
    holds a line break is refused, naming the field, and nothing is reversed."""
    number = await invoiced_to_the_la(platform)
    long_reference = "BACS " + "9" * 95  # the longest reference a payment takes
    paid = await pay(platform, number, amount_pence=10_000, reference=long_reference)
    assert paid.status_code == 201, paid.text
    (payment,) = [
        t
        for t in (await platform.ledger.get("/transactions", headers=FINANCE)).json()
        if t["kind"] == "la_payment"
    ]
    reverse = f"/transactions/{payment['id']}/reverse"
    for reason in ("   ", "ab", "x" * 201, "two\nlines", None):
        refused = await platform.ledger.post(reverse, json={"reason": reason}, headers=FINANCE)
        assert refused.status_code == 422, (reason, refused.text)
        assert "reason" in refused.text, refused.text
    reason = "the LA paid this by cheque, " + "not BACS; " * 17  # 198 characters
    undo = await platform.ledger.post(reverse, json={"reason": reason}, headers=FINANCE)
    assert undo.status_code == 201, undo.text
    assert undo.json()["reversal_reason"] == reason.strip()
    assert not undo.json()["description"].endswith(reason.strip())  # cut at 300 characters

    (listed,) = (
        await platform.ledger.get(f"/la-invoices/{number}/payments", headers=FINANCE)
    ).json()
    assert listed["reversal_reason"] == reason.strip()
    journal = (await platform.ledger.get("/journal", headers=FINANCE)).json()
    (entry,) = [e for e in journal if e["kind"] == "reversal"]
    assert entry["reversal_reason"] == reason.strip()


async def test_a_payment_received_before_the_invoice_was_issued_is_refused_saying_its_day(
    platform: Platform,
) -> None:
    """A payment dated before the invoice would show it paid before the LA owed anything, and
    book the bank's receipt in a period before the milestone's income."""
    number = await invoiced_to_the_la(platform)
    (listed,) = (await platform.ledger.get("/la-invoices", headers=FINANCE)).json()
    invoiced_on = date.fromisoformat(listed["invoiced_on"])
    early = await pay(
        platform,
        number,
        amount_pence=36_000,
        reference="BACS EARLY",
        received_on=str(invoiced_on - timedelta(days=1)),
    )
    assert (early.status_code, early.json()["field"]) == (422, "received_on"), early.text
    assert f"before its invoice was issued, on {long_date(invoiced_on)}" in early.json()["detail"]
    book = await balances(platform)
    assert (book["receivables:la"], book.get("bank", 0)) == (36_000, 0)
    on_its_day = await pay(
        platform, number, amount_pence=36_000, reference="BACS 0001", received_on=str(invoiced_on)
    )
    assert on_its_day.status_code == 201, on_its_day.text
