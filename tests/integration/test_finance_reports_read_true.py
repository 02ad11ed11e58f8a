"""The finance reports say what the book holds, as a finance officer reads them: percentages to
one decimal place, alike on the page and in its files, the shares of income adding up to
100.0%; a year gone by read as it closed; nothing counted ahead of its day; a period that ends
before it starts refused; a month to its end set beside the whole month a year earlier. Money
events go through real JetStream into the real ledger; the portal reads it, signed in as
finance."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest
from openpyxl import load_workbook

from shared.events import Event
from tests.support import ledger_events as ev
from tests.support.commissioning_app import school_registered
from tests.support.databases import DatabaseFactory
from tests.support.ledger_app import FINANCE, Ledger, journal, running_ledger
from tests.support.platform import eventually, reset_streams
from tests.support.portal_pages import signed_in_where_only, text_of

pytestmark = pytest.mark.usefixtures("backend")

TODAY = date(2026, 12, 6)
SHEPHERD_PRIMARY = 117096  # a third primary on the register, which bought nothing
REGISTER = (*ev.SCHOOLS, SHEPHERD_PRIMARY)
HR, COURSE = ev.line, ev.course
# This financial year to today: £1,000 from each of schools, the council and a grant
THIS_YEAR: list[Event] = [
    ev.order_paid(117083, date(2026, 6, 10), HR(10_000), reference="pi_1"),
    ev.order_paid(117084, date(2026, 10, 1), COURSE(60_000, date(2026, 11, 20)), reference="pi_2"),
    ev.invoice_raised(117499, date(2026, 12, 1), HR(30_000), number="INV-1"),
    ev.la_invoice(100_000, date(2026, 7, 31), number="LA-1"),
    ev.la_invoice(100_000, date(2026, 10, 31), number="LA-2", funding="grant"),
]
POSTED = len(THIS_YEAR) + 1  # the course, earned on its day
# Last financial year: £50,000 of reserves, then £3,000 of overheads a month from January;
# this year £20,000 more in November
JOURNALS = [
    ("RES-OPEN", "Opening reserves", "2025-04-01", "reserves", 5_000_000),
    ("OVH-2601", "Rent, January", "2026-01-20", "core:cost:overheads", -300_000),
    ("OVH-2602", "Rent, February", "2026-02-20", "core:cost:overheads", -300_000),
    ("OVH-2603", "Rent, March", "2026-03-20", "core:cost:overheads", -300_000),
    ("OVH-2611", "Salaries, November", "2026-11-10", "core:cost:overheads", -2_000_000),
]
SHARES = ("traded_share_percent", "statutory_share_percent", "grant_share_percent")


@pytest.fixture
async def ledger(databases: DatabaseFactory, nats_url: str) -> AsyncIterator[Ledger]:
    await reset_streams(nats_url)
    async with running_ledger(databases, nats_url, today=TODAY) as running:
        await ev.publish(nats_url, *(school_registered(urn) for urn in REGISTER))

        async def registered() -> bool:
            async with running.service.unit_of_work() as uow:
                return len(await uow.register.names()) == len(REGISTER)

        await eventually(registered)
        await ev.publish(nats_url, *(ev.envelope(event) for event in THIS_YEAR))
        await running.transactions_reach(POSTED)
        for reference, description, on, account, bank in JOURNALS:
            body = journal(reference, description, on, ("bank", bank), (account, -bank))
            await running.post("/journals", body)
        yield running


@pytest.fixture
async def finance(ledger: Ledger) -> AsyncIterator[httpx.AsyncClient]:
    """The portal, its clock on the ledger's day, signed in as finance; only the ledger answers."""
    async with signed_in_where_only("finance", {"ledger": ledger.client}, today=TODAY) as client:
        yield client


