"""Rebuilding the ledger from the streams when finance has also made records through its API
(journals, reversals, closed months, Stripe payouts), which no stream holds: the rebuild
carries those from the live book beside the events it replays, so a healthy book rebuilds with
no difference, and one changed behind the book's back still shows."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update

from services import registry
from services.ledger.adapters.tables import open_items, postings
from services.rebuild.command import Rebuilt, rebuild
from services.rebuild.replay import caught_up
from services.seed.catalogue import seed_catalogue
from services.seed.ks2_evaluation import earlier_sales
from services.seed.ledger import seed_ledger_history, seed_ledger_register
from tests.support import ledger_events as ev
from tests.support.databases import DatabaseFactory
from tests.support.ledger_app import Ledger, journal

pytestmark = pytest.mark.usefixtures("backend")


async def made_by_events_and_by_hand(ledger: Ledger) -> None:
    """A card sale, an invoice, an LA invoice and a subscription with its twelve months'
    income, from the streams; then, through the API, finance closes November (after its
    events were posted), closes and reopens September, posts a journal dated in November
    (which posts in December), an imported sale of earlier years in the traded strand, reverses
    an event's transaction and its own journal, imports the card sale's Stripe payout, and
    records the LA's part payment of its invoice."""
    subscription = ev.subscription(120_000, date(2026, 9, 1), date(2027, 8, 31))
    await ev.publish(
        ledger.service.settings.nats_url,
        ev.envelope(ev.order_paid(117083, date(2026, 10, 5), ev.line(50_000), reference="pi_A")),
        ev.envelope(ev.invoice_raised(117499, date(2026, 10, 6), ev.line(10_001), number="INV-7")),
        ev.envelope(ev.la_invoice(3_000_001, date(2026, 11, 18), number="LA-1")),
        ev.envelope(ev.order_paid(117084, date(2026, 9, 1), subscription, reference="pi_B")),
    )
    by_events = await ledger.transactions_reach(4 + 12)
    assert ledger.worker
    await caught_up(ledger.worker.link.jetstream, ledger.worker.consumers)

    await ledger.post("/periods/2026-11/close", None)
    await ledger.post("/periods/2026-09/close", None)
    await ledger.post("/periods/2026-09/reopen", {"reason": "a late supplier invoice"}, status=200)
    rent = await ledger.post(
        "/journals",
        journal(
            "OVH-2026-11",
            "November rent",
            "2026-11-30",
            ("core:cost:overheads", 250_000),
            ("bank", -250_000),
        ),
    )
    assert rent["posted_on"] == "2026-12-01"  # November was closed
    earlier_sale = {
        "reference": "KS2-2019-117088",
        "description": "KS2 programme 2019, invoiced in the previous system",
        "on": "2026-04-01",
        "strand": "traded",
        "lines": [
            {"account": "receivables:schools", "amount_pence": 12_000, "urn": 117088}
            | {"document": "OLD-INV-1"},
            {"account": "deferred-income", "amount_pence": -12_000, "urn": 117088},
        ],
    }
    await ledger.post("/journals", earlier_sale)
    invoice = next(t for t in by_events if t["kind"] == "sale" and t["dated"] == "2026-10-06")
    for undone in (invoice, rent):
        await ledger.post(f"/transactions/{undone['id']}/reverse", {"reason": "posted in error"})
    payout = {"payout_id": "po_A", "arrival_on": "2026-10-12", "amount_pence": 58_800}
    payout |= {"fee_pence": 1_200, "payment_references": ["pi_A"]}
    assert await ledger.post("/stripe/payouts", [payout], status=200) == {"imported": 1}
    part = {"amount_pence": 1_000_000, "received_on": "2026-12-20", "reference": "HCC BACS 1"}
    await ledger.post("/la-invoices/LA-1/payments", part)


async def rebuilt_from_the_streams(
    ledger: Ledger, databases: DatabaseFactory, nats_url: str
) -> Rebuilt:
    fresh = registry.service(
        "ledger", database_url=await databases.new("ledger_rebuilt"), nats_url=nats_url
    )
    try:
        return await rebuild(ledger.service, fresh, carry=False)
    finally:
        await fresh.engine.dispose()


