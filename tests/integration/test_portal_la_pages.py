"""The LA's desk in the portal against the real services (in this process, SQLite, real NATS):
contract variations, categorising schools, cases and brokered support, the register as CSV.
One seeded platform serves the module; each test changes only what it alone looks at."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio
from pypdf import PdfReader

from shared.auth import Role
from shared.calendar import long_date
from shared.clock import Clock
from shared.money import format_pounds
from tests.support.commissioning_app import contract_body
from tests.support.platform import ABBOTS_LANGLEY, Platform, auth, eventually
from tests.support.portal_pages import (
    assert_forbidden,
    date_fields,
    error_summary_links,
    portal_client,
    sign_in,
    signed_in_portal,
    text_of,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

OFFICER = auth(Role.LA_OFFICER)
FINANCE = auth(Role.FINANCE)
CAUSING_CONCERN = 117091  # the seeded case's school
BUSHEY_HEATH = 117088


@pytest_asyncio.fixture(loop_scope="module")
async def officer(seeded: Platform) -> AsyncIterator[httpx.AsyncClient]:
    async with signed_in_portal(seeded, "la-officer") as client:
        yield client


async def the_contract(platform: Platform) -> dict[str, Any]:
    contracts: list[dict[str, Any]] = (
        await platform.commissioning.get("/contracts", headers=OFFICER)
    ).json()
    return contracts[0]


async def open_case(
    officer: httpx.AsyncClient, platform: Platform, *, urn: int, summary: str, days_ago: int
) -> str:
    """The officer opens a case on the contract for a school; the new case's page address."""
    contract = await the_contract(platform)
    opened = await officer.post(
        "/cases/new",
        data={
            "contract_id": contract["id"],
            "urn": str(urn),
            "summary": summary,
            **date_fields("opened_on", Clock().today() - timedelta(days=days_ago)),
        },
    )
    assert opened.status_code == 303, opened.text
    return str(opened.headers["location"])


async def the_case(platform: Platform) -> dict[str, Any]:
    cases: list[dict[str, Any]] = (
        await platform.commissioning.get("/cases", headers=OFFICER)
    ).json()
    return cases[0]


async def vary_value(
    officer: httpx.AsyncClient, platform: Platform, *, value: str, reason: str, approved_by: str
) -> httpx.Response:
    """The officer's form for a variation of the contract's value, approved today."""
    contract = await the_contract(platform)
    form = {
        "kind": "value",
        "value": value,
        "reason": reason,
        "approved_by": approved_by,
        **date_fields("approved_on", Clock().today()),
    }
    return await officer.post(f"/contracts/{contract['id']}/variations/new", data=form)


async def test_the_officers_navigation_leads_to_contracts_schools_and_cases(
    officer: httpx.AsyncClient,
) -> None:
    page = (await officer.get("/contracts")).text
    for link in ('href="/contracts"', 'href="/schools"', 'href="/cases"'):
        assert link in page
    assert 'href="/finance"' not in page and 'href="/catalogue"' not in page


async def test_a_value_variation_is_recorded_and_the_contract_shows_its_history(
    officer: httpx.AsyncClient, seeded: Platform
) -> None:
    # the seed raised it by £50,000, one officer's most: £30,000 from the value as signed is
    # within that officer's word; a further rise would wait for a second officer
    answer = await vary_value(
        officer,
        seeded,
        value="1,230,000",
        reason="Fewer schools causing concern this year",
        approved_by="Cabinet member for education",
    )
    assert answer.status_code == 303, answer.text
    page = text_of((await officer.get(answer.headers["location"])).text)
    assert "varied: its value changed" in page
    assert "£1,230,000.00 before VAT" in page
    assert "£1,200,000.00 when signed" in page
    # the estimate entered at award (£1,200,000) is no longer set beside a varied total
    assert (
        "Estimated annual value £1,230,000.00 (the value over the term, as varied); "
        "£1,200,000.00 estimated at award"
    ) in page
    assert "Value to £1,230,000.00 Fewer schools causing concern this year" in page


