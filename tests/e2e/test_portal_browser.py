"""The portal in a real headless browser against the platform as `schools-platform up` runs it: separate
processes over HTTP and NATS, card payments through localstripe. The scenarios run in order on
one platform, like one day's work: a school buys one service by invoice and a course by card,
the LA signs off a milestone and varies its contract, finance sees both incomes in their own
strands, the evaluator reads an impact report, the catalogue admin prices and publishes."""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Locator, Page, expect
from pypdf import PdfReader

from services.notifications.mail_server import read_folder
from services.seed.ks2_evaluation import GRANT_TITLE, SIP_TITLE
from shared.auth import Role
from shared.money import format_pounds
from tests.support.local_platform import LocalPlatform
from tests.support.oidc_provider import Provider, oidc_provider
from tests.support.platform import ASHWELL, auth, invoice_order
from tests.support.portal_browser import (
    AUDIT,
    choose_with_arrows,
    chromium,
    fits_the_screen,
    screenshot,
    signed_in,
    tab_to,
    wait_for_image,
)

pytestmark = pytest.mark.e2e

SCHOOL = "School business manager, Abbots Langley School"
OFFICER = "LA school improvement officer"
FINANCE = "Finance officer"
APPROVER = "Headteacher (approver), Abbots Langley School"


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with oidc_provider() as running:
        yield running


@pytest.fixture(scope="module")
def running(provider: Provider) -> Iterator[LocalPlatform]:
    # Both ways in: the provider for the sign-in test, demo users for the day's scenarios.
    platform = LocalPlatform(env=provider.portal_environment()).start(timeout=120)
    yield platform
    platform.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as started:
        yield started


@pytest.fixture(scope="module")
def portal(running: LocalPlatform) -> str:
    return running.url("portal")


def reload_until(page: Page, shown: Callable[[], bool], timeout: float = 30.0) -> None:
    """Events take a moment to reach the service a page reads from: reload until they have."""
    deadline = time.monotonic() + timeout
    while not shown():
        assert time.monotonic() < deadline, f"not shown in time on {page.url}"
        time.sleep(0.3)
        page.reload()


def ledger_balance(running: LocalPlatform, code: str, *, expected: int) -> int:
    """An account's balance on the ledger's API, once the events have reached it (or the last
    seen after 30 s)."""
    deadline = time.monotonic() + 30
    while True:
        rows = httpx.get(f"{running.url('ledger')}/balances", headers=auth(Role.FINANCE)).json()
        balance = next((row["balance_pence"] for row in rows if row["code"] == code), 0)
        if balance == expected or time.monotonic() > deadline:
            return int(balance)
        time.sleep(0.3)


def test_an_officer_signs_in_at_the_organisations_provider_and_lands_on_their_page(
    browser: Browser, portal: str
) -> None:
    context = browser.new_context(base_url=portal)
    page = context.new_page()
    refused_by_policy: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused_by_policy.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.goto("/sign-in")
    page.get_by_role("button", name="Sign in with your organisation's account").click()
    page.get_by_placeholder("sub").fill("ann.officer")  # the provider's own sign-in page
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{portal}/contracts")
    expect(page.get_by_text("Signed in as Ann Officer")).to_be_visible()
    # The GOV.UK scripts ran from their files, as the CSP allows (no inline script).
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    assert refused_by_policy == []
    page.get_by_role("button", name="Sign out").click()
    expect(
        page.get_by_role("button", name="Sign in with your organisation's account")
    ).to_be_visible()
    context.close()


