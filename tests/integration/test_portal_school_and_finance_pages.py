"""The school's basket, card and invoice checkout, bookings and invoices, and finance's
dashboard, reports, remittances and periods, in the portal against the real services (in this
process, SQLite, real NATS, localstripe behind the real Stripe SDK). One seeded platform serves
the module; each test changes only what it alone looks at, or only adds to it."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio

from services.portal.domain.ordering import years_to_renew
from shared.auth import Role
from shared.calendar import academic_year_term
from shared.clock import Clock, in_england
from shared.money import format_pounds as pounds
from tests.integration.orders.test_orders_given_back_once import call_off, review_and_short_course
from tests.support.databases import DatabaseFactory
from tests.support.orders_shop import LocalStripe, Shop, localstripe
from tests.support.platform import (
    ABBOTS_LANGLEY,
    ASHWELL,
    Platform,
    auth,
    eventually,
    invoice_order,
)
from tests.support.portal_pages import (
    date_fields,
    error_summary_links,
    seeded_platform,
    signed_in_portal,
    text_of,
)
from tests.support.portal_preparations import booked, offered_a_place, ordered_in_turn

pytestmark = pytest.mark.asyncio(loop_scope="module")
__all__ = ["localstripe"]  # the session's localstripe process

SCHOOL = auth(Role.SCHOOL, ABBOTS_LANGLEY)
BUSHEY_HEATH = 117088  # Bushey Heath Primary School, in the real register
# More of the real register's maintained primaries nothing else here buys for: the governor
# clerking service is a subscription, bought for a school once a year, so each test that buys
# it by invoice buys it for a school of its own.
HIGHWOOD, MERRY_HILL, FOUR_SWANNES, CHORLEYWOOD = 117089, 117090, 117092, 117093
RADLETT_LODGE = 117646  # the independent school's demo user's
SHEPHERD = 117096  # Shepherd Primary, in the real register
FINANCE = auth(Role.FINANCE)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def seeded(
    tmp_path_factory: pytest.TempPathFactory, nats_url: str, localstripe: LocalStripe
) -> AsyncIterator[Platform]:
    databases = DatabaseFactory("sqlite", tmp_path_factory.mktemp("shop-and-books"), None)
    async with seeded_platform(databases, nats_url, localstripe_url=localstripe.url) as platform:
        yield platform


@pytest_asyncio.fixture(loop_scope="module")
async def school(seeded: Platform, localstripe: LocalStripe) -> AsyncIterator[httpx.AsyncClient]:
    async with signed_in_portal(seeded, "school", localstripe_url=localstripe.url) as client:
        yield client


@pytest_asyncio.fixture(loop_scope="module")
async def finance(seeded: Platform) -> AsyncIterator[httpx.AsyncClient]:
    async with signed_in_portal(seeded, "finance") as client:
        yield client


async def listing_coded(platform: Platform, code: str) -> dict[str, Any]:
    async def found() -> dict[str, Any] | None:
        listings = (await platform.orders.get("/listings", headers=SCHOOL)).json()
        return next((listing for listing in listings if listing["code"] == code), None)

    listing: dict[str, Any] = await eventually(found)
    return listing


async def a_session(
    platform: Platform, course: dict[str, Any], *, days_ahead: int, capacity: int
) -> dict[str, Any]:
    """A new session of a seeded course, so many days from today."""
    created = await platform.catalogue.post(
        f"/services/{course['service_id']}/sessions",
        json={
            "starts_on": (Clock().today() + timedelta(days=days_ahead)).isoformat(),
            "venue": "Hitchin",
            "capacity": capacity,
        },
        headers=auth(Role.CATALOGUE_ADMIN),
    )
    assert created.status_code == 201, created.text
    return dict(created.json())


async def clerking_by_invoice(platform: Platform, purchase_order: str, urn: int) -> httpx.Response:
    """The school orders the governor clerking service by invoice, through the API."""
    clerking = await listing_coded(platform, "GOV-CLERK")
    placed = await platform.orders.post(
        "/orders",
        json=invoice_order(clerking["service_id"], purchase_order=purchase_order, urn=urn),
        headers=auth(Role.SCHOOL, urn),
    )
    assert placed.status_code == 201, placed.text
    return placed


async def basket_is_empty(school: httpx.AsyncClient) -> None:
    page = (await school.get("/basket")).text
    for line in re.findall(r'action="(/basket/lines/[^"]+)"', page)[::2]:
        await school.post(line, data={"remove": "yes"})


async def test_the_last_place_on_a_session_is_said_as_one_place(
    school: httpx.AsyncClient, seeded: Platform
) -> None:
    course = await listing_coded(seeded, "MENTOR")
    runs_on = Clock().today() + timedelta(days=61)
    scheduled = await seeded.catalogue.post(
        f"/services/{course['service_id']}/sessions",
        json={"starts_on": runs_on.isoformat(), "venue": "Hatfield", "capacity": 1},
        headers=auth(Role.CATALOGUE_ADMIN),
    )
    assert scheduled.status_code == 201, scheduled.text
    page = text_of((await school.get(f"/shop/{course['service_id']}")).text)
    assert "Hatfield (1 place left)" in page
    assert "1 places" not in page


async def test_a_school_behind_others_waits_and_reads_its_place_in_line_as_they_leave(
    school: httpx.AsyncClient, seeded: Platform
) -> None:
    """One place is free, but the first school waiting needs two: the shop offers no place
    while schools wait, a new order goes behind them, and the bookings page numbers it by its
    place in line now, not the one it took."""
    course = await listing_coded(seeded, "MENTOR")
    session = await a_session(seeded, course, days_ahead=63, capacity=2)
    in_turn = {ASHWELL: 1, BUSHEY_HEATH: 2, HIGHWOOD: 2, ABBOTS_LANGLEY: 1}
    placed = await ordered_in_turn(seeded, course["service_id"], session["id"], in_turn)
    await eventually(lambda: booked(seeded, placed[ABBOTS_LANGLEY], "waiting"))

    shop = text_of((await school.get(f"/shop/{course['service_id']}")).text)
    assert "(full: 3 schools waiting, join the waiting list)" in shop
    assert "Waiting list, number 3" in text_of((await school.get("/bookings")).text)

    cancelled = await seeded.orders.post(
        f"/orders/{placed[BUSHEY_HEATH]}/cancel",
        json={"reason": "staff absence"},
        headers=auth(Role.SCHOOL, BUSHEY_HEATH),
    )
    assert cancelled.status_code == 200, cancelled.text

    async def second_in_line() -> bool:
        return "Waiting list, number 2" in text_of((await school.get("/bookings")).text)

    await eventually(second_in_line)
    assert await booked(seeded, placed[HIGHWOOD], "waiting")  # two do not fit the one place


async def test_a_course_on_a_session_goes_in_the_basket_and_is_bought_by_invoice(
    school: httpx.AsyncClient, seeded: Platform
) -> None:
    await basket_is_empty(school)
    course = await listing_coded(seeded, "MENTOR")
    page = (await school.get(f"/shop/{course['service_id']}")).text
    session = re.findall(r'name="session_id" type="radio" value="([^"]+)"', page)[0]
    assert "places left" in page

    added = await school.post(
        f"/shop/{course['service_id']}/basket", data={"quantity": "2", "session_id": session}
    )
    assert added.status_code == 303, added.text
    basket = text_of((await school.get("/basket")).text)
    assert "Added to your basket" in basket and "ECT mentor training" in basket

    no_po = await school.post(
        "/basket/checkout", data={"payment_method": "invoice", "key": "no-po-key-1"}
    )
    assert no_po.status_code == 422
    assert list(error_summary_links(no_po.text)) == ["purchase_order"]

    placed = await school.post(
        "/basket/checkout",
        data={"payment_method": "invoice", "purchase_order": "PO-COURSE-1", "key": "k-course-1"},
    )
    assert placed.status_code == 303, placed.text
    order_url = placed.headers["location"]
    page = (await school.get(order_url)).text
    assert "Order placed" in text_of(page)
    # the invoice is not emailed: it is on the page, not "on its way"
    assert re.search(r"Invoice INV-\d+ is ready: download it below", text_of(page))
    assert "A course's places go to the next school waiting" in text_of(page)  # its cancel form
    pdf_link = re.findall(r'href="(/invoices/[^"]+\.pdf)"', page)[0]
    pdf = await school.get(pdf_link)
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")

    async def booked() -> bool:
        shown = text_of((await school.get(order_url)).text)
        return "Places booked" in shown or "On the waiting list" in shown

    assert await eventually(booked)
    bookings = text_of((await school.get("/bookings")).text)
    assert re.search(r"ECT mentor training \d+ \w+ \d{4} 2 (Places booked|Waiting list)", bookings)
    assert "ECT mentor training" in text_of((await school.get("/orders")).text)


async def a_card_order(
    school: httpx.AsyncClient, platform: Platform, key: str, code: str = "PRE-INSP"
) -> str:
    """Checked out by card (a review day unless `code` says else): the address of its payment
    page."""
    await basket_is_empty(school)
    service = await listing_coded(platform, code)
    added = await school.post(f"/shop/{service['service_id']}/basket", data={"quantity": "1"})
    assert added.status_code == 303, added.text
    placed = await school.post("/basket/checkout", data={"payment_method": "card", "key": key})
    assert placed.status_code == 303, placed.text
    assert placed.headers["location"].endswith("/pay")
    return str(placed.headers["location"])


CARD = {"exp_month": "12", "exp_year": "2031", "cvc": "123"}


async def test_a_card_checkout_is_paid_on_the_payment_page_and_finance_refunds_part_of_it(
    school: httpx.AsyncClient,
    finance: httpx.AsyncClient,
    seeded: Platform,
    localstripe: LocalStripe,
) -> None:
    pay_url = await a_card_order(school, seeded, "card-key-paid", "GOV-CLERK")
    assert "Pay £2,160.00 by card" in text_of((await school.get(pay_url)).text)
    paid = await school.post(pay_url, data={"card_number": "4242 4242 4242 4242", **CARD})
    assert paid.status_code == 303, paid.text
    order_url = paid.headers["location"]
    confirming = text_of((await school.get(order_url)).text)
    assert "Payment accepted" in confirming
    assert "Payment Payment being confirmed" in confirming  # until Stripe's webhook arrives
    assert "Awaiting payment" not in confirming and "Pay by card" not in confirming
    assert "Cancel this order" not in confirming  # it would lose the payment Stripe has taken
    again = await school.get(pay_url)  # no second payment
    assert (again.status_code, again.headers["location"]) == (303, order_url)

    # Stripe's signed webhook, as localstripe would post it to the orders service
    stripe = Shop(seeded, localstripe)
    order = await stripe.order(order_url.removeprefix("/orders/"))
    answer = await stripe.send_webhook(await stripe.succeeded_event(order["payment_reference"]))
    assert answer.json() == {"result": "paid"}
    assert "Order Placed Payment Paid" in text_of((await school.get(order_url)).text)

    refund_url = f"/finance{order_url}/refund"
    too_much = await finance.post(refund_url, data={"refund_amount": "5,000", "refund_reason": "x"})
    assert too_much.status_code == 422
    assert list(error_summary_links(too_much.text)) == ["refund_amount"]
    refunded = await finance.post(
        refund_url, data={"refund_amount": "160", "refund_reason": "One visit not needed"}
    )
    assert refunded.status_code == 303, refunded.text
    page = text_of((await finance.get(order_url)).text)
    assert "Refund made" in page and "£160.00 refunded" in page


async def test_a_declined_card_is_shown_on_the_card_number(
    school: httpx.AsyncClient, seeded: Platform
) -> None:
    pay_url = await a_card_order(school, seeded, "card-key-declined")
    declined = await school.post(pay_url, data={"card_number": "4000 0000 0000 0341", **CARD})
    assert declined.status_code == 422
    assert list(error_summary_links(declined.text)) == ["card_number"]
    assert 'id="card_number-error"' in declined.text
    for field, other_digits in (("card_number", "４２４２" * 4), ("cvc", "12³")):
        refused = await school.post(
            pay_url, data={"card_number": "4242424242424242", **CARD, field: other_digits}
        )
        assert refused.status_code == 422, refused.text
        assert list(error_summary_links(refused.text)) == [field]


async def test_finance_sees_the_charts_each_linked_to_its_table_and_its_exports(
    finance: httpx.AsyncClient, seeded: Platform
) -> None:
    await clerking_by_invoice(seeded, "PO-FINANCE-1", HIGHWOOD)

    async def charted() -> str:
        page = (await finance.get("/finance")).text
        return page if "Governor clerking service" in page else ""

    page = await eventually(charted)
    for chart in ("traded-by-month", "income-by-strand", "top-services", "buy-back", "aged-debt"):
        assert f'id="{chart}"' in page
    today = Clock().today().isoformat()
    for table in (
        "/finance/reports/traded-income?by=month&amp;",
        "/finance/reports/traded-income?by=service&amp;",
        "/finance/reports/sustainability?",
        "/finance/reports/aged-debt?",
    ):
        assert f'href="{table}as_of={today}"' in page  # the table of the dashboard's day
    month = Clock().today().strftime("%B %Y")
    assert month in text_of(page)

    by_service = text_of((await finance.get("/finance/reports/traded-income?by=service")).text)
    assert re.search(r"Governor clerking service (\S+ )?£[1-9][\d,]*\.\d\d", by_service)
    exported = await finance.get("/finance/reports/traded-income/csv?by=service")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    assert exported.text.startswith("Name,Income (£),Same period last year (£)")

    sustainability = text_of((await finance.get("/finance/reports/sustainability")).text)
    assert "Measure Value Note" in sustainability
    assert re.search(r"Surplus: traded strand -?£[\d,]+\.\d\d", sustainability)
    assert re.search(r"Traded share of income [\d.]+%", sustainability)
    assert "_pence" not in sustainability and "_percent" not in sustainability
    xlsx = await finance.get("/finance/reports/aged-debt/xlsx")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert (await finance.get("/finance/reports/no-such-report")).status_code == 404


async def test_finance_reads_traded_income_by_the_cfr_code_schools_book_it_against(
    finance: httpx.AsyncClient, seeded: Platform
) -> None:
    order = (await clerking_by_invoice(seeded, "PO-FINANCE-CFR", MERRY_HILL)).json()

    async def by_cfr() -> str:
        page = text_of((await finance.get("/finance/reports/traded-income?by=cfr")).text)
        return page if "E28a" in page else ""

    page = await eventually(by_cfr)  # clerking is bought-in "other" professional services
    assert "Traded income by CFR code" in page  # not "by cfr"
    by_la = text_of((await finance.get("/finance/reports/traded-income?by=la")).text)
    assert "Traded income by local authority" in by_la and "Local authority" in by_la
    assert re.search(r"E28a Bought-in professional services – other \(except PFI\) £[1-9]", page)
    assert "/finance/reports/traded-income?by=cfr&amp;" in (await finance.get("/finance")).text
    order_page = text_of((await finance.get(f"/orders/{order['id']}")).text)
    assert "CFR code E28a" in order_page


async def test_finance_reads_the_journal_as_an_accountant_with_the_invoice_linked(
    finance: httpx.AsyncClient, seeded: Platform
) -> None:
    invoice = (await clerking_by_invoice(seeded, "PO-JOURNAL-1", FOUR_SWANNES)).json()["invoice"]
    invoices = await seeded.orders.get("/invoices", headers=FINANCE)
    (invoice_id,) = [i["id"] for i in invoices.json() if i["number"] == invoice["number"]]

    async def posted() -> str:
        page = (await finance.get("/finance/journal")).text
        return page if invoice["number"] in page else ""

    page = await eventually(posted)
    assert (
        f'<a class="govuk-link" href="/finance/invoices/{invoice_id}">{invoice["number"]}</a>'
        in page
    )
    text = text_of(page)
    assert "Date Reference Description Account Debit Credit" in text
    assert "Four Swannes Primary School (URN 117092)" in text
    assert "Receivables: schools" in text and "Deferred income" in text
    assert "traded:income:" not in text and "receivables:schools" not in text
    assert "Recognition schedule:" in text
    # the sale's deferred income is one line, however many months it is recognised over
    entry = page[page.index(f'href="/finance/invoices/{invoice_id}"') :]
    entry = entry[: entry.find('id="entry-')]
    assert entry.count("Deferred income") == 1


async def test_a_credit_note_s_schedule_reads_as_income_taken_back_without_minus_signs(
    finance: httpx.AsyncClient, seeded: Platform
) -> None:
    """A subscription cancelled gives back the months still to come: the credit note's schedule
    takes income back month by month, and says so, not "-£… of it recognised"."""
    order = (await clerking_by_invoice(seeded, "PO-JOURNAL-CN", SHEPHERD)).json()
    cancelled = await seeded.orders.post(
        f"/orders/{order['id']}/cancel",
        json={"reason": "clerk appointed by the governors"},
        headers=auth(Role.SCHOOL, SHEPHERD),
    )
    assert cancelled.status_code == 200, cancelled.text
    against = f"against {order['invoice']['number']}"

    def credit_note_in(page: str) -> str:
        if against not in page:
            return ""
        entry = page[page.rindex('id="entry-', 0, page.index(against)) :]
        return text_of(entry[: entry.find('id="entry-', 1)])

    async def posted() -> str:
        return credit_note_in((await finance.get("/finance/journal")).text)

    entry = await eventually(posted)
    assert "Taken back from income:" in entry, entry
    assert re.search(r"; £[\d,]+\.\d\d of it taken back so far\.", entry), entry
    assert "Recognition schedule" not in entry and "-£" not in entry


async def test_the_journal_pages_through_every_entry_and_never_claims_one_page_is_all(
    finance: httpx.AsyncClient, seeded: Platform
) -> None:
    async def ledger_journal() -> list[str]:
        answer = await seeded.ledger.get("/journal", params={"limit": 10_000}, headers=FINANCE)
        return [entry["id"] for entry in answer.json()]

    async def walked() -> tuple[list[str], list[str]] | None:
        """Every page, newest first, followed by its "Older entries" link; None if the ledger
        posted something meanwhile."""
        expected, pages, address = await ledger_journal(), [], "/finance/journal"
        while address:
            page = (await finance.get(address)).text
            pages.append(page)
            older = re.search(r'href="([^"]+)" rel="next"', page)
            address = older.group(1) if older else ""
        return (expected, pages) if expected == await ledger_journal() else None

    expected, pages = await eventually(walked)
    assert len(expected) > 200  # the seed's imported history: three pages or more
    assert len(pages) == -(-len(expected) // 100)
    shown = [i for page in pages for i in re.findall(r'id="entry-([^"]+)"', page)]
    assert shown == expected  # each entry once, in the ledger's order
    first, second, last = (text_of(page) for page in (pages[0], pages[1], pages[-1]))
    assert "Every entry" not in first
    assert "newest first, 100 to a page" in first
    assert "Page 1: entries 1 to 100. Older entries are on the next page." in first
    assert "Older entries" in first and "Newer entries" not in first
    assert "Page 2: entries 101 to 200." in second and "Newer entries" in second
    assert 'href="/finance/journal?page=1" rel="prev"' in pages[1]
    assert f"to {len(expected)}. There are no older entries." in last
    assert "Older entries" not in last.replace("no older entries", "")
    beyond = text_of((await finance.get(f"/finance/journal?page={len(pages) + 1}")).text)
    assert "There are no entries this far back." in beyond and "Nothing posted yet" not in beyond


async def test_staff_mark_a_consultancy_order_delivered_and_its_income_is_earned_then(
    finance: httpx.AsyncClient, seeded: Platform
) -> None:
    review = await listing_coded(seeded, "PRE-INSP")  # a day-long review: no date, no term
    placed = await seeded.orders.post(
        "/orders",
        json=invoice_order(review["service_id"], purchase_order="PO-DELIVERY-1"),
        headers=SCHOOL,
    )
    assert placed.status_code == 201, placed.text
    order = placed.json()
    number = order["invoice"]["number"]

    def sale_in(page: str) -> str:
        entry = page[page.index(f">{number}</a>") :]
        return text_of(entry[: entry.find('id="entry-')])

    async def waiting() -> str:
        page = (await finance.get("/finance/journal")).text
        return page if number in page and "waits for the order" in sale_in(page) else ""

    held = sale_in(await eventually(waiting))
    net = pounds(order["net_pence"])
    assert f"{net} of it waits for the order's delivery, to be recognised then." in held
    page = text_of((await finance.get(f"/orders/{order['id']}")).text)
    assert "Mark as delivered" not in page  # finance reads; company staff record delivery

    async with signed_in_portal(seeded, "admin") as admin:
        shown = text_of((await admin.get(f"/orders/{order['id']}")).text)
        assert "Delivery Once what this order bought has been delivered" in shown
        delivered = await admin.post(f"/orders/{order['id']}/fulfil")
        assert delivered.status_code == 303, delivered.text
        page = text_of((await admin.get(f"/orders/{order['id']}")).text)
        assert "Order marked as delivered" in page and "Order Fulfilled" in page
        assert "Mark as delivered" not in page
        again = await admin.post(f"/orders/{order['id']}/fulfil")  # from a page left open
        assert again.status_code == 422
        assert list(error_summary_links(again.text)) == ["delivered"]

    async def recognised() -> str:
        page = (await finance.get("/finance/journal")).text
        return page if "delivered to school 117083" in page else ""

    page = await eventually(recognised)
    assert "waits for the order" not in sale_in(page)
    assert f"Order {order['id']} delivered to school 117083" in text_of(page)


async def test_finance_records_a_part_payment_and_the_api_refuses_more_than_is_owed(
    finance: httpx.AsyncClient, seeded: Platform
) -> None:
    placed = await clerking_by_invoice(seeded, "PO-REMIT-1", CHORLEYWOOD)
    invoice = placed.json()["invoice"]
    url = f"/finance/invoices/{invoice['id']}"
    listed = text_of((await finance.get("/finance/invoices")).text)
    assert invoice["number"] in listed
    assert "Invoice Issued Due Total with VAT Outstanding" in listed  # the total is gross
    today = date_fields("received_on", Clock().today())

    too_much = await finance.post(url, data={"amount": "5,000", "reference": "BACS-1", **today})
    assert too_much.status_code == 422
    assert list(error_summary_links(too_much.text)) == ["amount"]

    part = await finance.post(url, data={"amount": "1,000", "reference": "BACS-1", **today})
    assert part.status_code == 303, part.text
    page = text_of((await finance.get(url)).text)
    assert f"Remittance recorded against invoice {invoice['number']}" in page
    assert "£1,160.00 is still outstanding" in page
    assert "BACS-1 £1,000.00" in page
    assert "Standard (20%) £1,800.00 £360.00" in page  # the VAT by rate
    assert "Total with VAT £2,160.00" in page


async def review_settled(
    platform: Platform, purchase_order: str, *, paid_pence: int | None
) -> tuple[str, int]:
    """A review ordered by invoice and paid in full (`paid_pence` None), or paid so much and then
    cancelled before its day, which credits all of it: its invoice's number and total."""
    review = await listing_coded(platform, "PRE-INSP")
    placed = await platform.orders.post(
        "/orders",
        json=invoice_order(review["service_id"], purchase_order=purchase_order),
        headers=SCHOOL,
    )
    assert placed.status_code == 201, placed.text
    order, invoice = placed.json(), placed.json()["invoice"]
    if paid_pence != 0:
        remitted = await platform.orders.post(
            f"/invoices/{invoice['id']}/remittances",
            json={
                "amount_pence": paid_pence or order["gross_pence"],
                "received_on": str(Clock().today()),
                "reference": f"BACS {purchase_order}",
            },
            headers=FINANCE,
        )
        assert remitted.status_code == 201, remitted.text
    if paid_pence is not None:
        cancelled = await platform.orders.post(
            f"/orders/{order['id']}/cancel", json={"reason": "Not needed"}, headers=SCHOOL
        )
        assert cancelled.status_code == 200, cancelled.text
    return str(invoice["number"]), int(order["gross_pence"])