async def test_a_value_below_what_is_scheduled_is_refused_on_the_value_field_in_pounds(
    officer: httpx.AsyncClient, seeded: Platform
) -> None:
    answer = await vary_value(
        officer, seeded, value="1000", reason="Savings", approved_by="Director of Education"
    )
    assert answer.status_code == 422
    message = error_summary_links(answer.text)["value"]
    assert message.startswith("The new value must be at least £")
    assert "pence" not in message
    assert 'id="value-error"' in answer.text


@pytest.mark.parametrize(
    "value",
    ["100,000,000.01", "123456789012345.99", "9" * 5000],
    ids=["a-penny-past", "fifteen-digits", "thousands-of-digits"],
)
async def test_a_value_past_the_largest_amount_is_refused_on_its_field_saying_the_largest(
    officer: httpx.AsyncClient, seeded: Platform, value: str
) -> None:
    answer = await vary_value(
        officer, seeded, value=value, reason="Growth", approved_by="Director of Education"
    )
    assert answer.status_code == 422
    assert error_summary_links(answer.text) == {
        "value": "Enter the new value as an amount in pounds up to £100,000,000.00"
    }


async def test_a_variation_that_says_not_what_it_changes_is_refused_before_any_api_call(
    officer: httpx.AsyncClient, seeded: Platform
) -> None:
    contract = await the_contract(seeded)
    answer = await officer.post(f"/contracts/{contract['id']}/variations/new", data={"reason": "x"})
    assert answer.status_code == 422
    links = error_summary_links(answer.text)
    assert links["kind"] == "Select what the variation changes"
    assert links["approved_on"].startswith("Enter the date approved as a real date")


async def test_the_register_downloads_as_the_commissioning_apis_csv(
    officer: httpx.AsyncClient,
) -> None:
    answer = await officer.get("/contracts/register.csv")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert "contract-register.csv" in answer.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert any(cell.startswith("HCC-SI-") for cell in rows[1])
    # the seeded contract runs a year and has been varied: a year's worth is all of it
    (published,) = csv.DictReader(io.StringIO(answer.text))
    assert published["Total value (£)"] != "1200000.00"
    assert published["Estimated annual value (£)"] == published["Total value (£)"]


async def test_categorising_a_school_adds_to_its_history_and_the_current_categories(
    officer: httpx.AsyncClient,
) -> None:
    form = {
        "category": "2",
        "reasons": "Leadership now stable; attendance improving",
        **date_fields("categorised_on", Clock().today()),
    }
    answer = await officer.post(f"/schools/{BUSHEY_HEATH}", data=form)
    assert answer.status_code == 303, answer.text
    page = text_of((await officer.get(f"/schools/{BUSHEY_HEATH}")).text)
    assert "Category 2 recorded: some concerns" in page
    assert "2: some concerns Current Leadership now stable" in page
    assert "3: significant concerns Leadership turnover" in page  # the earlier one is kept
    listing = text_of((await officer.get("/schools")).text)
    assert "Bushey Heath Primary School 2: some concerns" in listing


async def test_a_category_dated_in_the_future_is_refused_on_its_date(
    officer: httpx.AsyncClient,
) -> None:
    form = {
        "category": "1",
        "reasons": "Excellent",
        **date_fields("categorised_on", Clock().today() + timedelta(days=3)),
    }
    answer = await officer.post(f"/schools/{CAUSING_CONCERN}", data=form)
    assert answer.status_code == 422
    links = error_summary_links(answer.text)
    assert links == {"categorised_on": "A school cannot be categorised in the future"}


@pytest.mark.parametrize(
    ("day", "month", "year", "enter"),
    [
        ("1", "4", "99999999999", "a date from 1990 to 2100"),
        ("1", "4", "9999", "a date from 1990 to 2100"),
        ("99999999999999999999", "4", "2026", "a real date, like 1 4 2026"),
    ],
)
async def test_a_date_no_calendar_holds_is_refused_on_its_field_naming_it(
    officer: httpx.AsyncClient, day: str, month: str, year: str, enter: str
) -> None:
    form = {
        "category": "1",
        "reasons": "Excellent",
        "categorised_on-day": day,
        "categorised_on-month": month,
        "categorised_on-year": year,
    }
    answer = await officer.post(f"/schools/{CAUSING_CONCERN}", data=form)
    assert answer.status_code == 422
    assert error_summary_links(answer.text) == {
        "categorised_on": f"Enter the date categorised as {enter}"
    }