def test_a_school_buys_a_service_by_invoice_and_sees_it_in_its_orders(
    browser: Browser, portal: str
) -> None:
    page = AUDIT.watch(browser.new_context(base_url=portal).new_page(), "Not signed in")
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in as a demo user")).to_be_visible()
    screenshot(page, "01-sign-in")

    page = signed_in(browser, portal, SCHOOL)
    expect(page.get_by_role("heading", name="Services for your school")).to_be_visible()
    reload_until(page, lambda: page.get_by_text("Governor clerking service").count() > 0)
    page.get_by_label("Search services").fill("governor")
    page.get_by_role("button", name="Search").click()
    screenshot(page, "02-shop")
    page.get_by_role("link", name="Governor clerking service").click()

    page.get_by_role("button", name="Place order").click()  # no purchase order number yet
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Paying by invoice needs a purchase-order number")
    screenshot(page, "03-order-form-with-error")
    summary.get_by_role("link").click()
    expect(page.get_by_role("textbox", name="Purchase order number")).to_be_focused()

    page.get_by_role("textbox", name="Purchase order number").fill("PO-BROWSER-1")
    page.get_by_role("button", name="Place order").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Order placed")
    expect(page.locator(".govuk-summary-list")).to_contain_text("PO-BROWSER-1")
    screenshot(page, "04-order-placed")

    page.get_by_role("link", name="Your orders").click()
    row = page.get_by_role("row", name=re.compile("Governor clerking service"))
    expect(row).to_contain_text("£2,160.00")  # £1,800 + 20% VAT
    screenshot(page, "05-your-orders")


def test_the_school_buys_a_course_by_card_and_sees_both_orders(
    browser: Browser, portal: str
) -> None:
    page = signed_in(browser, portal, SCHOOL)
    page.get_by_label("Search services").fill("mentor")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="ECT mentor training").click()
    page.get_by_label("Places", exact=True).fill("2")
    page.locator('input[name="session_id"]').first.check()
    screenshot(page, "05a-course-with-sessions")
    page.get_by_role("button", name="Add to basket").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Added to your basket")
    expect(page.get_by_role("row", name=re.compile("ECT mentor training"))).to_be_visible()
    page.get_by_label("By card, now").check()
    screenshot(page, "05b-basket")
    page.get_by_role("button", name="Place order").click()

    expect(
        page.get_by_role("heading", name=re.compile(r"^Pay £[\d,]+\.\d\d by card$"))
    ).to_be_visible()
    screenshot(page, "05c-pay-by-card")
    page.get_by_role("button", name=re.compile("^Pay £")).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Payment accepted")
    expect(page.get_by_role("button", name="Pay by card")).to_have_count(0)
    reload_until(page, lambda: page.locator("#payment-status").inner_text() == "Paid")
    screenshot(page, "05d-course-paid")

    page.get_by_role("link", name="Your orders").click()
    expect(page.get_by_role("row", name=re.compile("ECT mentor training"))).to_contain_text("Paid")
    expect(page.get_by_role("row", name=re.compile("Governor clerking service"))).to_be_visible()
    screenshot(page, "05e-both-orders")

    page.get_by_role("link", name="Course bookings").click()
    row = page.get_by_role("row", name=re.compile("ECT mentor training"))
    # the catalogue's answer (places held, or a place on the waiting list) comes by event
    reload_until(
        page, lambda: re.search("Places booked|Waiting list", row.inner_text()) is not None
    )
    screenshot(page, "05f-course-bookings")


def test_the_shop_fits_a_phone_screen(browser: Browser, portal: str) -> None:
    page = signed_in(browser, portal, SCHOOL, phone=True)
    expect(page.get_by_role("heading", name="Services for your school")).to_be_visible()
    assert fits_the_screen(page)
    screenshot(page, "06-shop-on-a-phone")
    page.goto("/orders")
    assert fits_the_screen(page)
    screenshot(page, "06a-orders-on-a-phone")


def in_sight(targets: Locator) -> bool:
    """Each of them on screen without scrolling sideways: its box within the window's width."""
    return bool(
        targets.evaluate_all(
            """elements => elements.length > 0 && elements.every(element => {
                const box = element.getBoundingClientRect();
                return box.width > 0 && box.left >= 0 && box.right <= window.innerWidth;
            })"""
        )
    )


