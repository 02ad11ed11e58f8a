"""Each finance report against a hand-worked example, fed through real JetStream into a real
database. The example: two financial years of four real Hertfordshire schools and one LA
contract; every figure below is worked out by hand in the comments."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest
from fastapi.encoders import jsonable_encoder
from openpyxl import load_workbook

from shared.api.ledger import REPORTS, ReportPublic, StatementPublic
from shared.api.ledger import IncomeReportPublic as IncomePublic
from shared.auth import Role
from shared.events import Event
from tests.support import ledger_events as ev
from tests.support.commissioning_app import school_registered
from tests.support.databases import DatabaseFactory
from tests.support.ledger_app import Ledger, journal, running_ledger
from tests.support.platform import auth, eventually, reset_streams

pytestmark = pytest.mark.usefixtures("backend")

# The day the last of these events' recognitions falls due: all of them are posted by then.
AFTER_EVERY_EVENT = date(2027, 8, 31)

HR, SUB, COURSE = ev.line, ev.subscription, ev.course
EVENTS: list[Event] = [
    # 2025-26: three schools buy HR advice
    ev.order_paid(117083, date(2025, 6, 10), HR(100_000), reference="pi_old"),
    ev.invoice_raised(117499, date(2025, 6, 15), HR(50_000), number="INV-0"),
    ev.invoice_settled(117499, date(2025, 7, 1), number="INV-0", pence=60_000),
    ev.order_paid(117504, date(2025, 9, 1), HR(10_000), reference="pi_old2"),
    # 2026-27: a £1,200 governance subscription Sep 2026–Aug 2027, £100 a month
    ev.invoice_raised(
        117083, date(2026, 9, 1), SUB(120_000, date(2026, 9, 1), date(2027, 8, 31)), number="INV-1"
    ),
    ev.order_paid(117084, date(2026, 6, 10), HR(200_000), reference="pi_1"),
    ev.order_paid(117084, date(2026, 10, 1), COURSE(60_000, date(2026, 11, 20)), reference="pi_2"),
    ev.invoice_settled(117083, date(2026, 10, 15), number="INV-1", pence=72_000),  # half
    ev.invoice_raised(117499, date(2026, 12, 1), HR(30_000), number="INV-2"),
    ev.la_invoice(1_000_000, date(2026, 7, 31), number="LA-1"),
    ev.la_invoice(500_000, date(2026, 10, 31), number="LA-2", funding="grant"),
    ev.deployment(300_000, date(2026, 9, 20), urn=117504),
    ev.service_credit(50_000, date(2026, 11, 5), number="LA-1"),
]
POSTED_BY_EVENTS = len(EVENTS) + 12 + 1  # twelve monthly recognitions, one course day
JOURNALS = [
    ("RES-OPEN", "Opening reserves", "2026-04-01", "reserves", 5_000_000),
    (
        "PD-1",
        "NPQH for two deputy heads",
        "2026-10-10",
        "core:cost:professional-development",
        -20_000,
    ),
    ("OVH-12", "Salaries and rent, December", "2026-12-15", "core:cost:overheads", -2_000_000),
]
PAYOUTS = [
    {"payout_id": "po_1", "arrival_on": "2026-06-12", "amount_pence": 238_000,
     "fee_pence": 2_000, "payment_references": ["pi_1"]},
    {"payout_id": "po_2", "arrival_on": "2026-10-03", "amount_pence": 70_000,
     "fee_pence": 1_000, "payment_references": ["pi_2"]},  # 72,000 in clearing: £10 short
]  # fmt: skip


@pytest.fixture
async def ledger(databases: DatabaseFactory, nats_url: str) -> AsyncIterator[Ledger]:
    await reset_streams(nats_url)
    async with running_ledger(databases, nats_url, today=AFTER_EVERY_EVENT) as running:
        register = [school_registered(urn) for urn in ev.SCHOOLS]
        contract = ev.envelope(ev.contract_signed())
        await ev.publish(nats_url, *register, contract, *(ev.envelope(e) for e in EVENTS))
        await running.transactions_reach(POSTED_BY_EVENTS)

        async def registered() -> bool:
            async with running.service.unit_of_work() as uow:
                return len(await uow.register.names()) == len(ev.SCHOOLS)

        await eventually(registered)

        async def contract_named() -> bool:
            async with running.service.unit_of_work() as uow:
                return bool(await uow.register.contract_names())

        await eventually(contract_named)
        for reference, description, on, account, bank in JOURNALS:
            body = journal(reference, description, on, ("bank", bank), (account, -bank))
            await running.post("/journals", body)
        assert await running.post("/stripe/payouts", PAYOUTS, status=200) == {"imported": 2}
        yield running


def rows(report: dict[str, Any], key: str) -> dict[Any, tuple[Any, ...]]:
    return {
        row[key]: tuple(v for k, v in row.items() if k.endswith("_pence")) for row in report["rows"]
    }


async def test_traded_income_by_school_category_and_month_beside_last_year(ledger: Ledger) -> None:
    year = {"start": "2026-04-01", "end": "2027-03-31"}
    by_school = await ledger.get("/reports/traded-income", by="school", **year)
    # 117083: governance Sep–Mar 7 × £100; last year £1,000 of HR by card
    assert rows(by_school, "school") == {
        117083: (70_000, 100_000, -30_000),
        117084: (260_000, 0, 260_000),  # HR £2,000 in June, the course on 20 November
        117499: (30_000, 50_000, -20_000),
        117504: (0, 10_000, -10_000),
    }
    assert by_school["rows"][0]["name"] == "Abbots Langley School"
    assert (by_school["income_pence"], by_school["last_year_pence"]) == (360_000, 160_000)

    by_category = await ledger.get("/reports/traded-income", by="category", **year)
    assert rows(by_category, "category") == {
        "CPD and leadership": (60_000, 0, 60_000),
        "Governance": (70_000, 0, 70_000),
        "HR and employment": (230_000, 160_000, 70_000),
    }
    by_service = await ledger.get("/reports/traded-income", by="service", **year)
    named = {row["name"]: row["income_pence"] for row in by_service["rows"]}
    assert named == {
        "Governor clerking service": 70_000,
        "Middle leadership programme": 60_000,
        "HR advice line": 230_000,
    }
    by_month = await ledger.get("/reports/traded-income", by="month", **year)
    assert {month: pence[:2] for month, pence in rows(by_month, "month").items()} == {
        "2026-06": (200_000, 150_000),
        "2026-09": (10_000, 10_000),
        "2026-10": (10_000, 0),
        "2026-11": (70_000, 0),
        "2026-12": (40_000, 0),
        "2027-01": (10_000, 0),
        "2027-02": (10_000, 0),
        "2027-03": (10_000, 0),
    }
    by_phase = await ledger.get("/reports/traded-income", by="phase", **year)
    assert rows(by_phase, "phase") == {
        "Primary": (330_000, 100_000, 230_000),
        "Secondary": (30_000, 60_000, -30_000),
    }
    by_la = await ledger.get("/reports/traded-income", by="la", **year)
    assert rows(by_la, "la") == {"919": (360_000, 160_000, 200_000)}


async def test_statutory_income_and_cost_by_contract_lead_with_its_reference_and_title(
    ledger: Ledger,
) -> None:
    report = await ledger.get("/reports/statutory-by-contract", financial_year="2026-27")
    (row,) = report["rows"]
    # £10,000 + £5,000 invoiced, less a £500 service credit; £3,000 of provider days
    assert (row["contract"], row["income_pence"], row["cost_pence"], row["surplus_pence"]) == (
        "HCC-SI-2026",
        1_450_000,
        300_000,
        1_150_000,
    )
    assert row["contract_id"] == str(ev.CONTRACT)  # still there for machines
    assert row["title"] == "School improvement support 2026-27"
    assert report["columns"][:2] == ["contract", "title"]
    assert [h["heading"] for h in report["headings"]] == [
        "Contract reference",
        "Contract title",
        "Income",
        "Delivery cost",
        "Surplus",
    ]
    exported = await ledger.client.get(
        "/reports/statutory-by-contract",
        params={"financial_year": "2026-27", "format": "csv"},
        headers=auth(Role.FINANCE),
    )
    assert list(csv.reader(io.StringIO(exported.text))) == [
        ["Contract reference", "Contract title", "Income (£)", "Delivery cost (£)", "Surplus (£)"],
        ["HCC-SI-2026", "School improvement support 2026-27", "14500.00", "3000.00", "11500.00"],
    ]


async def test_a_report_for_a_year_not_yet_begun_is_refused_not_filled_with_another_years_days(
    ledger: Ledger,
) -> None:
    """On 6 December 2026, 2027-28 has not begun: December 2026's income is not its."""
    for path in ("/reports/sustainability", "/reports/statutory-by-contract"):
        for file_format in ("json", "csv"):
            refused = await ledger.client.get(
                path,
                params={"financial_year": "2027-28", "as_of": "2026-12-06", "format": file_format},
                headers=auth(Role.FINANCE),
            )
            assert refused.status_code == 422, (path, file_format, refused.text)
            assert refused.json() == {
                "detail": "the financial year 2027-28 has not begun on 6 December 2026: "
                "it begins on 1 April 2027",
                "field": "financial_year",
            }