@pytest.mark.parametrize(
    "urn", ["9" * 5000, "99999999999999999999"], ids=["thousands-of-digits", "twenty-digits"]
)
async def test_a_school_address_whose_urn_no_school_can_have_is_the_404_page(
    officer: httpx.AsyncClient, urn: str
) -> None:
    for answer in (
        await officer.get(f"/schools/{urn}"),
        await officer.post(f"/schools/{urn}", data={"category": "1"}),
    ):
        assert answer.status_code == 404
        assert "Page not found" in answer.text


async def test_finding_a_school_by_name_leads_to_its_page(officer: httpx.AsyncClient) -> None:
    page = (await officer.get("/schools", params={"q": "bushey heath"})).text
    assert f'href="/schools/{BUSHEY_HEATH}"' in page


async def test_a_case_is_opened_then_moved_to_a_warning_notice_and_a_visit_noted(
    officer: httpx.AsyncClient, seeded: Platform
) -> None:
    case_url = await open_case(
        officer,
        seeded,
        urn=BUSHEY_HEATH,
        summary="Attendance falling for a third term",
        days_ago=10,
    )

    no_grounds = await officer.post(
        f"{case_url}/stage",
        data={"stage": "warning_notice", **date_fields("entered_on", Clock().today())},
    )
    assert no_grounds.status_code == 422
    assert error_summary_links(no_grounds.text) == {
        "grounds": "A warning notice must state its grounds"
    }

    moved = await officer.post(
        f"{case_url}/stage",
        data={
            "stage": "warning_notice",
            "grounds": "Persistent absence above 20%",
            "required_action": "An attendance plan agreed with governors",
            **date_fields("entered_on", Clock().today()),
            **date_fields("compliance_by", Clock().today() + timedelta(days=30)),
        },
    )
    assert moved.status_code == 303, moved.text
    visited = await officer.post(
        f"{case_url}/visits/new",
        data={"note": "Met the attendance lead", **date_fields("visited_on", Clock().today())},
    )
    assert visited.status_code == 303, visited.text
    page = text_of((await officer.get(case_url)).text)
    assert "Bushey Heath Primary School" in page
    assert "Warning notice given" in page and "Grounds: Persistent absence above 20%" in page
    assert "Met the attendance lead" in page
    assert "Company staff deploy providers to a case" in page  # not the officer's to do
    cases = text_of((await officer.get("/cases")).text)
    assert "Bushey Heath Primary School" in cases


async def test_a_deployment_beyond_what_the_contract_has_left_is_refused_naming_the_half_days(
    seeded: Platform,
) -> None:
    case = await the_case(seeded)
    async with portal_client(seeded) as staff:
        await sign_in(staff, "admin")
        form = {
            "provider_name": "Local Leader of Education (demo)",
            "provider_kind": "lle",
            "half_days": "400",
            "day_rate": "9,000",
            "vat_rate": "standard",
            "objectives": "Rebuild safeguarding culture",
            **date_fields("starts_on", Clock().today()),
        }
        refused = await staff.post(f"/cases/{case['id']}/deployments/new", data=form)
        assert refused.status_code == 422
        message = error_summary_links(refused.text)["half_days"]
        assert message.startswith("This deployment would commit £1,800,000.00 but only £")
        assert 'id="half_days-error"' in refused.text

        deployed = await staff.post(
            f"/cases/{case['id']}/deployments/new", data={**form, "half_days": "4"}
        )
        assert deployed.status_code == 303, deployed.text
        page = text_of((await staff.get(f"/cases/{case['id']}")).text)
        assert "Local Leader of Education (demo) deployed" in page
        assert "£18,000.00" in page  # 4 half days at £9,000 a day