def test_totals_remove_buttons_journal_amounts_and_sign_off_buttons_fit_a_phone(
    browser: Browser, portal: str
) -> None:
    page = signed_in(browser, portal, SCHOOL, phone=True)
    page.get_by_label("Search services").fill("governance")
    page.get_by_role("button", name="Search").click()
    # a consultancy day: the clerking service, a subscription, is bought for the year already
    page.get_by_role("link", name="External review of governance").click()
    page.get_by_role("button", name="Add to basket").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Added to your basket")
    remove = page.get_by_role("button", name=re.compile("^Remove"))
    assert in_sight(page.locator("#basket-total"))
    assert in_sight(remove)
    assert fits_the_screen(page)
    screenshot(page, "06b-basket-on-a-phone")
    remove.first.click()
    expect(page.get_by_text("Your basket is empty")).to_be_visible()

    page.goto("/orders")
    page.get_by_role("row", name=re.compile("Governor clerking service")).get_by_role(
        "link"
    ).first.click()
    assert in_sight(page.locator("#order-total"))
    assert fits_the_screen(page)
    screenshot(page, "06c-order-on-a-phone")

    page = signed_in(browser, portal, FINANCE, phone=True)
    page.goto("/finance/journal")
    amounts = page.locator("#journal .journal-amount:not(:empty)")
    expect(amounts.first).to_be_visible()
    assert in_sight(amounts)
    assert fits_the_screen(page)
    screenshot(page, "06d-journal-on-a-phone")

    page = signed_in(browser, portal, OFFICER, phone=True)
    page.get_by_role("link", name=re.compile("^HCC-SI-")).first.click()
    sign_off = page.get_by_role("button", name=re.compile("^Sign off "))
    expect(sign_off.first).to_be_visible()
    assert in_sight(sign_off)
    assert fits_the_screen(page)
    screenshot(page, "06e-milestones-on-a-phone")


def test_the_la_records_a_contract_the_api_refuses_then_signs_off_a_milestone(
    browser: Browser, portal: str, running: LocalPlatform
) -> None:
    page = signed_in(browser, portal, OFFICER)
    expect(page.get_by_role("heading", name="Contract register")).to_be_visible()
    screenshot(page, "07-contract-register")

    page.get_by_role("button", name="Record a new contract").click()
    page.get_by_label("Reference").fill("HCC-SI-BROWSER")
    page.get_by_label("Title").fill("Monitoring visits")
    page.get_by_label("Statutory duty").fill("Education and Inspections Act 2006, Part 4")
    page.get_by_label("Grant").check()
    page.get_by_label("Value, before VAT").fill("12,000")
    for field, date in {"start_on": "1 4 2026", "end_on": "1 3 2026"}.items():
        day, month, year = date.split()
        page.locator(f"#{field}-day").fill(day)
        page.locator(f"#{field}-month").fill(month)
        page.locator(f"#{field}-year").fill(year)
    page.get_by_role("button", name="Record contract").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "A contract must end after it starts"
    )
    expect(page.locator("#end_on-error")).to_be_visible()
    screenshot(page, "08-new-contract-with-error")

    page.get_by_role("link", name="Back to the contract register").click()
    page.get_by_role("link", name=re.compile("^HCC-SI-")).click()
    page.get_by_role("button", name="Sign off Quarter 1 monitoring report").click()
    expect(page.locator("#invoice-to-raise")).to_contain_text("£360,000.00")
    page.get_by_role("button", name="Sign off and invoice £360,000.00").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say what shows the milestone")
    page.get_by_label("Evidence that the milestone is met").fill("Quarter 1 report received")
    screenshot(page, "09-milestone-sign-off-confirmation")
    page.get_by_role("button", name="Sign off and invoice £360,000.00").click()
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text("Milestone signed off: Quarter 1 monitoring report")
    expect(banner).to_contain_text(re.compile(r"LA invoice \S+ raised for £360,000\.00"))
    expect(page.locator("main")).to_contain_text("by demo-la-officer at")
    screenshot(page, "09-milestone-signed-off")
    page.get_by_role("link", name="LA invoices", exact=True).click()
    row = page.get_by_role("row", name=re.compile("Quarter 1 monitoring report"))
    expect(row).to_contain_text("£360,000.00")
    with page.expect_download() as invoice_pdf:
        row.get_by_role("link", name=re.compile(r"\(PDF\)")).click()
    assert invoice_pdf.value.suggested_filename.endswith(".pdf")
    pdf = PdfReader(invoice_pdf.value.path())
    assert "£360,000.00" in " ".join(page.extract_text() for page in pdf.pages)
    # the ledger books the same invoice: the LA owes what the PDF asks it to pay
    assert ledger_balance(running, "receivables:la", expected=36_000_000) == 36_000_000
    screenshot(page, "09-la-invoices")
    page.go_back()

    page.get_by_role("button", name="Vary the contract").click()
    page.get_by_label("Term: a new end date").check()
    page.get_by_role("button", name="Record variation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the new end date")
    page.get_by_label("Value: a new contract value").check()
    # £20,000 above the value as signed (the seed's rise was one officer's most): one will do
    page.get_by_label("New value, before VAT").fill("1,220,000")
    page.get_by_label("Reason").fill("Fewer schools causing concern this year")
    for part, value in zip(
        ("day", "month", "year"), time.strftime("%d %m %Y").split(), strict=True
    ):
        page.locator(f"#approved_on-{part}").fill(value)
    page.get_by_role("button", name="Record variation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("its value changed")
    expect(page.locator("#variations + .portal-table-wrapper")).to_contain_text("£1,220,000.00")
    screenshot(page, "09a-contract-varied")

    page.get_by_role("link", name="Audit", exact=True).click()
    page.get_by_label("Object type").fill("milestone")
    page.get_by_role("button", name="Filter").click()
    signed_off = page.get_by_role("row", name=re.compile("milestone.completed"))
    expect(signed_off).to_contain_text("demo-la-officer")
    expect(signed_off).to_contain_text("Quarter 1 monitoring report")
    page.get_by_label("Object type").fill("contract")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("row", name=re.compile("contract.varied")).first).to_contain_text(
        "demo-la-officer"
    )
    screenshot(page, "09a-audit")

    page.get_by_role("link", name="Schools", exact=True).click()
    expect(page.get_by_role("table", name="Current categories")).to_contain_text("causing concern")
    page.get_by_label("Find a school").fill("ashwell")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name="Ashwell Primary School").first.click()
    expect(page.get_by_role("heading", name="Categorisation history")).to_be_visible()
    screenshot(page, "09b-school-categorisation")

    page.get_by_role("link", name="Cases", exact=True).click()
    screenshot(page, "09c-cases")
    page.locator("tbody a").first.click()
    expect(page.get_by_role("heading", name="Brokered support")).to_be_visible()
    screenshot(page, "09d-case")