async def test_percentages_read_to_one_decimal_place_alike_on_the_page_and_in_its_files(
    ledger: Ledger, finance: httpx.AsyncClient
) -> None:
    """£1,000 each of traded, statutory and grant income: a third each, which rounded alone
    reads 33.3% three times, 99.9% in all; 2 of the register's 3 primaries bought (66.7%)."""
    report = await ledger.get("/reports/sustainability")
    shares = [report[key] for key in SHARES]
    assert sorted(shares) == [33.3, 33.3, 33.4]
    assert round(sum(shares), 1) == 100.0
    assert report["buy_back_Primary_percent"] == 66.7
    assert report["buy_back_Secondary_percent"] == 50.0
    by_measure = {row["measure"]: row for row in report["rows"]}
    labels = {key: by_measure[key]["label"] for key in (*SHARES, "buy_back_Primary_percent")}

    page = text_of((await finance.get("/finance/reports/sustainability")).text)
    for key, label in labels.items():
        assert f"{label} {report[key]:.1f}%" in page, key
    assert "Buy-back: Primary schools 66.7%" in page
    assert not re.search(r"\d\.\d\d+%", page)  # never two places or more

    exported = (await finance.get("/finance/reports/sustainability/csv")).text
    lines = {line[0]: line[1] for line in csv.reader(io.StringIO(exported))}
    for key, label in labels.items():
        assert lines[f"{label} (%)"] == f"{report[key]:.1f}", key

    xlsx = await finance.get("/finance/reports/sustainability/xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    cells = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    share_cells = [cells[f"{labels[key]} (%)"] for key in SHARES]
    assert {cell.number_format for cell in share_cells} == {"0.0%"}
    assert sum(cell.value for cell in share_cells) == pytest.approx(1.0)

    dashboard = (await finance.get("/finance")).text
    buy_back = text_of(dashboard.split('id="buy-back">', 1)[1].split("</figure>", 1)[0])
    assert "Primary 66.7%" in buy_back and "Secondary 50.0%" in buy_back


async def test_a_year_gone_by_reads_its_reserves_and_burn_as_it_closed(ledger: Ledger) -> None:
    """Asked in December for 2025-26, the reserves are those at 31 March 2026 and the burn is
    January to March's, not this year's November salaries."""
    report = await ledger.get("/reports/sustainability", financial_year="2025-26")
    assert {key: report[key] for key in (
        "as_of", "reserves_pence", "net_burn_months", "monthly_net_burn_pence", "runway_months"
    )} == {
        "as_of": "2026-03-31",
        "reserves_pence": 4_100_000,  # £50,000 less three months' £3,000
        "net_burn_months": "2026-01,2026-02,2026-03",
        "monthly_net_burn_pence": 300_000,
        "runway_months": 13.7,  # 4,100,000 / 300,000 = 13.67
    }  # fmt: skip
    shown = {row["label"]: row["shown"] for row in report["rows"]}
    assert shown["As at"] == "31 March 2026"


async def test_a_report_asked_for_a_day_not_yet_come_counts_to_today(
    ledger: Ledger, finance: httpx.AsyncClient
) -> None:
    """A journal of January's HR income, posted in December, is not income on the dashboard
    asked for 31 March; nor is December's invoice four months old."""
    accrued = journal(
        "ACC-2701",
        "HR advice for January, agreed",
        "2027-01-15",
        ("receivables:schools", 50_000),
        ("traded:income:hr-and-employment", -50_000),
    )
    await ledger.post("/journals", accrued)
    future = {"as_of": "2027-03-31"}

    by_strand = await ledger.get("/reports/income-by-strand", **future)
    assert (by_strand["as_of"], by_strand["traded_pence"]) == ("2026-12-06", 100_000)
    by_month = await ledger.get("/reports/traded-income", by="month", end="2027-03-31")
    assert by_month["as_of"] == "2026-12-06"
    assert "2027-01" not in {row["month"] for row in by_month["rows"]}
    aged = await ledger.get("/reports/aged-debt", **future)
    assert [(row["urn"], row["0-30_pence"], row["90+_pence"]) for row in aged["rows"]] == [
        (117499, 36_000, 0),  # INV-1, five days old
        (None, 0, 120_000),  # the LA: LA-1, 128 days old (LA-2, 36 days, is 31 to 60)
    ]
    trial = await ledger.get("/reports/trial-balance", **future)
    assert trial["as_of"] == "2026-12-06"
    balances = {row["code"]: row for row in await ledger.get("/balances", **future)}
    assert balances["traded:income:hr-and-employment"]["balance_pence"] == -40_000

    page = (await finance.get("/finance", params=future)).text
    assert "As of 6 December 2026." in text_of(page)
    strand = text_of(page.split('id="income-by-strand">', 1)[1].split("</figure>", 1)[0])
    assert "Traded £1,000.00" in strand
    listed = text_of((await finance.get("/finance/balances", params=future)).text)
    assert "at the end of 6 December 2026" in listed


async def test_a_period_that_ends_before_it_starts_is_refused_naming_its_start(
    ledger: Ledger,
) -> None:
    """15 November to 10 October has no days: read as months, it had counted November's course
    and the first days of October."""
    for path in ("/reports/traded-income", "/reports/accounts/bank/statement"):
        refused = await ledger.client.get(
            path, params={"start": "2026-11-15", "end": "2026-10-10"}, headers=FINANCE
        )
        assert refused.status_code == 422, (path, refused.text)
        assert refused.json()["field"] == "start"
        assert "15 November 2026" in refused.json()["detail"]


async def test_a_february_to_its_end_is_set_beside_the_whole_february_before(
    databases: DatabaseFactory, nats_url: str
) -> None:
    """Governance at £100 a month, earned on each month's last day: on 28 February 2029 last
    year's February was earned on the 29th, which a year earlier than the 28th had left out."""
    await reset_streams(nats_url)
    sold = [
        ev.invoice_raised(117083, start, ev.subscription(120_000, start, end), number=number)
        for start, end, number in (
            (date(2027, 9, 1), date(2028, 8, 31), "INV-2027"),
            (date(2028, 9, 1), date(2029, 8, 31), "INV-2028"),
        )
    ]
    async with running_ledger(
        databases, nats_url, name="ledger_2029", today=date(2029, 2, 28)
    ) as ledger:
        await ev.publish(nats_url, *(ev.envelope(event) for event in sold))
        await ledger.transactions_reach(len(sold) + 12 + 6)  # every month's part to February

        by_month = await ledger.get("/reports/traded-income", by="month")
        february = {row["month"]: row for row in by_month["rows"]}["2029-02"]
        assert (february["income_pence"], february["last_year_pence"]) == (10_000, 10_000)
        # April to February: eleven months each year (last year's September to February)
        assert (by_month["income_pence"], by_month["last_year_pence"]) == (110_000, 60_000)