async def test_support_past_its_start_day_reads_as_under_way_not_planned(
    officer: httpx.AsyncClient, seeded: Platform
) -> None:
    case_url = f"/cases/{(await the_case(seeded))['id']}"
    today = Clock().today()
    async with portal_client(seeded) as staff:
        await sign_in(staff, "admin")
        for provider, starts_on in (("Started (demo)", -3), ("Starting (demo)", 10)):
            deployed = await staff.post(
                f"{case_url}/deployments/new",
                data={
                    "provider_name": provider,
                    "provider_kind": "nle",
                    "half_days": "2",
                    "day_rate": "650",
                    "vat_rate": "standard",
                    "objectives": "Reading leadership",
                    **date_fields("starts_on", today + timedelta(days=starts_on)),
                },
            )
            assert deployed.status_code == 303, deployed.text
        staff_rows = table_rows((await staff.get(case_url)).text)
    rows = table_rows((await officer.get(case_url)).text)
    started = next(row for row in rows if row.startswith("Started (demo)"))
    starting = next(row for row in rows if row.startswith("Starting (demo)"))
    assert started.endswith("Under way: delivery not yet recorded")
    assert starting.endswith("Planned")
    for row in staff_rows:  # staff see the state and the action
        if row.startswith(("Started (demo)", "Starting (demo)")):
            assert "Record delivery by" in row


def table_rows(page: str) -> list[str]:
    return [
        text_of(row) for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', page, re.S)
    ]


async def test_an_la_officer_may_not_open_the_deployment_form(
    officer: httpx.AsyncClient, seeded: Platform
) -> None:
    case = await the_case(seeded)
    answer = await officer.get(f"/cases/{case['id']}/deployments/new")
    assert answer.status_code == 403
    assert "You cannot see this page" in answer.text


@pytest.mark.parametrize("page", ["/schools", "/cases", "/contracts/register.csv"])
async def test_a_school_user_gets_the_403_page_on_the_las_desk(seeded: Platform, page: str) -> None:
    await assert_forbidden(seeded, "school", page)


async def test_support_delivered_to_a_school_is_then_rated_by_that_school(
    officer: httpx.AsyncClient, seeded: Platform
) -> None:
    case_url = await open_case(
        officer,
        seeded,
        urn=ABBOTS_LANGLEY,
        summary="New headteacher asks for leadership support",
        days_ago=5,
    )
    async with portal_client(seeded) as staff:
        await sign_in(staff, "admin")
        deployed = await staff.post(
            f"{case_url}/deployments/new",
            data={
                "provider_name": "Executive head (demo)",
                "provider_kind": "executive_head",
                "half_days": "4",
                "day_rate": "600",
                "vat_rate": "standard",
                "objectives": "Coach the new headteacher",
                **date_fields("starts_on", Clock().today() - timedelta(days=4)),
            },
        )
        assert deployed.status_code == 303, deployed.text
        page = (await staff.get(case_url)).text
        delivered_url = re.findall(r'href="(/cases/[^"]+/delivered)"', page)[0]
        too_many = await staff.post(
            delivered_url, data={"half_days": "9", **date_fields("completed_on", Clock().today())}
        )
        assert too_many.status_code == 422
        assert list(error_summary_links(too_many.text)) == ["half_days"]
        delivered = await staff.post(
            delivered_url, data={"half_days": "3", **date_fields("completed_on", Clock().today())}
        )
        assert delivered.status_code == 303, delivered.text

    async with portal_client(seeded) as school:
        await sign_in(school, "school")

        async def invited() -> str:
            page = (await school.get("/ratings")).text
            found = re.findall(r'href="(/ratings/[^"]+)"', page)
            return found[0] if found else ""

        rating_url = await eventually(invited)
        no_score = await school.post(rating_url, data={"comment": "Helpful"})
        assert no_score.status_code == 422
        assert error_summary_links(no_score.text) == {"score": "Select a rating from 1 to 5"}
        rated = await school.post(rating_url, data={"score": "5", "comment": "Very helpful"})
        assert rated.status_code == 303, rated.text
        page = text_of((await school.get("/ratings")).text)
        assert "rated 5 out of 5" in page
        assert "Executive head (demo)" in page and "5 out of 5: “Very helpful”" in page