async def test_finance_s_invoice_list_says_paid_only_of_an_invoice_paid_not_of_one_credited(
    finance: httpx.AsyncClient, seeded: Platform
) -> None:
    """An invoice credited in full before anything was paid read "Paid", as if money came in."""
    paid, _ = await review_settled(seeded, "PO-SETTLED-1", paid_pence=None)
    credited, _ = await review_settled(seeded, "PO-SETTLED-2", paid_pence=0)
    both, gross = await review_settled(seeded, "PO-SETTLED-3", paid_pence=10_000)
    page = (await finance.get("/finance/invoices")).text

    def settled(number: str) -> str:
        row = page[page.index(f">{number}</a>") :]
        return text_of(row[: row.index("</tr>")])

    assert settled(paid).endswith(" Paid")
    assert settled(credited).endswith(" Credited in full")
    assert settled(both).endswith(
        f" £100.00 paid, {pounds(gross)} credited, £100.00 owed back to the school"
    )


async def test_finance_closes_a_month_once(finance: httpx.AsyncClient) -> None:
    bad = await finance.post("/finance/periods", data={"month": "November"})
    assert bad.status_code == 422
    assert error_summary_links(bad.text) == {
        "month": "Enter the month as a year and month, like 2026-11"
    }
    closed = await finance.post("/finance/periods", data={"month": "2025-03"})
    assert closed.status_code == 303, closed.text
    assert "2025-03 closed" in text_of((await finance.get("/finance/periods")).text)
    again = await finance.post("/finance/periods", data={"month": "2025-03"})
    assert again.status_code == 422
    assert error_summary_links(again.text) == {"month": "Period 2025-03 is already closed"}