async def test_aged_debt_by_school(ledger: Ledger) -> None:
    report = await ledger.get("/reports/aged-debt", as_of="2026-12-31")
    assert [
        (r["urn"], r["name"], r["0-30_pence"], r["31-60_pence"], r["61-90_pence"], r["90+_pence"])
        for r in report["rows"]
    ] == [
        (117083, "Abbots Langley School", 0, 0, 0, 72_000),  # half of INV-1, 121 days old
        (117499, "The Priory School", 36_000, 0, 0, 0),  # INV-2, 30 days old; INV-0 was paid
        # the LA, apart from the schools: LA-2 61 days old, LA-1 153 (less its £600 credit)
        (None, "Local authority (statutory contracts)", 0, 0, 600_000, 1_140_000),
    ]
    assert [row["strand"] for row in report["rows"]] == ["traded", "traded", "statutory"]
    book = {row["code"]: row["balance_pence"] for row in await ledger.get("/balances")}
    assert report["total_pence"] == 108_000 + 1_740_000
    assert report["total_pence"] == book["receivables:schools"] + book["receivables:la"]
    # as it stood before INV-1's half payment and INV-2: what was posted later is taken back
    earlier = await ledger.get("/reports/aged-debt", as_of="2026-10-01")
    assert [(r["urn"], r["61-90_pence"], r["total_pence"]) for r in earlier["rows"]] == [
        (117083, 0, 144_000),  # INV-1, a month old
        (None, 1_200_000, 1_200_000),  # LA-1, 62 days old, before its credit and LA-2
    ]