async def test_a_kpi_actual_is_reported_and_a_second_for_the_same_period_is_refused_on_it(
    officer: httpx.AsyncClient, seeded: Platform
) -> None:
    contract = await the_contract(seeded)
    page = (await officer.get(f"/contracts/{contract['id']}")).text
    kpi_url = re.findall(r'href="(/contracts/[^"]+/kpis/[^"]+)"', page)[0]
    assert "within 10 school days" in text_of(page)

    unreadable = await officer.post(kpi_url, data={"period": "2026-Q3", "actual": "most"})
    assert error_summary_links(unreadable.text) == {
        "actual": "Enter the actual as a number, like 96.5"
    }
    missed = await officer.post(kpi_url, data={"period": "2026-Q3", "actual": "90"})
    assert missed.status_code == 303, missed.text
    page = text_of((await officer.get(kpi_url)).text)
    assert "2026-Q3 reported: target missed" in page
    assert "Missed £5,000.00 plus VAT, waiting for the LA's next invoice" in page
    assert (
        "A miss earns the LA a service credit of £5,000.00 plus VAT, taken off the LA's next"
        " milestone invoices, oldest credit first. A credit larger than what is left of an"
        " invoice is taken off it in part, and the rest off the next invoice."
    ) in page
    contract_page = text_of((await officer.get(f"/contracts/{contract['id']}")).text)
    assert (
        "of service credits (plus VAT) not yet taken off any invoice. They come off the next"
        " milestone invoices, oldest first."
    ) in contract_page
    again = await officer.post(kpi_url, data={"period": "2026-Q3", "actual": "97"})
    assert again.status_code == 422
    assert list(error_summary_links(again.text)) == ["period"]


async def test_an_actual_a_hair_below_its_target_is_shown_as_reported_beside_missed(
    officer: httpx.AsyncClient, seeded: Platform
) -> None:
    """The page rounded to six figures: '95 … Missed' against a target of 95."""
    contract = await the_contract(seeded)
    path = f"/contracts/{contract['id']}"
    kpi = await seeded.commissioning.post(
        f"{path}/kpis", json={"title": "Visits on time (%)", "target": 95}, headers=OFFICER
    )
    kpi_url = f"{path}/kpis/{kpi.json()['id']}"
    reported = await officer.post(kpi_url, data={"period": "2026-Q4", "actual": "94.999995"})
    assert reported.status_code == 303, reported.text

    page = text_of((await officer.get(kpi_url)).text)

    assert "Target: 95, higher is better." in page
    assert "2026-Q4 94.999995" in page and "Missed" in page


async def test_service_credits_no_milestone_is_left_to_take_are_shown_on_the_contract(
    officer: httpx.AsyncClient, seeded: Platform
) -> None:
    created = await seeded.commissioning.post(  # sorts after the seeded contract
        "/contracts",
        json=contract_body(reference="HCC-SI-CREDITS"),
        headers=OFFICER,
    )
    assert created.status_code == 201, created.text
    path = f"/contracts/{created.json()['id']}"
    assert "not yet taken off any invoice" not in (await officer.get(path)).text
    kpi = await seeded.commissioning.post(
        f"{path}/kpis",
        json={"title": "Reports on time (%)", "target": 95, "service_credit_pence": 75_000},
        headers=OFFICER,
    )
    await seeded.commissioning.post(
        f"{path}/kpis/{kpi.json()['id']}/actuals",
        json={"period": "2027-Q1", "actual": 80},
        headers=OFFICER,
    )

    page = text_of((await officer.get(path)).text)

    assert (
        "£750.00 of service credits (plus VAT) not yet taken off any invoice. No milestone is"
        " left to sign off, so none will come off an invoice unless a milestone is added."
    ) in page


@pytest.mark.parametrize("actual", ["nan", "inf", "-inf", "1e999", "1000000000.5"])
async def test_a_kpi_actual_that_is_not_finite_or_past_a_billion_is_refused_on_the_form(
    officer: httpx.AsyncClient, seeded: Platform, actual: str
) -> None:
    contract = await the_contract(seeded)
    page = (await officer.get(f"/contracts/{contract['id']}")).text
    kpi_url = re.findall(r'href="(/contracts/[^"]+/kpis/[^"]+)"', page)[0]

    refused = await officer.post(kpi_url, data={"period": "2027-Q4", "actual": actual})

    assert refused.status_code == 422
    assert error_summary_links(refused.text) == {
        "actual": "Enter the actual as a number from -1,000,000,000 to 1,000,000,000"
    }
    assert "2027-Q4" not in text_of((await officer.get(kpi_url)).text)