async def test_the_month_finance_is_offered_to_close_is_the_last_by_the_portals_clock(
    seeded: Platform,
) -> None:
    async with signed_in_portal(seeded, "finance") as finance:
        finance.app.state.clock.set(date(2027, 1, 6))
        page = (await finance.get("/finance/periods")).text
    assert 'value="2026-12"' in page


async def test_finance_reopens_a_closed_month_with_a_reason_kept_in_the_audit(
    finance: httpx.AsyncClient,
) -> None:
    await finance.post("/finance/periods", data={"month": "2025-02"})
    no_reason = await finance.post("/finance/periods/reopen", data={"reopen_month": "2025-02"})
    assert no_reason.status_code == 422
    assert list(error_summary_links(no_reason.text)) == ["reason"]
    reopened = await finance.post(
        "/finance/periods/reopen",
        data={"reopen_month": "2025-02", "reason": "accrual posted to the wrong month"},
    )
    assert reopened.status_code == 303, reopened.text
    page = text_of((await finance.get("/finance/periods")).text)
    assert "2025-02 reopened" in page
    # who: the signed-in user's subject, from the token
    assert "2025-02 Reopened demo-finance" in page and "accrual posted to the wrong month" in page
    assert "2025-02 Closed demo-finance" in page
    still_open = await finance.post(
        "/finance/periods/reopen", data={"reopen_month": "2025-02", "reason": "again please"}
    )
    assert error_summary_links(still_open.text) == {"reopen_month": "Period 2025-02 is not closed"}