async def test_sustainability_of_the_year(ledger: Ledger) -> None:
    report = await ledger.get(
        "/reports/sustainability", financial_year="2026-27", as_of="2027-03-31"
    )
    expected = {
        "surplus_traded_pence": 360_000 - 3_000,  # income less Stripe's fees
        "surplus_statutory_pence": 1_450_000 - 300_000,
        "surplus_core_pence": -2_020_000,  # staff development and overheads
        "surplus_overall_pence": -513_000,
        "income_pence": 1_810_000,
        # to one decimal place, adding up to 100.0%
        "traded_share_percent": 19.9,  # 360,000 / 1,810,000 = 19.89%
        "statutory_share_percent": 52.5,  # 950,000 (council-funded, after the credit): 52.49%
        "grant_share_percent": 27.6,  # 500,000 (LA-2, grant-funded): 27.62%
        "buy_back_Primary_percent": 100.0,  # both primaries bought
        "buy_back_Secondary_percent": 50.0,  # The Priory did, Fearnhill did not
        "renewal_rate_percent": 66.7,  # 2 of last year's 3 buyers bought again
        "top_10_concentration_percent": 100.0,  # fewer than ten schools
        "pd_spend_pence": 20_000,
        "pd_share_percent": 1.1,
        "pd_against_2_to_5_percent": "below",
        # £50,000 reserves + £19,700 income to date − £23,230 costs to date
        "reserves_pence": 4_647_000,
        # March is whole at the end of its last day: January to March earned £100 a month of
        # governance and cost nothing, so the reserves are not being spent
        "net_burn_months": "2027-01,2027-02,2027-03",
        "monthly_net_burn_pence": -10_000,
        "runway_months": None,
    }
    assert {key: report[key] for key in expected} == expected
    # a person reads each measure in words, in pounds and percentages
    shown = {row["label"]: row["shown"] for row in report["rows"]}
    assert shown["Surplus: traded strand"] == "£3,570.00"
    assert shown["Traded share of income"] == "19.9%"
    assert shown["Buy-back: Primary schools"] == "100.0%"
    assert shown["Staff development against the 2 to 5% guide"] == "Below the 2 to 5% guide"
    assert shown["Runway at that burn"] == "No runway to count"
    # a day earlier March is not whole: the burn is December's overheads to February's
    day_before = await ledger.get(
        "/reports/sustainability", financial_year="2026-27", as_of="2027-03-30"
    )
    assert {key: day_before[key] for key in expected if "burn" in key or "runway" in key} == {
        "net_burn_months": "2026-12,2027-01,2027-02",
        "monthly_net_burn_pence": 646_667,  # (1,960,000 − 10,000 − 10,000) / 3
        "runway_months": 7.2,  # 4,637,000 (March's governance not yet earned) / 646,666.67
    }
    shown = {row["label"]: row["shown"] for row in day_before["rows"]}
    assert shown["Runway at that burn"] == "7.2 months"
    assert "surplus_traded_pence" not in shown
    # no grant came in, and the company spent £20,200: the label says which is taken from which
    assert shown["Surplus: core (grants less company costs)"] == "-£20,200.00"
    exported = await ledger.client.get(
        "/reports/sustainability",
        params={"financial_year": "2026-27", "as_of": "2027-03-31", "format": "xlsx"},
        headers=auth(Role.FINANCE),
    )
    sheet = load_workbook(io.BytesIO(exported.content)).worksheets[0]
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert values["Surplus: core (grants less company costs) (£)"] == -20_200.00