async def test_signing_off_a_milestone_asks_for_evidence_on_a_page_that_shows_the_invoice(
    officer: httpx.AsyncClient, seeded: Platform
) -> None:
    contract = await the_contract(seeded)
    first = contract["milestones"][0]
    kpis = f"/contracts/{contract['id']}/kpis"
    (kpi, *_) = (await seeded.commissioning.get(kpis, headers=OFFICER)).json()
    missed = await seeded.commissioning.post(  # its service credit comes off this invoice
        f"{kpis}/{kpi['id']}/actuals", json={"period": "2026-Q2", "actual": 90}, headers=OFFICER
    )
    assert missed.status_code == 201, missed.text
    page = (await officer.get(f"/contracts/{contract['id']}")).text
    sign_off = f"/contracts/{contract['id']}/milestones/{first['id']}/sign-off"
    assert f'href="{sign_off}"' in page  # a link to a confirmation page, not a one-click form
    assert f'action="{sign_off}"' not in page

    confirming = text_of((await officer.get(sign_off)).text)
    assert f"Sign off {first['title']}" in confirming
    assert "Payment, before VAT £300,000.00 VAT (20%) £60,000.00" in confirming
    assert "Invoice to the LA £360,000.00" in confirming

    refused = await officer.post(sign_off, data={"evidence": " "})
    assert refused.status_code == 422
    assert error_summary_links(refused.text) == {"evidence": "Say what shows the milestone is met"}
    unchanged = await the_contract(seeded)
    assert unchanged["milestones"][0]["completed_on"] is None

    signed = await officer.post(
        sign_off, data={"evidence": "Quarter 1 report received, visits checked"}
    )
    assert signed.status_code == 303, signed.text
    milestone = (await the_contract(seeded))["milestones"][0]
    assert milestone["signed_off_by"] == "demo-la-officer"  # from the token, not typed
    assert milestone["evidence"] == "Quarter 1 report received, visits checked"
    assert milestone["completed_on"] == Clock().today().isoformat()
    page = text_of((await officer.get(signed.headers["location"])).text)
    assert f"Milestone signed off: {first['title']}" in page
    invoices = (await seeded.commissioning.get("/invoices", headers=OFFICER)).json()
    (invoice,) = [i for i in invoices if i["milestone_id"] == first["id"]]
    credited = sum(credit["gross_pence"] for credit in invoice["credits"])
    assert credited >= 600_000  # at least the £5,000 credit and its VAT
    assert invoice["payable_gross_pence"] == 36_000_000 - credited  # the PDF's total to pay
    assert (
        f"LA invoice {invoice['number']} raised for {format_pounds(36_000_000 - credited)}"
        f" (including VAT, less {format_pounds(credited)} of service credits)"
    ) in page
    assert "by demo-la-officer at" in page and "evidence: Quarter 1 report received" in page
    kpi_page = text_of((await officer.get(f"{kpis}/{kpi['id']}")).text)
    assert (
        f"2026-Q2 90 {long_date(Clock().today())} Missed £5,000.00 plus VAT, off invoice {invoice['number']}"
        in kpi_page
    )
    again = await officer.get(sign_off)
    assert again.status_code == 303  # signed off once only: back to the contract