async def test_the_renewal_offers_this_years_subscriptions_and_renews_them_in_one_step(
    school: httpx.AsyncClient, seeded: Platform, localstripe: LocalStripe
) -> None:
    data_sla = await listing_coded(seeded, "DATA-SLA")
    await Shop(seeded, localstripe).buy(str(data_sla["service_id"]))  # for this academic year
    next_year = years_to_renew(Clock().today())[1]
    page = (await school.get("/renewal", params={"year": next_year})).text
    assert f"Renew your subscriptions for {next_year}" in page
    assert "Data and assessment support SLA" in text_of(page)
    key = re.findall(r'name="key" value="([^"]+)"', page)[0]
    answer = await school.post(
        "/renewal",
        data={"year": next_year, "payment_method": "invoice", "purchase_order": "PO-R", "key": key},
    )
    # the orders service's window opens 183 days before the year starts
    if Clock().today() < date(int(next_year[:4]), 9, 1) - timedelta(days=183):
        assert answer.status_code == 422
        assert error_summary_links(answer.text)["year"].startswith(f"Renewals for {next_year}")
    else:
        assert answer.status_code == 303, answer.text


@pytest.mark.parametrize(
    "key", ["é" * 32, "short", "k" * 101], ids=["not-ascii", "too-short", "too-long"]
)
async def test_a_checkout_or_renewal_sent_with_a_key_no_page_gives_is_refused_on_the_form(
    seeded: Platform, key: str
) -> None:
    """A key the form's page did not give (changed, or made up) orders nothing: the form is
    shown again saying so, with a key of the page's own."""
    clerking = await listing_coded(seeded, "GOV-CLERK")
    form = {"payment_method": "invoice", "purchase_order": "PO-KEY", "key": key}
    next_year = years_to_renew(Clock().today())[1]
    async with signed_in_portal(seeded, "school-independent") as school:
        added = await school.post(f"/shop/{clerking['service_id']}/basket", data={"quantity": "1"})
        assert added.status_code == 303, added.text
        checkout = await school.post("/basket/checkout", data=form)
        renewal = await school.post("/renewal", data={**form, "year": next_year})
        for answer in (checkout, renewal):
            assert answer.status_code == 422
            assert error_summary_links(answer.text) == {
                "key": "The form was changed after its page was shown: check it and send it again"
            }
        shown = re.findall(r'name="key" value="([^"]*)"', checkout.text)
        assert re.fullmatch("[0-9a-f]{32}", shown[0])  # a fresh key of the page's own
        basket = await school.get("/basket")
        assert "Governor clerking service" in text_of(basket.text)  # still there: not ordered
        await basket_is_empty(school)