async def test_sustainability_explains_a_figure_it_cannot_work_out(ledger: Ledger) -> None:
    """In 2024-25 nothing was sold or spent: no income, no buyers the year before."""
    report = await ledger.get("/reports/sustainability", financial_year="2024-25")
    by_measure = {row["measure"]: row for row in report["rows"]}
    assert report["renewal_rate_percent"] is None  # the API keeps its null
    renewal = by_measure["renewal_rate_percent"]
    assert (renewal["shown"], renewal["note"]) == ("Not enough data", "No school bought last year")
    assert by_measure["traded_share_percent"]["note"] == "No income this year"
    exported = await ledger.client.get(
        "/reports/sustainability",
        params={"financial_year": "2024-25", "format": "csv"},
        headers=auth(Role.FINANCE),
    )
    table = list(csv.reader(io.StringIO(exported.text)))
    assert table[0] == ["Measure", "Value", "Note"]
    lines = {line[0]: line[1:] for line in table[1:]}
    assert lines["Last year's buyers who bought again (%)"] == [
        "Not enough data",
        "No school bought last year",
    ]
    assert all(value != "" for value, _ in lines.values())  # never a blank
    assert lines["Surplus: traded strand (£)"] == ["0.00", ""]
    assert lines["Surplus: core (grants less company costs) (£)"] == ["0.00", ""]


async def test_trial_balance_and_a_statement_that_drills_down_to_the_event(ledger: Ledger) -> None:
    trial = await ledger.get("/reports/trial-balance")
    assert trial["difference_pence"] == 0
    bank = next(row for row in trial["rows"] if row["code"] == "bank")
    # 5,000,000 + 60,000 + 72,000 + 238,000 + 70,000 − 20,000 − 2,000,000
    assert (bank["debit_pence"], bank["credit_pence"]) == (3_420_000, 0)

    statement = await ledger.get(
        "/reports/accounts/receivables:schools/statement", start="2026-04-01", end="2027-03-31"
    )
    assert statement["opening_pence"] == 0  # INV-0 was raised and paid last year
    assert [(r["posted_on"], r["amount_pence"], r["balance_pence"]) for r in statement["rows"]] == [
        ("2026-09-01", 144_000, 144_000),
        ("2026-10-15", -72_000, 72_000),
        ("2026-12-01", 36_000, 108_000),
    ]
    first = statement["rows"][0]
    caused = await ledger.get("/transactions", source_event_id=first["source_event_id"])
    # the invoice itself, then the subscription's twelve monthly recognitions
    assert [t["kind"] for t in caused] == ["sale"] + ["recognition"] * 12
    assert caused[0]["id"] == first["transaction_id"]
    assert {t["source_subject"] for t in caused} == {"orders.invoice.raised.v1"}
    drilled = await ledger.get(f"/transactions/{first['transaction_id']}")
    assert {p["account"] for p in drilled["postings"]} == {
        "receivables:schools",
        "deferred-income",
        "vat:output",
    }


async def test_a_statement_read_page_by_page_carries_its_running_balance_across_pages(
    ledger: Ledger,
) -> None:
    path, span = "/reports/accounts/receivables:schools/statement", {"end": "2027-03-31"}
    whole = await ledger.get(path, start="2026-09-15", **span)
    pages = [await ledger.get(path, start="2026-09-15", limit=1, offset=n, **span) for n in (0, 1)]
    assert whole["opening_pence"] == 144_000  # September's invoice, from the monthly balances
    assert [page["rows"] for page in pages] == [[row] for row in whole["rows"]]
    assert pages[1]["opening_pence"] == pages[0]["closing_pence"] == 72_000
    assert pages[1]["closing_pence"] == whole["closing_pence"] == 108_000


