"""The finance dashboard agrees with itself and with the ledger's API: income by strand,
traded income by month, by service and by account are one quantity (income recognised this
financial year to the as-of day, before VAT) cut four ways, so each adds up to the same total.
A year of money events goes through real JetStream into the real ledger; the portal reads it."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest

from shared.events import Event
from tests.support import ledger_events as ev
from tests.support.commissioning_app import school_registered
from tests.support.databases import DatabaseFactory
from tests.support.ledger_app import Ledger, journal, running_ledger
from tests.support.platform import reset_streams
from tests.support.portal_pages import signed_in_where_only, text_of

pytestmark = pytest.mark.usefixtures("backend")

AS_OF = date(2027, 2, 15)
HR, SUB, COURSE = ev.line, ev.subscription, ev.course
A_YEAR: list[Event] = [
    ev.order_paid(117083, date(2025, 6, 10), HR(100_000), reference="pi_last_year"),
    ev.order_paid(117084, date(2026, 6, 10), HR(200_000), reference="pi_1"),
    ev.refund_issued(117084, date(2026, 7, 1), HR(50_000), reference="pi_1"),
    # £1,200 of governance, September 2026 to August 2027: £500 earned by 15 February
    ev.invoice_raised(
        117083, date(2026, 9, 1), SUB(120_000, date(2026, 9, 1), date(2027, 8, 31)), number="INV-1"
    ),
    ev.order_paid(117084, date(2026, 10, 1), COURSE(60_000, date(2026, 11, 20)), reference="pi_2"),
    ev.order_paid(117499, date(2026, 12, 1), COURSE(40_000, date(2027, 3, 10)), reference="pi_3"),
    ev.invoice_raised(117499, date(2026, 12, 1), HR(30_000), number="INV-2"),
    ev.credit_note(117499, date(2026, 12, 20), HR(10_000), invoice="INV-2"),
    ev.la_invoice(1_000_000, date(2026, 7, 31), number="LA-1"),
    ev.la_invoice(500_000, date(2026, 10, 31), number="LA-2", funding="grant"),
    ev.service_credit(50_000, date(2026, 11, 5)),
    ev.deployment(300_000, date(2026, 9, 20), urn=117504),
]
RECOGNISED_BY_AS_OF = 5 + 1  # five months of governance, the November course
TRADED = 200_000 - 50_000 + 5 * 10_000 + 60_000 + 30_000 - 10_000  # by hand: £2,800
STATUTORY = 1_000_000 + 500_000 - 50_000


@pytest.fixture
async def ledger(databases: DatabaseFactory, nats_url: str) -> AsyncIterator[Ledger]:
    await reset_streams(nats_url)
    async with running_ledger(databases, nats_url, today=AS_OF) as running:
        register = [school_registered(urn) for urn in ev.SCHOOLS]
        await ev.publish(nats_url, *register, *(ev.envelope(e) for e in A_YEAR))
        await running.transactions_reach(len(A_YEAR) + RECOGNISED_BY_AS_OF)
        yield running


@pytest.fixture
async def finance(ledger: Ledger) -> AsyncIterator[httpx.AsyncClient]:
    """The portal, its clock on the ledger's day, signed in as finance; only the ledger answers."""
    async with signed_in_where_only("finance", {"ledger": ledger.client}, today=AS_OF) as client:
        yield client


def chart(page: str, section: str, *, paired: bool = False) -> dict[str, int]:
    """A chart's bars as label → pence (this year's, for a chart of pairs)."""
    part = page.split(f'id="{section}">', 1)[1].split("</figure>", 1)[0]
    labels = re.findall(r'portal-chart__label">([^<]*)</dt>', part)
    figures = re.findall(r'portal-chart__figure">([^<]*)</span>', part)
    shown = figures[::2] if paired else figures
    assert len(labels) == len(shown), section
    return {label.strip(): pence(figure) for label, figure in zip(labels, shown, strict=True)}


def pence(pounds: str) -> int:
    return round(float(pounds.replace("£", "").replace(",", "")) * 100)


def income_rows(report: dict[str, Any]) -> dict[str, int]:
    return {
        row["name"] or str(row[report["columns"][0]]): row["income_pence"] for row in report["rows"]
    }


