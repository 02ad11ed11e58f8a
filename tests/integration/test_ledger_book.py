"""The ledger's book, fed by real JetStream on a real database: every posting rule end to end,
posting once, replay from the start, reversal instead of deletion, period close, strands apart."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date
from typing import Any
from uuid import uuid4

import nats
import pytest

from services import registry
from services.rebuild.command import rebuild
from services.rebuild.replay import caught_up
from shared.auth import Role
from tests.support import ledger_events as ev
from tests.support.commissioning_app import school_registered
from tests.support.databases import DatabaseFactory
from tests.support.ledger_app import (
    Ledger,
    forget_ledger_consumers,
    journal,
    october_rent,
    running_ledger,
)
from tests.support.platform import auth, eventually, reset_streams

pytestmark = pytest.mark.usefixtures("backend")


def one_of_each() -> list[Any]:
    """One event of each kind with a posting rule, for schools of the real register."""
    return [
        ev.envelope(e)
        for e in (
            ev.order_paid(117083, date(2026, 10, 5), ev.line(50_000), reference="pi_A"),
            ev.invoice_raised(117499, date(2026, 10, 6), ev.line(10_001), number="INV-7"),
            ev.invoice_settled(117499, date(2026, 11, 2), number="INV-7", pence=12_001),
            ev.refund_issued(117083, date(2026, 10, 9), ev.line(20_000), reference="pi_A"),
            ev.credit_note(117499, date(2026, 10, 20), ev.line(1_000), invoice="INV-7"),
            ev.la_invoice(3_000_001, date(2026, 12, 18), number="LA-1"),
            ev.service_credit(100_000, date(2027, 1, 10)),
            ev.deployment(90_000, date(2026, 11, 12), urn=117504),
        )
    ]


async def balances(ledger: Ledger) -> dict[str, int]:
    return {row["code"]: row["balance_pence"] for row in await ledger.get("/balances")}


async def test_every_money_event_from_jetstream_posts_by_its_rule(ledger: Ledger) -> None:
    events = one_of_each()
    await ev.publish(ledger.service.settings.nats_url, *events)
    found = await ledger.transactions_reach(len(events))

    assert await balances(ledger) == {
        "bank": 12_001,
        "clearing:stripe": 60_000 - 24_000,
        "receivables:schools": 12_001 - 12_001 - 1_200,
        "receivables:la": 3_600_001 - 120_000,
        "payables:providers": -108_000,
        "vat:input": 18_000,
        "vat:output": -10_000 - 2_000 + 4_000 + 200 - 600_000 + 20_000,
        "traded:income:hr-and-employment": -50_000 - 10_001 + 20_000 + 1_000,
        "statutory:income:hcc-si-2026": -3_000_001 + 100_000,
        "statutory:cost:delivery": 90_000,
    }
    kinds = {t["source_event_id"]: t["kind"] for t in found}
    assert [kinds[str(e.event_id)] for e in events] == [
        "sale", "sale", "settlement", "refund", "credit_note", "la_invoice", "service_credit",
        "provider_cost",
    ]  # fmt: skip
    trial = await ledger.get("/reports/trial-balance")
    assert trial["difference_pence"] == 0
    assert trial["debits_pence"] == sum(p for p in (await balances(ledger)).values() if p > 0)
    for transaction in found:  # no statutory account in a traded transaction, nor the reverse
        for posting in transaction["postings"]:
            prefix = posting["account"].split(":")[0]
            assert prefix not in {"traded", "statutory"} or prefix == transaction["strand"]


async def test_an_event_delivered_twice_posts_once(ledger: Ledger) -> None:
    (event,) = [
        ev.envelope(ev.invoice_raised(117084, date(2026, 10, 6), ev.line(40_000), number="INV-9"))
    ]
    nats_url = ledger.service.settings.nats_url
    await ev.publish(nats_url, event)
    await ledger.transactions_reach(1)
    assert ledger.worker
    await ledger.worker.stop()
    await forget_ledger_consumers(nats_url)  # the new worker reads the stream from the start
    ledger.worker = ledger.service.worker()
    await ledger.worker.start()
    await ev.publish(
        nats_url,
        ev.envelope(ev.invoice_settled(117084, date(2026, 11, 1), number="INV-9", pence=48_000)),
    )
    await ledger.transactions_reach(2)
    assert (await balances(ledger))["receivables:schools"] == 0


async def test_replaying_the_whole_stream_from_the_start_rebuilds_the_same_ledger(
    ledger: Ledger, databases: DatabaseFactory, nats_url: str
) -> None:
    """The rebuild replays under durable names of its own into a fresh database and compares
    every table, balance and report with the live ledger.

    The test this replaces stopped the live worker, deleted its consumers and replayed under the
    live names; it then read the buy-back figure as soon as the rebuilt journal held its 23
    transactions. The register (`commissioning.school.registered.v1`) has a consumer of its own
    that makes no transaction, so the count said nothing about it: when that consumer bound or
    fetched later than the others, the figure read 0.0 instead of 100.0. Here both ledgers are
    compared only once every consumer has nothing pending."""
    history = [
        *one_of_each(),
        ev.envelope(
            ev.order_paid(
                117084,
                date(2026, 9, 1),
                ev.subscription(120_000, date(2026, 9, 1), date(2027, 8, 31)),
            )
        ),
        ev.envelope(ev.order_paid(117083, date(2026, 10, 1), ev.course(59_999, date(2027, 1, 20)))),
        school_registered(117083),
    ]
    await ev.publish(nats_url, *history)
    await ledger.transactions_reach(8 + 13 + 2)
    assert ledger.worker
    await caught_up(ledger.worker.link.jetstream, ledger.worker.consumers)
    live_consumers = await consumer_names(nats_url)

    fresh = registry.service(
        "ledger", database_url=await databases.new("ledger_replay"), nats_url=nats_url
    )
    try:
        rebuilt = await rebuild(ledger.service, fresh, carry=False)
    finally:
        await fresh.engine.dispose()

    assert rebuilt.differences == [], "\n".join(rebuilt.differences)
    assert rebuilt.rebuilt_rows["journal_transactions"] == 8 + 13 + 2
    assert rebuilt.rebuilt_rows["schools"] == 1  # the register came back from its event too
    assert rebuilt.rebuilt_rows == rebuilt.live_rows
    assert await consumer_names(nats_url) == live_consumers  # the live ones untouched, none left


async def consumer_names(nats_url: str) -> dict[str, list[str]]:
    connection = await nats.connect(nats_url)
    try:
        jetstream = connection.jetstream()
        return {
            stream: sorted(info.name for info in await jetstream.consumers_info(stream))
            for stream in ("ORDERS", "COMMISSIONING")
        }
    finally:
        await connection.close()


async def test_a_mistake_is_reversed_by_a_new_transaction_and_nothing_is_deleted(
    ledger: Ledger,
) -> None:
    sale = ev.envelope(ev.order_paid(117083, date(2026, 10, 5), ev.line(50_000)))
    await ev.publish(ledger.service.settings.nats_url, sale)
    (original,) = await ledger.transactions_reach(1)

    undo = await ledger.post(
        f"/transactions/{original['id']}/reverse",
        {"reason": "duplicate payment", "on": "2026-10-06"},
    )
    assert undo["reverses_id"] == original["id"] and undo["kind"] == "reversal"
    assert {p["account"]: p["amount_pence"] for p in undo["postings"]} == {
        p["account"]: -p["amount_pence"] for p in original["postings"]
    }
    found = await ledger.get("/transactions")
    assert [t["id"] for t in found] == [original["id"], undo["id"]]
    assert found[0] == original  # the original is untouched
    assert await ledger.get("/transactions", limit=1, offset=1) == [undo]  # a page
    assert set((await balances(ledger)).values()) == {0}

    again = await ledger.client.post(
        f"/transactions/{original['id']}/reverse",
        json={"reason": "again"},
        headers=auth(Role.FINANCE),
    )
    assert again.status_code == 409
    school = await ledger.client.post(
        f"/transactions/{original['id']}/reverse",
        json={"reason": "mine"},
        headers=auth(Role.SCHOOL, 117083),
    )
    assert school.status_code == 403


async def test_a_reversal_dated_before_what_it_undoes_is_refused_naming_its_day(
    ledger: Ledger,
) -> None:
    """Dated 30 September, the reversal of a sale of 5 October would take £500 of income out of
    September, a month the sale was never in."""
    sale = ev.envelope(ev.order_paid(117083, date(2026, 10, 5), ev.line(50_000)))
    await ev.publish(ledger.service.settings.nats_url, sale)
    (original,) = await ledger.transactions_reach(1)

    refused = await ledger.client.post(
        f"/transactions/{original['id']}/reverse",
        json={"reason": "duplicate payment", "on": "2026-09-30"},
        headers=auth(Role.FINANCE),
    )

    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == "on"
    assert "5 October 2026" in refused.json()["detail"]
    assert await ledger.get("/transactions") == [original]
    september = await ledger.get(
        "/reports/traded-income", by="month", start="2026-09-01", end="2026-09-30"
    )
    assert september["income_pence"] == 0
    on_the_day = await ledger.post(
        f"/transactions/{original['id']}/reverse", {"reason": "duplicate", "on": "2026-10-05"}
    )
    assert on_the_day["dated"] == "2026-10-05"


async def test_a_sale_whose_income_the_book_recognises_later_is_not_reversed_alone(
    ledger: Ledger,
) -> None:
    term = ev.subscription(120_000, date(2027, 9, 1), date(2028, 8, 31))  # all still to come
    sale = ev.envelope(ev.order_paid(117083, date(2026, 10, 5), term))
    await ev.publish(ledger.service.settings.nats_url, sale)
    (original,) = await ledger.transactions_reach(1)
    before = await balances(ledger)

    refused = await ledger.client.post(
        f"/transactions/{original['id']}/reverse",
        json={"reason": "sold in error"},
        headers=auth(Role.FINANCE),
    )

    assert refused.status_code == 409
    assert refused.json()["field"] == "transaction_id"
    assert "Give the sale back in orders, by a refund or a credit note" in refused.json()["detail"]
    assert await ledger.get("/transactions") == [original]
    assert await balances(ledger) == before


async def test_a_refund_that_takes_back_income_the_book_recognises_later_is_not_reversed_alone(
    ledger: Ledger,
) -> None:
    order_id = uuid4()
    term = ev.subscription(120_000, date(2027, 9, 1), date(2028, 8, 31))  # all still to come
    sale = ev.order_paid(117083, date(2026, 10, 5), term, order_id=order_id)
    refund = ev.refund_issued(
        117083, date(2026, 10, 20), term, reference=sale.payment_reference, order_id=order_id
    )
    for event in (sale, refund):
        await ev.publish(ledger.service.settings.nats_url, ev.envelope(event))
    await ledger.transactions_reach(2)
    given_back = next(
        found for found in await ledger.get("/transactions") if found["dated"] == "2026-10-20"
    )
    before = await balances(ledger)

    refused = await ledger.client.post(
        f"/transactions/{given_back['id']}/reverse",
        json={"reason": "refunded in error"},
        headers=auth(Role.FINANCE),
    )

    assert refused.status_code == 409
    assert refused.json()["field"] == "transaction_id"
    assert "deferred income" in refused.json()["detail"]
    assert await balances(ledger) == before


async def test_a_trust_s_invoice_reads_in_the_journal_as_the_trust_s_not_its_first_school_s(
    ledger: Ledger,
) -> None:
    first, other = 117083, 117088  # the event names its first school; each line its own
    raised = ev.invoice_raised(
        first, date(2026, 10, 5), ev.for_school(other, ev.line(50_000)), number="INV-T1"
    )
    await ev.publish(ledger.service.settings.nats_url, ev.envelope(ev.by_trust(raised)))
    await ledger.transactions_reach(1)

    (sale,) = await ledger.get("/journal", as_of="2026-12-31")

    assert sale["description"] == "Invoice INV-T1 to trust DEMO-1"
    assert (sale["urn"], sale["school_name"]) == (None, None)


async def test_a_trust_s_invoice_of_500_subscriptions_is_posted_and_announced(
    databases: DatabaseFactory, nats_url: str
) -> None:
    """Fifty schools each taking ten annual subscriptions in one checkout: the sale is posted
    and its event sent (one posting a month of each line had made it too large to send)."""
    await reset_streams(nats_url)
    start = date(2026, 9, 1)
    raised = ev.trust_subscriptions(50, 10, start, date(2027, 8, 31), number="INV-T500")
    async with running_ledger(databases, nats_url, today=start) as ledger:
        await ev.publish(nats_url, ev.envelope(raised))
        (sale,) = await ledger.transactions_reach(1)
        assert sale["kind"] == "sale"
        assert await eventually(lambda: everything_sent(ledger))


async def everything_sent(ledger: Ledger) -> bool:
    assert ledger.worker
    return await ledger.worker.relay.pending() == 0


async def test_a_closed_month_takes_no_postings_they_go_to_the_next_open_month(
    ledger: Ledger,
) -> None:
    closed = await ledger.post("/periods/2026-10/close", None)
    assert closed["month"] == "2026-10"
    assert await ledger.get("/periods") == [{"month": "2026-10", "closed_by": "test-finance"}]
    refused = await ledger.client.post("/periods/2026-10/close", headers=auth(Role.FINANCE))
    assert refused.status_code == 409
    by_an_officer = await ledger.client.post(
        "/periods/2026-11/close", headers=auth(Role.LA_OFFICER)
    )
    assert by_an_officer.status_code == 403
    not_a_month = await ledger.client.post("/periods/2026-13/close", headers=auth(Role.FINANCE))
    assert not_a_month.status_code == 422

    late = ev.envelope(
        ev.invoice_raised(117084, date(2026, 10, 20), ev.line(40_000), number="INV-3")
    )
    await ev.publish(ledger.service.settings.nats_url, late)
    (posted,) = await ledger.transactions_reach(1)
    assert (posted["dated"], posted["posted_on"]) == ("2026-10-20", "2026-11-01")
    assert posted["note"] == "dated 2026-10-20 in closed period 2026-10; posted in 2026-11"
    october = await ledger.get("/balances", as_of="2026-10-31")
    assert {row["balance_pence"] for row in october} == {0}

    rent = october_rent("OVH-2026-10")
    entry = await ledger.post("/journals", rent)
    assert entry["posted_on"] == "2026-11-01" and entry["strand"] == "core"
    assert (await ledger.post("/journals", rent, status=200))["id"] == entry["id"]


async def test_strands_never_leak_into_each_other(ledger: Ledger) -> None:
    await ev.publish(ledger.service.settings.nats_url, *one_of_each())
    await ledger.transactions_reach(8)
    income = await ledger.get("/reports/income-by-strand", as_of="2027-03-31")
    assert income == {
        "traded_pence": 50_000 + 10_001 - 20_000 - 1_000,
        "statutory_pence": 3_000_001 - 100_000,
        "total_pence": 39_001 + 2_900_001,
        "start": "2026-04-01",
        "as_of": "2027-03-31",
        "counts": "income recognised (earned), this financial year to the as-of date, before VAT",
    }
    mixed = await ledger.client.post(
        "/journals",
        json=journal(
            "MIX",
            "traded cost against statutory income",
            "2026-11-01",
            ("traded:cost:delivery", 100),
            ("statutory:income:hcc-si-2026", -100),
        ),
        headers=auth(Role.FINANCE),
    )
    assert mixed.status_code == 422 and "may not mix" in mixed.json()["detail"]
    by_contract = await ledger.get("/reports/statutory-by-contract", financial_year="2026-27")
    assert by_contract["income_pence"] == 2_900_001 and by_contract["cost_pence"] == 90_000
    strands = Counter(t["strand"] for t in await ledger.get("/transactions"))
    assert strands == {"traded": 5, "statutory": 3}


async def test_a_transaction_reversed_twice_at_once_is_reversed_once(ledger: Ledger) -> None:
    sale = ev.envelope(ev.order_paid(117083, date(2026, 10, 5), ev.line(30_000)))
    await ev.publish(ledger.service.settings.nats_url, sale)
    (original,) = await ledger.transactions_reach(1)

    answers = await asyncio.gather(
        *(
            ledger.client.post(
                f"/transactions/{original['id']}/reverse",
                json={"reason": reason},
                headers=auth(Role.FINANCE),
            )
            for reason in ("duplicate payment", "paid twice")
        )
    )

    assert sorted(answer.status_code for answer in answers) == [201, 409]
    [refused] = [answer.json() for answer in answers if answer.status_code == 409]
    assert refused == {
        "detail": f"transaction {original['id']} is already reversed",
        "field": "transaction_id",
    }
    assert [t["kind"] for t in await ledger.get("/transactions")].count("reversal") == 1
    assert set((await balances(ledger)).values()) == {0}


async def test_one_journal_sent_twice_at_once_is_posted_once(ledger: Ledger) -> None:
    """A finance officer's double click: the journal's reference makes it one transaction."""
    answers = await asyncio.gather(
        *(
            ledger.client.post(
                "/journals", json=october_rent("OVH-TWICE"), headers=auth(Role.FINANCE)
            )
            for _ in "ab"
        )
    )

    assert all(answer.status_code in (200, 201) for answer in answers), [a.text for a in answers]
    assert len({answer.json()["id"] for answer in answers}) == 1
    assert len(await ledger.get("/transactions")) == 1


async def test_a_journal_line_names_a_contract_by_its_id_or_is_refused(ledger: Ledger) -> None:
    """A contract's id is a UUID: anything else (up to 60 characters once got through) would
    not fit the postings' column on PostgreSQL, nor name a contract on SQLite."""
    rent = october_rent("OVH-CONTRACT")
    for not_an_id in ("C" * 37, "C" * 60):
        rent["lines"][0]["contract_id"] = not_an_id
        refused = await ledger.client.post("/journals", json=rent, headers=auth(Role.FINANCE))
        assert refused.status_code == 422, refused.text
        assert refused.json()["field"] == "lines.0.contract_id"
    assert await ledger.get("/transactions") == []

    contract_id = uuid4()
    rent["lines"][0]["contract_id"] = str(contract_id).upper()
    entry = await ledger.post("/journals", rent)
    assert [posting["contract_id"] for posting in entry["postings"]] == [str(contract_id), None]