async def test_stripe_payouts_are_reconciled_against_clearing(ledger: Ledger) -> None:
    report = await ledger.get("/reports/stripe-reconciliation")
    assert [(r["payout_id"], r["difference_pence"], r["status"]) for r in report["rows"]] == [
        ("po_1", 0, "matched"),
        ("po_2", -1_000, "mismatch"),
    ]
    # never paid out: last year's two card payments, 120,000 + 12,000
    assert report["waiting_for_payout_pence"] == 132_000
    assert report["clearing_balance_pence"] == 133_000
    assert report["unexplained_clearing_pence"] == 1_000
    assert report["mismatches"] == 1
    again = await ledger.post("/stripe/payouts", PAYOUTS[:1], status=200)
    assert again == {"imported": 0}


async def test_reports_export_in_pounds_under_headings_in_words(ledger: Ledger) -> None:
    params = {"by": "category", "start": "2026-04-01", "end": "2027-03-31"}
    as_json = await ledger.get("/reports/traded-income", **params)
    as_csv = await ledger.client.get(
        "/reports/traded-income", params={**params, "format": "csv"}, headers=auth(Role.ADMIN)
    )
    assert as_csv.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(as_csv.text)))
    assert table[0] == [
        "Category",
        "Name",
        "Income (£)",
        "Same period last year (£)",
        "Change on last year (£)",
    ]
    assert [row[0] for row in table[1:]] == [row["category"] for row in as_json["rows"]]
    assert [row[2] for row in table[1:]] == ["600.00", "700.00", "2300.00"]
    assert [row["income_pence"] for row in as_json["rows"]] == [60_000, 70_000, 230_000]

    as_xlsx = await ledger.client.get(
        "/reports/aged-debt",
        params={"as_of": "2026-12-31", "format": "xlsx"},
        headers=auth(Role.FINANCE),
    )
    book = load_workbook(io.BytesIO(as_xlsx.content))
    sheet = book.worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == (
        "URN",
        "Name",
        "Strand",
        "Up to 30 days, with VAT (£)",  # owed on invoices, VAT and all
        "31 to 60 days, with VAT (£)",
        "61 to 90 days, with VAT (£)",
        "Over 90 days, with VAT (£)",
        "Total owed, with VAT (£)",
    )
    assert values[1][:2] == (117083, "Abbots Langley School")
    totals = [row[-1] for row in values[1:]]
    assert totals == [720.00, 360.00, 17_400.00]  # numbers, so that they add up in Excel
    assert {
        sheet.cell(row=2, column=8).number_format,
        sheet.cell(row=3, column=4).number_format,
    } == {'"£"#,##0.00;-"£"#,##0.00'}
    summary = {heading: value for heading, value in book["Summary"].iter_rows(values_only=True)}
    assert summary["Total owed, with VAT (£)"] == sum(totals) == 18_480.00


async def test_text_typed_into_the_ledger_exports_as_text_a_spreadsheet_will_not_run(
    ledger: Ledger,
) -> None:
    typed = {"JNL-F1": "=2+2", "JNL-F2": "-£500 correction", "JNL-F3": "@SUM(A1)"}
    for reference, description in typed.items():
        body = journal(reference, description, "2026-12-20", ("bank", -500), ("reserves", 500))
        await ledger.post("/journals", body)
    path, params = "/reports/accounts/bank/statement", {"start": "2026-12-20", "end": "2026-12-20"}

    as_csv = await ledger.client.get(
        path, params={**params, "format": "csv"}, headers=auth(Role.FINANCE)
    )
    table = list(csv.reader(io.StringIO(as_csv.text)))
    described = table[0].index("Description")
    amount = table[0].index("Amount, debits positive, credits negative (£)")
    assert [(row[described], row[amount]) for row in table[1:]] == [
        ("'=2+2", "-5.00"),  # the amount a number still, the text marked as text
        ("'-£500 correction", "-5.00"),
        ("'@SUM(A1)", "-5.00"),
    ]

    as_xlsx = await ledger.client.get(
        path, params={**params, "format": "xlsx"}, headers=auth(Role.FINANCE)
    )
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).worksheets[0]
    headings = [cell.value for cell in sheet[1]]
    cells = [row[headings.index("Description")] for row in sheet.iter_rows(min_row=2)]
    assert [(cell.value, cell.data_type) for cell in cells] == [
        (text, "s")
        for text in typed.values()  # as typed, in string cells: never a formula
    ]


