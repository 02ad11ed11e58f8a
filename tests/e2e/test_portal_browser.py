"""The portal in a real headless browser against the platform as `scp up` runs it: separate
processes over HTTP and NATS. The scenarios run in order on one platform, like one day's work:
a school buys, the LA signs off, finance sees both incomes in their strands."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from shared.auth import Role
from tests.support.local_platform import LocalPlatform
from tests.support.platform import ASHWELL, auth
from tests.support.portal_browser import chromium, fits_the_screen, screenshot, signed_in

pytestmark = pytest.mark.e2e

SCHOOL = "School business manager, Abbots Langley School"
OFFICER = "LA school improvement officer"
FINANCE = "Finance officer"


@pytest.fixture(scope="module")
def running() -> Iterator[LocalPlatform]:
    platform = LocalPlatform().start(timeout=120)
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


def test_a_school_buys_a_service_by_invoice_and_sees_it_in_its_orders(
    browser: Browser, portal: str
) -> None:
    page = browser.new_page(base_url=portal)
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


def test_the_shop_fits_a_phone_screen(browser: Browser, portal: str) -> None:
    page = signed_in(browser, portal, SCHOOL, phone=True)
    expect(page.get_by_role("heading", name="Services for your school")).to_be_visible()
    assert fits_the_screen(page)
    screenshot(page, "06-shop-on-a-phone")


def test_the_la_records_a_contract_the_api_refuses_then_signs_off_a_milestone(
    browser: Browser, portal: str
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
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text("Milestone signed off: Quarter 1 monitoring report")
    expect(banner).to_contain_text(re.compile(r"LA invoice \S+ raised for £360,000\.00"))
    screenshot(page, "09-milestone-signed-off")


def test_finance_sees_both_incomes_in_their_own_strands_on_the_dashboard(
    browser: Browser, portal: str
) -> None:
    page = signed_in(browser, portal, FINANCE)
    expect(page.get_by_role("heading", name="Finance dashboard")).to_be_visible()
    chart = page.locator("#income-by-strand")
    reload_until(page, lambda: "£300,000.00" in chart.inner_text())
    expect(chart.get_by_role("definition").nth(0)).to_have_text("£1,800.00")  # traded
    expect(chart.get_by_role("definition").nth(1)).to_have_text("£300,000.00")  # statutory
    expect(page.locator("#trial-balance")).to_contain_text("The book balances.")
    screenshot(page, "10-finance-dashboard")

    chart.get_by_role("link", name="Income by strand as a table").click()
    expect(page.get_by_role("row", name="Traded (schools) £1,800.00")).to_be_visible()
    expect(page.get_by_role("row", name="Statutory (LA contracts) £300,000.00")).to_be_visible()
    screenshot(page, "11-income-by-strand-table")

    page.goto("/finance/balances")
    expect(page.locator("#traded")).to_contain_text("Traded income: Governance")
    expect(page.locator("#statutory")).to_contain_text("Statutory income: contract HCC-SI-")
    screenshot(page, "12-account-balances")

    page.get_by_role("link", name="Journal").click()
    strands = page.locator("tbody .govuk-tag")
    expect(strands).to_have_count(2)
    expect(strands.get_by_text("Traded", exact=True)).to_have_count(1)
    expect(strands.get_by_text("Statutory", exact=True)).to_have_count(1)
    screenshot(page, "12b-journal")


def test_a_school_typing_another_schools_order_address_gets_a_404_page(
    browser: Browser, portal: str, running: LocalPlatform
) -> None:
    other = auth(Role.SCHOOL, ASHWELL)
    orders = running.url("orders")
    listing = httpx.get(f"{orders}/listings", headers=other).json()[0]
    placed = httpx.post(
        f"{orders}/orders",
        json={
            "urn": ASHWELL,
            "lines": [{"service_id": listing["service_id"], "quantity": 1}],
            "payment_method": "invoice",
            "purchase_order": "PO-ASHWELL-1",
        },
        headers=other,
    )
    assert placed.status_code == 201, placed.text

    page = signed_in(browser, portal, SCHOOL)
    response = page.goto(f"/orders/{placed.json()['id']}")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("PO-ASHWELL-1")
    screenshot(page, "13-another-schools-order")


def test_the_evaluator_sees_the_participants_of_each_service(browser: Browser, portal: str) -> None:
    page = signed_in(browser, portal, "Evaluator")
    reload_until(page, lambda: page.get_by_text("Abbots Langley School").count() > 0)
    expect(page.get_by_role("table", name=re.compile("Governor clerking service"))).to_contain_text(
        "117083"
    )
    screenshot(page, "14-participants")


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
    reload_until(shop, lambda: shop.get_by_text("SEND provision audit").count() > 0)
    expect(shop.get_by_role("listitem").filter(has_text="SEND provision audit")).to_contain_text(
        "£1,250.00"
    )