def test_staff_deploying_more_support_than_the_contract_has_left_see_the_refusal(
    browser: Browser, portal: str
) -> None:
    page = signed_in(browser, portal, "Platform administrator")
    page.get_by_role("link", name="Cases", exact=True).click()
    page.locator("tbody a").first.click()
    page.get_by_role("button", name="Deploy a provider").click()
    page.get_by_label("Provider", exact=True).fill("Local Leader of Education (demo)")
    page.get_by_label("Local Leader of Education").check()
    page.get_by_label("Half days").fill("400")
    page.get_by_label("Day rate, before VAT").fill("9,000")
    page.get_by_label("Objectives").fill("Rebuild safeguarding culture")
    for part, value in zip(
        ("day", "month", "year"), time.strftime("%d %m %Y").split(), strict=True
    ):
        page.locator(f"#starts_on-{part}").fill(value)
    page.get_by_role("button", name="Deploy provider").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("This deployment would commit £1,800,000.00 but only")
    expect(page.locator("#half_days-error")).to_be_visible()
    screenshot(page, "09e-deployment-refused")


def test_finance_sees_both_incomes_in_their_own_strands_on_the_dashboard(
    browser: Browser, portal: str
) -> None:
    page = signed_in(browser, portal, FINANCE)
    expect(page.get_by_role("heading", name="Finance dashboard")).to_be_visible()
    chart = page.locator("#income-by-strand")
    reload_until(page, lambda: "£300,000.00" in chart.inner_text())
    traded = chart.get_by_role("definition").nth(0).inner_text()
    assert traded != "£0.00"  # what schools bought
    expect(chart.get_by_role("definition").nth(1)).to_have_text("£300,000.00")  # statutory
    expect(page.locator("#top-services")).to_contain_text("Governor clerking service")
    expect(page.locator("#trial-balance")).to_contain_text("The book balances.")
    screenshot(page, "10-finance-dashboard")

    chart.get_by_role("link", name="Income by strand as a table").click()
    expect(page.get_by_role("row", name=f"Traded (schools) {traded}")).to_be_visible()
    expect(page.get_by_role("row", name="Statutory (LA contracts) £300,000.00")).to_be_visible()
    screenshot(page, "11-income-by-strand-table")

    page.goto("/finance")
    page.get_by_role("link", name="Traded income by service as a table").click()
    expect(page.locator("#report")).to_contain_text("Governor clerking service")
    with page.expect_download() as exported:
        page.get_by_role("link", name="Download as a spreadsheet (XLSX)").click()
    assert exported.value.suggested_filename.endswith(".xlsx")
    screenshot(page, "11a-traded-income-by-service")

    page.goto("/finance/balances")
    expect(page.locator("#traded")).to_contain_text("Traded income: Governance")
    expect(page.locator("#statutory")).to_contain_text("Statutory income: contract HCC-SI-")
    screenshot(page, "12-account-balances")

    page.get_by_role("link", name="Journal").click()
    strands = page.locator("tbody .govuk-tag")
    expect(strands.get_by_text("Statutory", exact=True)).to_have_count(1)
    assert strands.get_by_text("Traded", exact=True).count() >= 1
    screenshot(page, "12b-journal")

    page.get_by_role("link", name="Invoices", exact=True).click()
    page.locator("tbody a").first.click()
    page.get_by_label("Amount received").fill("100")
    for part, value in zip(
        ("day", "month", "year"), time.strftime("%d %m %Y").split(), strict=True
    ):
        page.locator(f"#received_on-{part}").fill(value)
    page.get_by_label("Reference").fill("BACS-BROWSER-1")
    page.get_by_role("button", name="Record remittance").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Remittance recorded")
    screenshot(page, "12c-remittance")

    phone = signed_in(browser, portal, FINANCE, phone=True)
    expect(phone.get_by_role("heading", name="Finance dashboard")).to_be_visible()
    assert fits_the_screen(phone)
    screenshot(phone, "12e-dashboard-on-a-phone")

    page.get_by_role("link", name="Periods", exact=True).click()
    page.get_by_label("Month").fill("2025-03")
    page.get_by_role("button", name="Close month").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2025-03 closed")
    screenshot(page, "12d-periods")