async def test_every_income_figure_on_the_dashboard_agrees_with_the_others_and_the_ledger(
    finance: httpx.AsyncClient, ledger: Ledger
) -> None:
    page = (await finance.get("/finance")).text

    by_strand = chart(page, "income-by-strand")
    assert by_strand == {"Traded": TRADED, "Statutory": STATUTORY}
    assert sum(chart(page, "traded-by-month", paired=True).values()) == TRADED
    assert sum(chart(page, "top-services").values()) == TRADED  # three services, all shown
    assert sum(chart(page, "traded-accounts").values()) == TRADED
    assert sum(chart(page, "statutory-accounts").values()) == STATUTORY

    api = await ledger.get("/reports/income-by-strand")
    assert (api["traded_pence"], api["statutory_pence"]) == (TRADED, STATUTORY)
    by_service = await ledger.get("/reports/traded-income", by="service")
    assert chart(page, "top-services") == income_rows(by_service)
    by_category = await ledger.get("/reports/traded-income", by="category")
    assert sum(income_rows(by_category).values()) == TRADED

    words = text_of(page)
    assert "As of 15 February 2027." in words
    assert (
        "income recognised (earned) this financial year, from 1 April 2026 to 15 February 2027, before VAT"
        in words
    )


async def test_the_dashboard_and_balances_show_another_day_when_asked(
    finance: httpx.AsyncClient,
) -> None:
    page = (await finance.get("/finance", params={"as_of": "2026-09-30"})).text
    # June's HR less its refund, and September's month of governance
    assert chart(page, "income-by-strand")["Traded"] == 200_000 - 50_000 + 10_000
    table = re.search(r'href="(/finance/reports/traded-income\?by=month[^"]*)"', page)
    assert table and table.group(1).endswith("as_of=2026-09-30")  # the table shows that day too
    by_month = text_of((await finance.get(table.group(1).replace("&amp;", "&"))).text)
    assert "2026-04-01 to 2026-09-30" in by_month
    balances = text_of(
        (await finance.get("/finance/balances", params={"as_of": "2026-09-30"})).text
    )
    assert "at the end of 30 September 2026" in balances
    assert "Deferred income deferred-income Liability -£1,100.00" in balances


async def test_the_balances_keep_the_company_s_own_income_and_costs_off_the_balance_sheet(
    finance: httpx.AsyncClient, ledger: Ledger
) -> None:
    grant = journal("GRANT-1", "Grant", "2026-11-02", ("bank", 400_000), ("grant:income", -400_000))
    rent = journal(
        "OVH-11", "Rent", "2026-11-30", ("core:cost:overheads", 150_000), ("bank", -150_000)
    )
    for body in (grant, rent):
        await ledger.post("/journals", body)
    page = (await finance.get("/finance/balances")).text

    def table(section: str) -> str:
        return text_of(page.split(f'id="{section}">', 1)[1].split("</table>", 1)[0])

    company, balance_sheet = table("company"), table("shared")
    assert company.startswith("Company (core) and grant accounts")
    assert "Grant income grant:income Income -£4,000.00" in company
    assert "Overheads core:cost:overheads Expense £1,500.00" in company
    assert balance_sheet.startswith("Shared balance-sheet accounts")
    assert "Bank bank Asset" in balance_sheet and "Deferred income" in balance_sheet
    assert "Bank" not in company and "Grant income" not in balance_sheet
    assert "Overheads" not in balance_sheet and " Income " not in balance_sheet


async def test_the_aged_debt_chart_keeps_what_schools_owe_apart_from_what_the_la_owes(
    finance: httpx.AsyncClient, ledger: Ledger
) -> None:
    """The page says the strands are never added together: what schools and trusts owe
    (traded) is one chart, what the LA owes (statutory) another, each band as the table has it."""
    page = (await finance.get("/finance")).text
    aged = await ledger.get("/reports/aged-debt")
    bands = {
        "Up to 30 days": "0-30_pence",
        "31 to 60 days": "31-60_pence",
        "61 to 90 days": "61-90_pence",
        "Over 90 days": "90+_pence",
    }

    def owed(strand: str) -> dict[str, int]:
        rows = [row for row in aged["rows"] if row["strand"] == strand]
        return {label: sum(row[key] for row in rows) for label, key in bands.items()}

    schools, la = owed("traded"), owed("statutory")
    assert sum(schools.values()) and sum(la.values())  # both owe something on the day
    assert chart(page, "aged-debt") == schools
    assert chart(page, "aged-debt-la") == la
    words = text_of(page.split('id="aged-debt">', 1)[1].split("</figure>", 1)[0])
    assert "What schools and academy trusts owe (traded), with VAT" in words
