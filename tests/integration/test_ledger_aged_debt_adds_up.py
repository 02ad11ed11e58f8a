"""What finance relies on when it reads the aged debt: its rows add up to the control accounts, on
any day. The schools' and trusts' rows come to `receivables:schools`, the LA's row to
`receivables:la`, at the end of each as-of day, through a year of invoices, part payments,
credit notes (one after the invoice was paid, so that the school is owed money back), a trust's
order, a journal clearing part of an invoice by hand, one clearing part of the trust's naming
only its number, an accrual naming no school (the "No school named" row), invoices to the LA
with a service credit, the LA's payments and one of them reversed: events over real NATS
JetStream, payments and reversals through the ledger's API, on a real database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.support import ledger_events as ev
from tests.support.commissioning_app import school_registered
from tests.support.ledger_app import Ledger, journal

pytestmark = pytest.mark.usefixtures("backend")

HR = ev.line
EVENTS = [
    ev.invoice_raised(117083, date(2026, 9, 1), HR(100_000), number="INV-1"),
    ev.invoice_settled(117083, date(2026, 10, 15), number="INV-1", pence=50_000),  # in part
    ev.invoice_raised(117499, date(2026, 10, 20), HR(30_000), number="INV-2"),
    ev.credit_note(117499, date(2026, 11, 2), HR(10_000), invoice="INV-2"),
    ev.by_trust(
        ev.invoice_raised(
            117083, date(2026, 11, 10), ev.for_school(117084, HR(20_000)), number="INV-3"
        )
    ),
    # paid in full, then a place not taken credited: the school is owed £24.00 back
    ev.invoice_raised(117504, date(2026, 9, 10), HR(40_000), number="INV-4"),
    ev.invoice_settled(117504, date(2026, 9, 25), number="INV-4", pence=48_000),
    ev.credit_note(117504, date(2026, 10, 12), HR(2_000), invoice="INV-4"),
    ev.la_invoice(300_000, date(2026, 8, 31), number="LA-1"),
    ev.service_credit(20_000, date(2026, 8, 31), number="LA-1"),  # taken off as it was raised
    ev.la_invoice(100_000, date(2026, 11, 30), number="LA-2"),
    # a credit as commissioning sent one before credits named their invoice (a replay of an
    # old event): filed under the invoice's id, no invoice of the book's, it still counts
    ev.service_credit(10_000, date(2026, 11, 30)),
]
POSTED_BY_EVENTS = len(EVENTS)
# the as-of days: every month's end, and the days around each payment
DAYS = [
    *(date(2026, month, 1) - timedelta(days=1) for month in range(9, 13)),
    date(2026, 12, 31),
    date(2027, 1, 31),
    date(2027, 3, 31),
    date(2026, 10, 4), date(2026, 10, 5), date(2026, 10, 15), date(2026, 12, 2),
    date(2026, 12, 3), date(2026, 12, 9), date(2026, 12, 10),
]  # fmt: skip


async def _book_a_year(ledger: Ledger) -> None:
    nats_url = ledger.service.settings.nats_url
    register = [school_registered(urn) for urn in ev.SCHOOLS]
    contract = ev.envelope(ev.contract_signed())
    await ev.publish(nats_url, *register, contract, *(ev.envelope(e) for e in EVENTS))
    await ledger.transactions_reach(POSTED_BY_EVENTS)
    cleared_by_hand = journal(
        "INV-2-BY-HAND", "INV-2 paid in cash at the office", "2026-12-01",
        ("bank", 6_000), ("receivables:schools", -6_000),
    )  # fmt: skip
    for line in cleared_by_hand["lines"]:
        if line["account"] == "receivables:schools":
            line |= {"urn": 117499, "document": "INV-2"}
    await ledger.post("/journals", cleared_by_hand)
    trust_cleared = journal(
        "INV-3-BY-HAND", "INV-3 paid in part by cheque", "2026-12-05",
        ("bank", 4_000), ("receivables:schools", -4_000),
    )  # fmt: skip
    for line in trust_cleared["lines"]:
        if line["account"] == "receivables:schools":
            line["document"] = "INV-3"  # the trust's invoice: no school to name
    await ledger.post("/journals", trust_cleared)
    accrued = journal(
        "ACC-2612", "HR advice for December, agreed", "2026-12-20",
        ("receivables:schools", 50_000), ("traded:income:hr-and-employment", -50_000),
    )  # fmt: skip
    await ledger.post("/journals", accrued)
    for number, pence, reference, on in (
        ("LA-1", 100_000, "BACS 1", "2026-10-05"),
        ("LA-2", 50_000, "BACS 2", "2026-12-03"),
    ):
        body = {"amount_pence": pence, "reference": reference, "received_on": on}
        await ledger.post(f"/la-invoices/{number}/payments", body)
    (wrong,) = [
        t
        for t in await ledger.get("/transactions")
        if t["kind"] == "la_payment" and t["reference"] == "BACS 2"
    ]
    undo = {"reason": "BACS 2 was the LA's payment of another supplier", "on": "2026-12-10"}
    await ledger.post(f"/transactions/{wrong['id']}/reverse", undo)


async def test_the_aged_debt_adds_up_to_the_control_accounts_on_every_day(ledger: Ledger) -> None:
    await _book_a_year(ledger)

    async def owed_on(day: date) -> tuple[int, int, int, int]:
        report = await ledger.get("/reports/aged-debt", as_of=day.isoformat())
        book = {
            row["code"]: row["balance_pence"]
            for row in await ledger.get("/balances", as_of=day.isoformat())
        }
        by_strand = {"traded": 0, "statutory": 0}
        for row in report["rows"]:
            assert row["total_pence"] == sum(
                pence
                for key, pence in row.items()
                if key.endswith("_pence") and key != "total_pence"
            ), row
            by_strand[row["strand"]] += row["total_pence"]
        assert report["total_pence"] == sum(by_strand.values())
        return (
            by_strand["traded"],
            book.get("receivables:schools", 0),
            by_strand["statutory"],
            book.get("receivables:la", 0),
        )

    for day in DAYS:
        schools, schools_control, la, la_control = await owed_on(day)
        assert (schools, la) == (schools_control, la_control), day
    # the figures themselves, on the last day: what is left of INV-1, INV-2 and INV-3 less what
    # is owed back on INV-4, and the accrual; of LA-1 (less its credit and the LA's payment)
    # and LA-2 (its payment reversed), less the old credit
    assert await owed_on(date(2027, 3, 31)) == (
        70_000 + 18_000 + 20_000 - 2_400 + 50_000,
        70_000 + 18_000 + 20_000 - 2_400 + 50_000,
        236_000 + 120_000 - 12_000,
        236_000 + 120_000 - 12_000,
    )


async def test_a_journal_naming_no_school_is_a_row_of_its_own_and_one_naming_a_trust_s_invoice_is_its(
    ledger: Ledger,
) -> None:
    await _book_a_year(ledger)

    report = await ledger.get("/reports/aged-debt", as_of="2027-03-31")
    rows = {row["name"]: row for row in report["rows"]}
    unnamed = rows["No school named"]
    assert (unnamed["urn"], unnamed["strand"], unnamed["90+_pence"]) == (None, "traded", 50_000)
    assert rows["Academy trust DEMO-1"]["total_pence"] == 24_000 - 4_000