def test_the_figures_finance_reads_agree_with_the_ledgers_api(
    browser: Browser, portal: str, running: LocalPlatform
) -> None:
    ledger = running.url("ledger")

    def api(path: str, **params: str) -> Any:
        answer = httpx.get(f"{ledger}{path}", params=params, headers=auth(Role.FINANCE))
        assert answer.status_code == 200, answer.text
        return answer.json()

    page = signed_in(browser, portal, FINANCE)
    income = api("/reports/income-by-strand")
    chart = page.locator("#income-by-strand")
    expect(chart.get_by_role("definition").nth(0)).to_have_text(
        format_pounds(income["traded_pence"])
    )
    expect(chart.get_by_role("definition").nth(1)).to_have_text(
        format_pounds(income["statutory_pence"])
    )

    page.get_by_role("link", name="Buy-back and sustainability as a table").click()
    sustainability = api("/reports/sustainability")
    report = page.locator("#report")
    for label, key in (
        ("Surplus: traded strand", "surplus_traded_pence"),
        ("Surplus: statutory strand", "surplus_statutory_pence"),
        ("Reserves (net assets)", "reserves_pence"),
    ):
        expect(report.get_by_role("row", name=label, exact=False)).to_contain_text(
            format_pounds(sustainability[key])
        )
    expect(report).not_to_contain_text("_pence")
    screenshot(page, "12f-sustainability")

    page.goto("/finance/reports/traded-income?by=service")
    by_service = api("/reports/traded-income", by="service")
    with page.expect_download() as as_csv:
        page.get_by_role("link", name="Download as CSV").click()
    table = list(csv.reader(io.StringIO(Path(as_csv.value.path()).read_text())))
    assert table[0][:2] == ["Name", "Income (£)"]
    assert {line[0]: line[1] for line in table[1:]} == {
        row["name"]: f"{row['income_pence'] / 100:.2f}" for row in by_service["rows"]
    }
    with page.expect_download() as as_xlsx:
        page.get_by_role("link", name="Download as a spreadsheet (XLSX)").click()
    sheet = load_workbook(io.BytesIO(Path(as_xlsx.value.path()).read_bytes())).worksheets[0]
    income_cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert sum(cell.value for cell in income_cells) * 100 == pytest.approx(
        by_service["income_pence"]
    )
    assert {cell.number_format for cell in income_cells} == {'"£"#,##0.00;-"£"#,##0.00'}

    page.get_by_role("link", name="Journal").click()
    journal = api("/journal")
    (sale, *_) = [e for e in journal if e["kind"] == "sale" and e["document_kind"] == "invoice"]
    entry = page.locator(f"#entry-{sale['id']}")
    expect(entry.get_by_role("link", name=sale["reference"])).to_be_visible()
    expect(entry).to_contain_text(f"{sale['school_name']} (URN {sale['urn']})")
    debit = sale["lines"][0]
    expect(entry).to_contain_text(debit["account_name"])
    expect(entry).to_contain_text(format_pounds(debit["debit_pence"]))
    expect(page.locator("#journal")).not_to_contain_text("traded:income:")
    screenshot(page, "12g-journal")
    entry.get_by_role("link", name=sale["reference"]).click()
    expect(page.get_by_role("heading", name=re.compile(sale["reference"]))).to_be_visible()

    page.get_by_role("link", name="Periods", exact=True).click()
    page.get_by_label("Month to reopen").select_option("2025-03")
    page.get_by_label("Reason").fill("A supplier invoice for March arrived late")
    page.get_by_role("button", name="Reopen month").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2025-03 reopened")
    history = page.locator("#period-history")
    expect(history).to_contain_text("A supplier invoice for March arrived late")
    expect(history.get_by_role("row")).to_have_count(1 + len(api("/periods/history")))
    screenshot(page, "12h-periods-audit")