async def test_a_renewal_waiting_for_its_approver_is_not_called_renewed(
    seeded: Platform, localstripe: LocalStripe
) -> None:
    """This year's subscription bought again for next year renews it; an order its approver
    has still to approve is not yet bought, and the renewal page said "You have renewed"."""
    sandringham = 136609  # the demo's academy school user, buying for itself
    as_sandringham = auth(Role.SCHOOL, sandringham)
    clerking = await listing_coded(seeded, "GOV-CLERK")
    this_year, next_year = years_to_renew(Clock().today())
    shop = Shop(seeded, localstripe)
    next_september = academic_year_term(next_year)[0].isoformat()
    await shop.keep_prices_from(str(clerking["service_id"]), next_september)  # next year's list
    await shop.add(str(clerking["service_id"]), urn=sandringham, academic_year=this_year)
    assert (await shop.checkout("invoice", urn=sandringham)).status_code == 201
    policy = f"/schools/{sandringham}/approval-policy"
    assert (await seeded.orders.put(policy, json={"every_order": True}, headers=as_sandringham)).status_code == 200  # fmt: skip
    await shop.add(str(clerking["service_id"]), urn=sandringham, academic_year=next_year)
    placed = await shop.checkout("invoice", urn=sandringham)
    assert placed.json()["status"] == "awaiting_approval", placed.text
    try:
        async with signed_in_portal(seeded, "school-academy") as school:
            page = text_of((await school.get("/renewal", params={"year": next_year})).text)
        assert (
            f"Your renewal for {next_year} is placed and waits for your school's approver" in page
        )
        assert "You have renewed" not in page
    finally:
        await seeded.orders.put(policy, json={"every_order": False}, headers=as_sandringham)