async def first_milestone_invoiced(
    officer: httpx.AsyncClient, seeded: Platform
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The contract, its first milestone (signed off here unless a test above did) and the
    milestone's invoice to the LA."""
    contract = await the_contract(seeded)
    first = contract["milestones"][0]
    if first["completed_on"] is None:
        sign_off = f"/contracts/{contract['id']}/milestones/{first['id']}/sign-off"
        await officer.post(sign_off, data={"evidence": "Quarter 1 report received"})
    (invoice,) = (await seeded.commissioning.get("/invoices", headers=OFFICER)).json()
    return contract, first, invoice


async def test_the_officer_and_finance_list_la_invoices_each_with_a_full_vat_invoice_pdf(
    officer: httpx.AsyncClient, seeded: Platform
) -> None:
    contract, first, invoice = await first_milestone_invoiced(officer, seeded)

    page = (await officer.get("/la-invoices")).text
    assert 'href="/la-invoices"' in page  # in the officer's navigation
    pdf_link = f"/la-invoices/{invoice['id']}.pdf"
    assert f'href="{pdf_link}"' in page
    listed = text_of(page)
    assert f"{invoice['number']} (PDF) {contract['reference']} {first['title']}" in listed
    assert "£300,000.00 £60,000.00 £360,000.00" in listed

    pdf = await officer.get(pdf_link)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    issued = date.fromisoformat(invoice["issued_on"])
    for particular in (
        f"VAT invoice {invoice['number']}",
        "VAT registration number:",
        "Hertfordshire County Council",
        "Pegs Lane",
        f"Invoice date: {long_date(issued)}",
        f"Tax point: {long_date(issued)}",
        f"Contract: {contract['reference']}: {contract['title']}",
        f"Milestone: {first['title']} 1 £300,000.00 20% £60,000.00 £360,000.00",
        f"Total to pay {format_pounds(invoice['payable_gross_pence'])}",
        "Payment terms: 30 days",
        "sort code",
        "DEMO INVOICE",
    ):
        assert particular in text, particular

    async with signed_in_portal(seeded, "finance") as finance:
        assert f'href="{pdf_link}"' in (await finance.get("/la-invoices")).text
        assert (await finance.get(pdf_link)).content.startswith(b"%PDF-")
    await assert_forbidden(seeded, "school", "/la-invoices")


async def test_finance_records_the_la_s_part_payment_and_sees_what_is_left(
    officer: httpx.AsyncClient, seeded: Platform
) -> None:
    _, _, invoice = await first_milestone_invoiced(officer, seeded)
    to_pay = invoice["payable_gross_pence"]
    page_of_it = f"/la-invoices/{invoice['id']}"
    today = Clock().today()

    async with signed_in_portal(seeded, "finance") as finance:

        async def in_the_books() -> str:
            """The list once the ledger holds the invoice and the credits taken off it (each
            posted from its own event)."""
            listed = text_of((await finance.get("/la-invoices")).text)
            return listed if f"{format_pounds(to_pay)} left on" in listed else ""

        listed = await eventually(in_the_books)
        assert f"£0.00 {format_pounds(to_pay)} left on {invoice['number']}" in listed
        assert f'href="{page_of_it}"' in (await finance.get("/la-invoices")).text

        too_much = await finance.post(
            page_of_it,
            data={
                "amount": f"{to_pay / 100 + 1:.2f}",
                "reference": "HCC 1",
                **date_fields("received_on", today),
            },
        )
        assert too_much.status_code == 422
        assert list(error_summary_links(too_much.text)) == ["amount"]
        ahead = await finance.post(
            page_of_it,
            data={
                "amount": "100",
                "reference": "HCC 1",
                **date_fields("received_on", today + timedelta(days=1)),
            },
        )
        assert ahead.status_code == 422
        assert list(error_summary_links(ahead.text)) == ["received_on"]

        part = await finance.post(
            page_of_it,
            data={"amount": "100,000", "reference": "HCC 1", **date_fields("received_on", today)},
        )
        assert part.status_code == 303, part.text
        page = text_of((await finance.get(page_of_it)).text)
        assert f"Payment by the LA recorded against invoice {invoice['number']}" in page
        left = format_pounds(to_pay - 10_000_000)
        assert f"{left} is still to pay" in page
        assert f"Paid £100,000.00 Left to pay {left}" in page
        again = await finance.post(
            page_of_it,
            data={"amount": "100,000", "reference": "HCC 1", **date_fields("received_on", today)},
        )
        assert again.status_code == 422  # recorded once: the form says so, by the reference
        assert list(error_summary_links(again.text)) == ["reference"]
        listed = text_of((await finance.get("/la-invoices")).text)
        assert f"£100,000.00 {left} left on {invoice['number']}" in listed

    as_the_officer_reads_it = (await officer.get("/la-invoices")).text
    row = f"{format_pounds(to_pay)} £100,000.00 {left}"  # after credits, paid, left to pay
    assert row in text_of(as_the_officer_reads_it)
    assert "After credits Paid Left to pay" in text_of(as_the_officer_reads_it)
    assert f'href="{page_of_it}"' not in as_the_officer_reads_it  # finance records payments
    await assert_forbidden(seeded, "la-officer", page_of_it)


async def test_finance_sees_each_payment_by_the_la_under_the_form_the_latest_received_first(
    officer: httpx.AsyncClient, seeded: Platform
) -> None:
    """Both on the invoice's day, which is today: none may be dated before the invoice (the
    ledger's `test_each_payment_is_listed_against_its_invoice_newest_first` has payments of
    two days); of one day, the last recorded is listed first."""
    _, _, invoice = await first_milestone_invoiced(officer, seeded)
    page_of_it = f"/la-invoices/{invoice['id']}"
    today = Clock().today()

    async with signed_in_portal(seeded, "finance") as finance:
        await eventually(lambda: in_the_books(finance, invoice["number"]))
        for amount, reference, received_on in (
            ("1,000", "HCC FIRST", today),
            ("250.50", "HCC TODAY", today),
        ):
            recorded = await finance.post(
                page_of_it,
                data={"amount": amount, "reference": reference, **date_fields("received_on", received_on)},
            )  # fmt: skip
            assert recorded.status_code == 303, recorded.text
        page = (await finance.get(page_of_it)).text

    listed = text_of(page[page.index('id="payments"') :])
    today_row = f"{long_date(today)} HCC TODAY £250.50 by demo-finance,"
    first_row = f"{long_date(today)} HCC FIRST £1,000.00 by demo-finance,"
    assert today_row in listed and first_row in listed, listed
    assert listed.index(today_row) < listed.index(first_row)
    assert page.index('id="payments"') > page.index("Record payment")  # under the form


async def test_finance_sees_a_reversed_payment_by_the_la_marked_as_reversed_and_why(
    officer: httpx.AsyncClient, seeded: Platform
) -> None:
    _, _, invoice = await first_milestone_invoiced(officer, seeded)
    page_of_it = f"/la-invoices/{invoice['id']}"
    today = Clock().today()

    async with signed_in_portal(seeded, "finance") as finance:
        await eventually(lambda: in_the_books(finance, invoice["number"]))
        recorded = await finance.post(
            page_of_it,
            data={"amount": "500", "reference": "HCC WRONG", **date_fields("received_on", today)},
        )
        assert recorded.status_code == 303, recorded.text
        (payment,) = [
            t
            for t in (await seeded.ledger.get("/transactions", headers=FINANCE)).json()
            if t["reference"] == "HCC WRONG" and t["description"].endswith(invoice["number"])
        ]
        undo = await seeded.ledger.post(
            f"/transactions/{payment['id']}/reverse",
            json={"reason": "meant for another invoice"},
            headers=FINANCE,
        )
        assert undo.status_code == 201, undo.text
        page = (await finance.get(page_of_it)).text

    listed = text_of(page[page.index('id="payments"') :])
    reversed_row = f"HCC WRONG £500.00 Reversed on {long_date(today)}: meant for another invoice;"
    assert reversed_row in listed, listed
    assert "Reversal of" not in listed  # the reason alone, not the book's description around it


async def in_the_books(finance: httpx.AsyncClient, number: str) -> bool:
    listed = text_of((await finance.get("/la-invoices")).text)
    return number in listed and "Not yet in the books" not in listed


async def test_a_contract_past_its_end_date_reads_as_ended_until_an_officer_closes_it(
    officer: httpx.AsyncClient, seeded: Platform
) -> None:
    """It ended on 31 March 2026: the register, its page and its CSV read "Active" for as long
    as nobody closed it."""
    created = await seeded.commissioning.post(  # sorts after the seeded contract
        "/contracts",
        json=contract_body(
            reference="HCC-SI-ENDED",
            start_on="2025-04-01",
            end_on="2026-03-31",
            signed_on="2025-04-01",
        ),
        headers=OFFICER,
    )
    assert created.status_code == 201, created.text
    path = f"/contracts/{created.json()['id']}"
    ended = "Ended on 31 March 2026, not yet closed"

    assert ended in text_of((await officer.get("/contracts")).text)
    assert f"Status {ended}" in text_of((await officer.get(path)).text)
    register = csv.DictReader(io.StringIO((await officer.get("/contracts/register.csv")).text))
    (row,) = [row for row in register if row["Reference number"] == "HCC-SI-ENDED"]
    assert row["Status"] == "ended, not yet closed"

    closed = await seeded.commissioning.post(f"{path}/close", headers=OFFICER)
    assert closed.status_code == 200, closed.text
    assert "Status Closed" in text_of((await officer.get(path)).text)