def test_a_school_typing_another_schools_order_address_gets_a_404_page(
    browser: Browser, portal: str, running: LocalPlatform
) -> None:
    other = auth(Role.SCHOOL, ASHWELL)
    orders = running.url("orders")
    listing = httpx.get(f"{orders}/listings", headers=other).json()[0]
    placed = httpx.post(
        f"{orders}/orders",
        json=invoice_order(listing["service_id"], purchase_order="PO-ASHWELL-1", urn=ASHWELL),
        headers=other,
    )
    assert placed.status_code == 201, placed.text

    page = signed_in(browser, portal, SCHOOL)
    response = page.goto(f"/orders/{placed.json()['id']}")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("PO-ASHWELL-1")
    screenshot(page, "13-another-schools-order")


def test_the_evaluator_sees_participants_an_impact_report_and_a_networks_maturity(
    browser: Browser, portal: str
) -> None:
    page = signed_in(browser, portal, "Evaluator")
    expect(page.get_by_role("heading", name="Programmes", exact=True)).to_be_visible()
    expect(page.locator('img[src="/programmes/forest-plot.png"]')).to_be_visible()
    wait_for_image(page.locator("main img").first)
    screenshot(page, "14-programmes")
    page.get_by_role("link", name="Middle leaders leading maths mastery").click()
    page.get_by_role("button", name="Impact report").click()
    expect(page.locator("main")).to_contain_text("of 5 padlocks")
    expect(page.locator("main")).to_contain_text("Cost per pupil")
    screenshot(page, "14a-impact-report")

    page.get_by_role("link", name="Participants", exact=True).click()
    reload_until(page, lambda: page.get_by_text("Abbots Langley School").count() > 0)
    expect(page.get_by_role("table", name=re.compile("Governor clerking service"))).to_contain_text(
        "117083"
    )
    screenshot(page, "14b-participants")
    page.get_by_role("link", name="Networks", exact=True).click()
    page.get_by_role("link", name="Abbots Langley and district primaries").click()
    expect(page.locator("#trend")).to_contain_text("Driver: purpose")
    screenshot(page, "14c-network-maturity")