async def test_a_book_with_finance_s_own_records_rebuilds_with_no_difference(
    ledger: Ledger, databases: DatabaseFactory, nats_url: str
) -> None:
    await made_by_events_and_by_hand(ledger)

    rebuilt = await rebuilt_from_the_streams(ledger, databases, nats_url)

    assert rebuilt.differences == [], "\n".join(rebuilt.differences)
    assert rebuilt.rebuilt_rows == rebuilt.live_rows
    assert rebuilt.rebuilt_rows["journal_transactions"] == 16 + 6
    assert rebuilt.rebuilt_rows["closed_periods"] == 1
    said = "\n".join(rebuilt.lines())
    assert "made through the API, copied after the replay: " in said
    assert (
        "journals 2, reversals 2, Stripe payouts 1, payments by the LA 1, "
        "closings and reopenings of months 3"
    ) in said
    assert said.endswith("no differences: every row, every balance and every report match")


async def test_a_posting_changed_in_the_live_book_still_shows_as_a_difference(
    ledger: Ledger, databases: DatabaseFactory, nats_url: str
) -> None:
    await made_by_events_and_by_hand(ledger)
    async with ledger.service.engine.begin() as connection:  # behind the book's back
        await connection.execute(
            update(postings)
            .where(postings.c.document == "pi_A", postings.c.account == "clearing:stripe")
            .where(postings.c.amount_pence > 0)
            .values(amount_pence=postings.c.amount_pence + 100)
        )

    rebuilt = await rebuilt_from_the_streams(ledger, databases, nats_url)

    tables = [line for line in rebuilt.differences if line.startswith("table ")]
    assert tables == ["table journal_postings: 61 rows live, 61 rebuilt"]
    only_live, only_rebuilt = (
        [line for line in rebuilt.differences if line.startswith(f"  only {side}:")]
        for side in ("live", "rebuilt")
    )
    assert len(only_live) == len(only_rebuilt) == 1
    assert "'clearing:stripe', '60100'" in only_live[0]
    assert "'clearing:stripe', '60000'" in only_rebuilt[0]
    assert rebuilt.exit_status == 1


async def test_a_seeded_ledger_rebuilds_with_no_difference(
    ledger: Ledger, databases: DatabaseFactory, nats_url: str
) -> None:
    """The demo seed's register and its imported history (a journal for each earlier sale and
    each month of its term), entered as `schools-platform seed` enters them."""
    catalogue = registry.service("catalogue", database_url=await databases.new("catalogue"))
    try:
        await catalogue.migrate()
        await seed_catalogue(catalogue)
        history = await earlier_sales(catalogue)
    finally:
        await catalogue.engine.dispose()
    await seed_ledger_register(ledger.service)
    assert await seed_ledger_history(ledger.service, history) == 22

    fresh = registry.service(
        "ledger", database_url=await databases.new("ledger_rebuilt"), nats_url=nats_url
    )
    try:
        rebuilt = await rebuild(ledger.service, fresh)
    finally:
        await fresh.engine.dispose()

    assert rebuilt.differences == [], "\n".join(rebuilt.differences)
    assert rebuilt.made_by_its_api["journals"] == rebuilt.live_rows["journal_transactions"]
    assert rebuilt.exit_status == 0


async def test_a_school_number_changed_in_the_live_book_shows_as_a_difference(
    ledger: Ledger, databases: DatabaseFactory, nats_url: str
) -> None:
    """A URN is a school's, not a row number the database gave: one changed behind the book's
    back, on the invoice a school owes, is a difference."""
    await made_by_events_and_by_hand(ledger)
    async with ledger.service.engine.begin() as connection:
        changed = await connection.execute(
            update(open_items).where(open_items.c.document == "INV-7").values(urn=117500)
        )
    assert changed.rowcount == 1

    rebuilt = await rebuilt_from_the_streams(ledger, databases, nats_url)

    tables = [line for line in rebuilt.differences if line.startswith("table ")]
    assert tables == ["table open_items: 3 rows live, 3 rebuilt"]  # INV-7, OLD-INV-1, LA-1
    assert any("117500" in line for line in rebuilt.differences if "only live" in line)
    assert rebuilt.exit_status == 1