@pytest.mark.parametrize(
    "page", ["/finance/invoices", "/finance/periods", "/finance/reports/aged-debt"]
)
async def test_a_school_user_gets_the_403_page_on_the_finance_desk(
    school: httpx.AsyncClient, page: str
) -> None:
    answer = await school.get(page)
    assert answer.status_code == 403
    assert "You cannot see this page" in answer.text


async def test_finance_gets_the_403_page_on_the_schools_basket(finance: httpx.AsyncClient) -> None:
    answer = await finance.get("/basket")
    assert answer.status_code == 403


async def test_a_school_cancels_an_order_giving_its_reason(seeded: Platform) -> None:
    placed = await clerking_by_invoice(seeded, "PO-CANCEL-1", RADLETT_LODGE)
    url = f"/orders/{placed.json()['id']}"
    async with signed_in_portal(seeded, "school-independent") as school:
        before = await school.get(url)
        assert "What cancelling today gives back" in text_of(before.text)
        assert "A course's places go to the next school waiting" not in text_of(before.text)
        assert re.search(r"\d+ of \d+ months unused", text_of(before.text))
        found = re.search(r'id="cancellation-summary">([^<]+)</p>', before.text)
        assert found and found[1].endswith(
            ("credited against the invoice.", "Nothing is refunded or credited.")
        )
        no_reason = await school.post(f"{url}/cancel", data={"reason": ""})
        assert no_reason.status_code == 422
        assert error_summary_links(no_reason.text) == {"reason": "Say why the order is cancelled"}
        cancelled = await school.post(f"{url}/cancel", data={"reason": "Bought twice by mistake"})
        assert cancelled.status_code == 303, cancelled.text
        page = text_of((await school.get(url)).text)
    assert "Order cancelled" in page and "Order Cancelled" in page
    assert found[1] in page  # what was given back, as the page said it would be