def test_the_evaluator_reads_the_ks2_evaluation_and_its_forest_plot(
    browser: Browser, portal: str
) -> None:
    page = signed_in(browser, portal, "Evaluator")
    page.get_by_role("link", name=SIP_TITLE).click()
    expect(page.locator("main")).to_contain_text("Can show impact")
    page.get_by_role("button", name="Impact report").click()
    outcomes = page.locator("#published-outcomes")
    expect(outcomes).to_contain_text("Difference-in-differences")
    expect(outcomes).to_contain_text("What it cannot claim")
    expect(outcomes.locator("#outcome-ks2-rwm-expected")).to_contain_text("10 of 11")
    expect(outcomes).to_contain_text("not randomised")
    wait_for_image(page.locator('img[src="/programmes/forest-plot.png"]'))
    screenshot(page, "14d-ks2-impact-report")
    page.goto(f"{portal}/programmes")
    page.get_by_role("link", name=GRANT_TITLE).click()
    expect(page.locator("#impact-needs")).to_contain_text("baseline")
    screenshot(page, "14e-grant-funded-flagged")


def test_the_catalogue_admin_creates_and_publishes_a_service_that_schools_then_see(
    browser: Browser, portal: str
) -> None:
    page = signed_in(browser, portal, "Catalogue administrator")
    page.get_by_role("button", name="Add a service").click()
    page.get_by_label("Code").fill("SEND-AUDIT")
    page.get_by_label("Title").fill("SEND provision audit")
    page.get_by_label("Consultancy days").check()
    page.get_by_label("Category").fill("SEND")
    page.get_by_label("Price, before VAT").fill("1,250")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved as a draft")
    page.get_by_role("button", name="Publish SEND provision audit").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("published")
    screenshot(page, "15-catalogue")

    shop = signed_in(browser, portal, SCHOOL)
    shop.goto("/shop?q=SEND+provision+audit")
    reload_until(shop, lambda: shop.get_by_text("SEND provision audit").count() > 0)
    expect(shop.get_by_role("listitem").filter(has_text="SEND provision audit")).to_contain_text(
        "£1,250.00"
    )

    page.get_by_role("link", name="SEND provision audit").click()
    expect(page.locator("main")).to_contain_text("£1,250.00 a day, half the day rate a half-day")
    page.locator('input[name="maintained-kind"][value="banded_by_pupils"]').check()
    page.get_by_text("Maintained schools in the county: by pupils on roll, in bands").click()
    page.locator("#maintained-banded_by_pupils-band0-from").fill("0")
    page.locator("#maintained-banded_by_pupils-band0-pence").fill("lots")
    page.get_by_role("button", name="Save new prices").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Band 1: enter an amount")
    page.locator("#maintained-banded_by_pupils-band0-pence").fill("1100")
    page.locator("#maintained-banded_by_pupils-band1-from").fill("201")
    page.locator("#maintained-banded_by_pupils-band1-pence").fill("1400")
    page.get_by_role("button", name="Save new prices").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("version 2")
    expect(page.locator("main")).to_contain_text(
        "0–200 pupils, £1,100.00; 201 pupils or more, £1,400.00"
    )
    screenshot(page, "15a-service-prices")
    page.get_by_role("link", name="Providers", exact=True).click()
    expect(page.get_by_role("table")).to_be_visible()
    screenshot(page, "15b-providers")


