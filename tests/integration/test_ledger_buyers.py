"""Who bought, for traded income by phase, buy-back and renewal: a school that bought through its
academy trust, and one whose purchase was refunded or credited in full, fed through real
JetStream into a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest

from shared.events import Event
from tests.support import ledger_events as ev
from tests.support.commissioning_app import school_registered
from tests.support.databases import DatabaseFactory
from tests.support.ledger_app import Ledger, running_ledger
from tests.support.platform import eventually, reset_streams

pytestmark = pytest.mark.usefixtures("backend")

HR = ev.line
# The register: Primary 117083 and 117084, Secondary 117499 and 117504 (see `ev.SCHOOLS`), all
# in Hertfordshire (LA 919), and Primary LUTON_PRIMARY in Luton (LA 821).
EVENTS: list[Event] = [
    # 2025-26: 117083 buys; 117504's invoice is credited in full, so it bought nothing
    ev.order_paid(117083, date(2025, 6, 10), HR(10_000), reference="pi_old"),
    ev.invoice_raised(117504, date(2025, 7, 1), HR(40_000), number="INV-OLD"),
    ev.credit_note(117504, date(2025, 7, 20), HR(40_000), invoice="INV-OLD"),
    # 2026-27: the trust (its first school the Primary 117083, in Hertfordshire) buys for 117083,
    # 117084, 117499 and the Primary LUTON_PRIMARY in Luton
    ev.by_trust(
        ev.invoice_raised(
            117083,
            date(2026, 9, 10),
            ev.for_school(117083, HR(100_000)),
            ev.for_school(117084, HR(80_000)),
            ev.for_school(117499, HR(50_000)),
            ev.for_school(ev.LUTON_PRIMARY, HR(20_000)),  # in another LA
            number="INV-T1",
        )
    ),
    # 117499's own invoice credited in full does not undo what it bought through the trust
    ev.invoice_raised(117499, date(2026, 10, 1), HR(30_000), number="INV-1"),
    ev.credit_note(117499, date(2026, 10, 8), HR(30_000), invoice="INV-1"),
    # 117504 pays by card in December and has it all back: no purchase (read from the postings
    # for a period ending mid-December, from the balances for the whole year)
    ev.order_paid(117504, date(2026, 12, 2), HR(20_000), reference="pi_1"),
    ev.refund_issued(117504, date(2026, 12, 9), HR(20_000), reference="pi_1"),
]


@pytest.fixture
async def ledger(databases: DatabaseFactory, nats_url: str) -> AsyncIterator[Ledger]:
    await reset_streams(nats_url)
    async with running_ledger(databases, nats_url, today=date(2027, 3, 31)) as running:
        await ev.publish(
            nats_url, *(school_registered(urn) for urn in ev.SCHOOLS), ev.registered_in_luton()
        )

        async def registered() -> bool:
            async with running.service.unit_of_work() as uow:
                return len(await uow.register.names()) == len(ev.SCHOOLS) + 1

        await eventually(registered)  # before the sales: a trust's lines take phase and LA from it
        await ev.publish(nats_url, *(ev.envelope(event) for event in EVENTS))
        await running.transactions_reach(len(EVENTS))
        yield running


async def test_a_trust_s_purchase_is_traded_income_of_each_school_s_phase(ledger: Ledger) -> None:
    report = await ledger.get(
        "/reports/traded-income", by="phase", start="2026-04-01", end="2027-03-31"
    )
    assert {row["phase"]: row["income_pence"] for row in report["rows"]} == {
        "Primary": 200_000,  # 117083, 117084 and LUTON_PRIMARY through the trust
        "Secondary": 50_000,  # 117499 through the trust; the credit and the refund net to nil
    }
    by_school = await ledger.get(
        "/reports/traded-income", by="school", start="2026-04-01", end="2027-03-31"
    )
    assert {row["school"]: row["income_pence"] for row in by_school["rows"]} == {
        117083: 100_000,
        117084: 80_000,
        117499: 50_000,
        117504: 0,
        ev.LUTON_PRIMARY: 20_000,
    }


async def test_a_trust_s_purchase_is_traded_income_of_each_school_s_la(ledger: Ledger) -> None:
    report = await ledger.get(
        "/reports/traded-income", by="la", start="2026-04-01", end="2027-03-31"
    )
    assert {row["la"]: row["income_pence"] for row in report["rows"]} == {
        "919": 230_000,  # Hertfordshire's schools, the trust's first school among them
        "821": 20_000,  # LUTON_PRIMARY, though its trust's first school is in Hertfordshire
    }


@pytest.mark.parametrize("as_of", ["2026-12-15", "2027-03-31"])
async def test_buy_back_and_renewal_count_trust_schools_and_not_what_was_all_given_back(
    ledger: Ledger, as_of: str
) -> None:
    report = await ledger.get("/reports/sustainability", financial_year="2026-27", as_of=as_of)
    assert {key: report[key] for key in report if key.startswith("buy_back_")} == {
        "buy_back_Primary_percent": 100.0,  # both bought through the trust
        "buy_back_Secondary_percent": 50.0,  # 117499 did; 117504 had its money back
    }
    assert report["renewal_rate_percent"] == 100.0  # last year's one buyer, 117083, bought again