async def test_every_report_answers_in_the_shape_its_model_declares(ledger: Ledger) -> None:
    answers: dict[str, tuple[type[ReportPublic[Any]], str, dict[str, str]]] = {
        **{name: (model, f"/reports/{name}", {}) for name, model in REPORTS.items()},
        "statutory-by-contract": (
            REPORTS["statutory-by-contract"],
            "/reports/statutory-by-contract",
            {"financial_year": "2026-27"},
        ),
        "statement": (
            StatementPublic,
            "/reports/accounts/receivables:schools/statement",
            {"start": "2025-04-01"},
        ),
        **{
            f"traded income by {by}": (IncomePublic, "/reports/traded-income", {"by": by})
            for by in ("month", "service", "cfr", "school", "phase", "la", "account")
        },
    }
    for name, (model, path, params) in answers.items():
        answer = await ledger.get(path, **params)
        report = model.model_validate(answer)
        assert report.rows, name
        # every figure of every row is declared, under the key the JSON gives it
        assert [jsonable_encoder(row.cells()) for row in report.rows] == answer["rows"], name


async def test_only_finance_and_admin_see_the_reports(ledger: Ledger) -> None:
    for role in (Role.SCHOOL, Role.LA_OFFICER, Role.EVALUATOR, Role.CATALOGUE_ADMIN):
        response = await ledger.client.get(
            "/reports/sustainability", headers=auth(role, 117083 if role is Role.SCHOOL else None)
        )
        assert response.status_code == 403, role
    assert (await ledger.client.get("/reports/aged-debt")).status_code == 401


def columns(entry: dict[str, Any]) -> list[tuple[str, int, int]]:
    return [
        (line["account_name"], line["debit_pence"], line["credit_pence"]) for line in entry["lines"]
    ]


async def test_the_journal_reads_as_an_accountant_reads_one(ledger: Ledger) -> None:
    entries = await ledger.get("/journal", as_of="2026-12-31")
    assert all(e["posted_on"] <= "2026-12-31" for e in entries)  # nothing ahead of its day
    assert [e["posted_on"] for e in entries] == sorted(
        (e["posted_on"] for e in entries), reverse=True
    )
    (sale,) = [e for e in entries if e["reference"] == "INV-1" and e["kind"] == "sale"]
    assert (sale["urn"], sale["school_name"]) == (117083, "Abbots Langley School")
    assert (sale["document_kind"], sale["document"]) == ("invoice", "INV-1")
    # twelve monthly deferred-income postings read as one line, debits before credits
    assert columns(sale) == [
        ("Receivables: schools", 144_000, 0),
        ("Deferred income", 0, 120_000),
        ("VAT payable (output tax)", 0, 24_000),
    ]
    schedule = sale["schedule"]
    assert (schedule["count"], schedule["each_pence"], schedule["total_pence"]) == (
        12,
        10_000,
        120_000,
    )
    assert (schedule["first_on"], schedule["last_on"]) == ("2026-09-30", "2027-08-31")
    assert schedule["recognised_pence"] == 40_000  # September to December
    recognised = [e for e in entries if e["kind"] == "recognition" and e["document"] == "INV-1"]
    assert [e["posted_on"] for e in recognised] == [
        "2026-12-31",
        "2026-11-30",
        "2026-10-31",
        "2026-09-30",
    ]
    assert all(e["schedule"] is None for e in recognised)
    assert columns(recognised[0]) == [
        ("Deferred income", 10_000, 0),
        ("Traded income: Governance", 0, 10_000),
    ]

    (la,) = [e for e in entries if e["reference"] == "LA-1" and e["kind"] == "la_invoice"]
    assert (la["document_kind"], la["contract_reference"], la["contract_title"]) == (
        "LA invoice",
        "HCC-SI-2026",
        "School improvement support 2026-27",
    )
    assert la["lines"][1]["account_name"] == "Statutory income: contract HCC-SI-2026"
    (reserves,) = [e for e in entries if e["reference"] == "RES-OPEN"]
    assert (reserves["document_kind"], reserves["description"]) == ("journal", "Opening reserves")
    assert all(line["account_name"] != line["account"] for e in entries for line in e["lines"])
    page = await ledger.get("/journal", as_of="2026-12-31", limit=3, offset=3)
    assert page == entries[3:6]