def test_a_school_buys_through_its_basket_by_invoice_with_the_keyboard_only(
    browser: Browser, portal: str
) -> None:
    page = signed_in(browser, portal, SCHOOL)
    tab_to(page, page.get_by_label("Search services"))
    page.keyboard.type("governance")
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name="External review of governance"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("button", name="Add to basket"))
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Added to your basket")

    choose_with_arrows(page, "payment_method", page.get_by_label("By invoice"))
    tab_to(page, page.get_by_role("button", name="Place order"))
    page.keyboard.press("Enter")  # no purchase-order number yet
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()  # a screen reader announces the problem at once
    tab_to(page, summary.get_by_role("link"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("textbox", name=re.compile("Purchase order number"))).to_be_focused()
    page.keyboard.type("PO-KEYBOARD-1")
    tab_to(page, page.get_by_role("button", name="Place order"))
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Order placed")
    expect(page.locator("main")).to_contain_text("PO-KEYBOARD-1")


def test_the_la_signs_off_a_milestone_with_the_keyboard_only(browser: Browser, portal: str) -> None:
    page = signed_in(browser, portal, OFFICER)
    tab_to(page, page.get_by_role("link", name=re.compile("^HCC-SI-")).first)
    page.keyboard.press("Enter")
    sign_off = page.get_by_role("button", name=re.compile("^Sign off ")).first
    milestone = (sign_off.text_content() or "").removeprefix("Sign off ").strip()
    tab_to(page, sign_off)
    page.keyboard.press("Enter")
    confirm = page.get_by_role("button", name=re.compile("^Sign off and invoice £"))
    tab_to(page, confirm)
    page.keyboard.press("Enter")  # no evidence yet
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    tab_to(page, summary.get_by_role("link"))
    page.keyboard.press("Enter")
    expect(page.get_by_label("Evidence that the milestone is met")).to_be_focused()
    page.keyboard.type("Report received and read at the quarterly review")
    tab_to(page, confirm)
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Milestone signed off: {milestone}"
    )


def approval_link_emailed(running: LocalPlatform, timeout: float = 60.0) -> str:
    """The link in the message the notifications service sent the approver by SMTP (the run
    command's mail server keeps each message as a file)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in read_folder(running.data_dir / "mail"):
            if message["To"] == "approver.117083@schools.example":
                body = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
                found = re.search(r"http://\S+/orders/[0-9a-f-]{36}/approval", body)
                assert found, body
                return found.group(0)
        time.sleep(0.3)
    raise AssertionError("no message reached the approver")


def test_an_order_over_the_limit_is_approved_from_the_approvers_message_and_then_invoiced(
    browser: Browser, portal: str, running: LocalPlatform
) -> None:
    policy = f"{running.url('orders')}/schools/117083/approval-policy"
    school_token = auth(Role.SCHOOL, 117083)
    limited = httpx.put(policy, json={"spending_limit_pence": 100_000}, headers=school_token)
    assert limited.status_code == 200, limited.text
    try:
        page = signed_in(browser, portal, SCHOOL)
        page.get_by_label("Search services").fill("governance")
        page.get_by_role("button", name="Search").click()
        page.get_by_role("link", name="External review of governance").click()  # £1,140
        page.get_by_role("textbox", name="Purchase order number").fill("PO-APPROVAL-1")
        page.get_by_role("button", name="Place order").click()
        expect(page.locator("#order-status")).to_contain_text("Awaiting approval")
        expect(page.locator("#payment-status")).to_contain_text("Not yet asked for")

        approver = signed_in(browser, portal, APPROVER)
        approver.goto(approval_link_emailed(running))
        expect(approver.locator("#order-status")).to_contain_text("Awaiting approval")
        screenshot(approver, "30-order-awaiting-approval")
        approver.get_by_role("button", name="Approve").click()
        expect(approver.locator(".govuk-notification-banner")).to_contain_text("Order approved")
        expect(approver.locator("#invoice")).to_contain_text("INV-")
        screenshot(approver, "31-order-approved-and-invoiced")

        page.reload()
        expect(page.locator("#payment-status")).to_contain_text("Invoiced")
        approver.get_by_role("link", name="Messages").click()
        expect(approver.locator("#messages")).to_contain_text("awaits your approval")
    finally:
        httpx.put(policy, json={}, headers=school_token)


def test_the_accessibility_statement_is_linked_from_every_page(
    browser: Browser, portal: str
) -> None:
    page = signed_in(browser, portal, FINANCE)
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accessibility statement")
    expect(page.locator("main")).to_contain_text("WCAG")


def test_every_page_the_browser_tests_visited_meets_wcag_2_2_aa(
    browser: Browser, portal: str
) -> None:
    """Runs last (its pages stay signed in while the module's browser runs): axe-core on every page each person saw above, at desktop width and 390 px."""
    assert sum(len(paths) for _, paths in AUDIT.visited.values()) >= 20
    failures = AUDIT.failures()
    assert failures == [], "\n".join(failures)