async def test_a_school_cancels_the_rest_of_a_card_order_after_a_line_was_given_back(
    school: httpx.AsyncClient, seeded: Platform, localstripe: LocalStripe
) -> None:
    await basket_is_empty(school)
    shop = Shop(seeded, localstripe)
    await review_and_short_course(shop)
    placed = (await shop.checkout("card")).json()
    await call_off(shop, placed["id"])  # before the payment: refunded as it is taken
    reference = placed["payment"]["reference"]
    await localstripe.confirm_with_card(reference)
    await shop.send_webhook(await shop.succeeded_event(reference))
    url = f"/orders/{placed['id']}"
    await shop.refunds_settled(placed["id"])  # the line's refund, made by orders' worker

    page = text_of((await school.get(url)).text)

    assert "Payment Partly refunded" in page
    assert re.search(r"Phonics leadership [^£]*Given back: session called off", page)
    assert "Cancel this order" in page
    assert re.search(r"Governance review not yet delivered: full refund £780\.00", page), page
    cancelled = await school.post(f"{url}/cancel", data={"reason": "Review no longer needed"})
    assert cancelled.status_code == 303, cancelled.text
    page = text_of((await school.get(url)).text)
    assert "Order Cancelled Payment Refunded" in page
    assert "Cancel this order" not in page  # nothing is left to cancel


async def test_a_card_order_refunded_in_full_says_cancelling_it_has_nothing_left_to_give_back(
    school: httpx.AsyncClient,
    finance: httpx.AsyncClient,
    seeded: Platform,
    localstripe: LocalStripe,
) -> None:
    """Each line read "nothing paid or invoiced yet", though the school had paid."""
    pay_url = await a_card_order(school, seeded, "card-key-refunded-in-full")
    paid = await school.post(pay_url, data={"card_number": "4242 4242 4242 4242", **CARD})
    assert paid.status_code == 303, paid.text
    order_url = paid.headers["location"]
    stripe = Shop(seeded, localstripe)
    order = await stripe.order(order_url.removeprefix("/orders/"))
    await stripe.send_webhook(await stripe.succeeded_event(order["payment_reference"]))
    whole = {"refund_amount": pounds(order["gross_pence"]), "refund_reason": "Not needed"}
    refunded = await finance.post(f"/finance{order_url}/refund", data=whole)
    assert refunded.status_code == 303, refunded.text

    page = text_of((await school.get(order_url)).text)

    assert "Payment Refunded" in page and "Cancel this order" in page
    assert "nothing paid or invoiced yet" not in page
    assert re.search(
        r"Pre-inspection readiness review the payment was already refunded in full: "
        r"nothing left to give back £0\.00",
        page,
    ), page


async def test_finance_sees_a_school_that_subscribed_this_year_has_not_yet_renewed_for_next(
    finance: httpx.AsyncClient, seeded: Platform, localstripe: LocalStripe
) -> None:
    # A school nothing else here buys for: a service sold by the financial year, bought by
    # another test from April on, would count as its renewal for the academic year after.
    clerking = await listing_coded(seeded, "GOV-CLERK")
    shop = Shop(seeded, localstripe)
    await shop.add(str(clerking["service_id"]), urn=BUSHEY_HEATH)  # for this academic year
    placed = await shop.checkout(urn=BUSHEY_HEATH)
    assert placed.status_code == 201, placed.text
    next_year = years_to_renew(Clock().today())[1]
    page = text_of((await finance.get("/finance/renewals", params={"year": next_year})).text)
    assert f"Renewals for {next_year}" in page
    assert re.search(r"of [1-9]\d* schools .* have renewed", page)
    # before VAT, as every finance figure is (it showed the £2,160.00 invoiced, VAT and all)
    net = pounds(placed.json()["net_pence"])
    assert f"Bushey Heath Primary School 117088 {net} Not yet" in page, page


async def test_a_school_sees_its_rolling_subscription_and_cancels_it_with_notice(
    school: httpx.AsyncClient, seeded: Platform
) -> None:
    clock = seeded.services["orders"].clock
    dpo = await listing_coded(seeded, "DPO-ROLL")
    try:
        clock.set(date(2026, 10, 5))
        placed = await seeded.orders.post(
            "/orders",
            json=invoice_order(dpo["service_id"], purchase_order="PO-DPO-1"),
            headers=SCHOOL,
        )
        assert placed.status_code == 201, placed.text
        page = text_of((await school.get("/orders")).text)
        assert re.search(
            r"Rolling subscriptions Service Renews Current period Next renewal "
            r"Data protection officer service \(rolling\) Every term; 30 days' notice "
            r"1 September 2026 to 31 December 2026 1 January 2027 Cancel",
            page,
        ), page
        cancel = re.findall(
            r'action="(/rolling-subscriptions/[^"]+/cancel)"', (await school.get("/orders")).text
        )[0]

        clock.set(date(2026, 12, 2))  # 29 days before the term ends: it ends with the next
        late = await school.post(cancel)
        assert late.status_code == 303, late.text
        listed = (await school.get("/orders")).text
        page = text_of(listed)
        assert "Subscription cancelled" in page
        assert "Data protection officer service (rolling) ends on 31 March 2027." in page
        assert "Ends on 31 March 2027, after renewing on 1 January 2027" in page
        assert "/cancel" not in listed

        again = await school.post(cancel)  # from a page loaded before
        assert again.status_code == 422
        ((button, message),) = error_summary_links(again.text).items()
        assert button == "cancel-" + cancel.split("/")[2]
        assert message == "This subscription is already ending"
    finally:
        clock.set(None)


async def test_a_school_offered_a_place_from_the_waiting_list_accepts_it_on_its_bookings_page(
    school: httpx.AsyncClient, seeded: Platform
) -> None:
    await basket_is_empty(school)
    order_id = await offered_a_place(seeded, ABBOTS_LANGLEY)  # Ashwell's place, given up

    page = (await school.get("/bookings")).text
    offered = await seeded.orders.get(f"/orders/{order_id}", headers=FINANCE)
    expires = in_england(datetime.fromisoformat(offered.json()["lines"][0]["offer_expires_at"]))
    shown_until = f"Place offered until {expires:%H:%M} on {expires.day} {expires:%B %Y}"
    assert shown_until in text_of(page)  # England's time, not UTC's
    accept = re.findall(r'action="(/orders/[^"]+/accept)"', page)[0]
    accepted = await school.post(accept)
    assert accepted.status_code == 303, accepted.text
    shown = text_of((await school.get("/bookings")).text)
    assert "Places accepted" in shown
    assert await booked(seeded, order_id, "reserved")


async def test_a_cancelled_order_s_page_says_its_places_went_back_and_what_is_still_owed(
    school: httpx.AsyncClient, seeded: Platform
) -> None:
    """Once cancelled, its course line still read "Places booked" (the bookings page said
    "Cancelled"), and its payment "Invoiced, not yet paid" for the whole order, though most
    of it was credited and the invoice asked for the rest."""
    await basket_is_empty(school)
    course = await listing_coded(seeded, "DSL-TRN")
    session = await a_session(seeded, course, days_ahead=45, capacity=10)
    governor_sla = await listing_coded(seeded, "GOV-SLA")  # a subscription AL buys only here
    for line in (
        {"service_id": course["service_id"], "quantity": 2, "session_id": session["id"]},
        {"service_id": governor_sla["service_id"], "quantity": 1},
    ):
        added = await seeded.orders.post(
            f"/baskets/{ABBOTS_LANGLEY}/lines", json=line, headers=SCHOOL
        )
        assert added.status_code == 201, added.text
    placed = await seeded.orders.post(
        f"/baskets/{ABBOTS_LANGLEY}/checkout",
        json={"payment_method": "invoice", "purchase_order": "PO-GIVEN-BACK"},
        headers={**SCHOOL, "Idempotency-Key": "given-back-1"},
    )
    assert placed.status_code == 201, placed.text
    url = f"/orders/{placed.json()['id']}"

    async def booked() -> bool:
        return "Places booked" in text_of((await school.get(url)).text)

    await eventually(booked)

    cancelled = await school.post(f"{url}/cancel", data={"reason": "Staff changes"})
    assert cancelled.status_code == 303, cancelled.text
    page = text_of((await school.get(url)).text)
    invoice = (await seeded.orders.get(url, headers=FINANCE)).json()["invoice"]

    assert "Places booked" not in page
    assert "Given back: order cancelled" in page
    assert invoice["credited_pence"] and invoice["outstanding_pence"]  # a part of a year kept
    credited, owed = (pounds(invoice[k]) for k in ("credited_pence", "outstanding_pence"))
    assert f"Invoiced, not yet paid: {credited} credited, {owed} still to pay" in page
