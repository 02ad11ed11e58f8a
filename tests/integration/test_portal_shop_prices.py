"""The shop shows each school its own price, the one its basket charges: for every seeded
service and three schools of the real register that pay by different prices (a maintained
primary, a large secondary academy, a small independent special school). The price is read off
the portal's shop pages and the charge off the order the basket becomes; the services run in
this process on SQLite with a real NATS JetStream."""

from __future__ import annotations

import csv
import html
import re
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID, uuid4

import httpx
import pytest

from services.portal.domain.ordering import years_to_renew
from services.portal.entrypoints.rendering import long_date
from services.portal.users import ABBOTS_LANGLEY, RADLETT_LODGE, SANDRINGHAM
from services.seed.catalogue import CATALOGUE_CSV
from shared.auth import Role
from shared.calendar import academic_year, academic_year_term, financial_year
from shared.clock import Clock
from shared.events import Envelope, RatingRecordedV1
from shared.money import format_pounds
from tests.support.events import publish_raw
from tests.support.platform import Platform, auth, eventually
from tests.support.portal_pages import error_summary_links, signed_in_portal, text_of

pytestmark = pytest.mark.asyncio(loop_scope="module")

SCHOOLS = {
    "school": ABBOTS_LANGLEY,
    "school-academy": SANDRINGHAM,
    "school-independent": RADLETT_LODGE,
}
ADMIN = auth(Role.ADMIN)
FINANCIAL_YEAR_SUBSCRIPTIONS = {"FIN-SLA", "PAYROLL", "HR-SLA", "IT-MIS"}


@dataclass(frozen=True)
class Shown:
    service_id: str
    code: str
    title: str
    pence: int
    rule: str


def pence(shown: str) -> int:
    return int(shown.removeprefix("£").replace(",", "").replace(".", ""))


def found_in(text: str, pattern: str) -> re.Match[str]:
    found = re.search(pattern, text)
    assert found, f"{pattern} is not in {text}"
    return found


def services_on(page: str) -> list[Shown]:
    """Each service on a shop page, with the price and rule the school reads beside it."""
    found = []
    for item in re.findall(r'<li class="govuk-!-margin-bottom-6">(.*?)</li>', page, re.S):
        service_id, title = found_in(
            item, r'href="/shop/([0-9a-f-]{36})(?:\?year=[^"]*)?">([^<]+)</a>'
        ).groups()
        code, price = found_in(item, r'data-code="([^"]+)">(£[\d,]+\.\d\d)</strong>').groups()
        rule = found_in(item, r'portal-price-rule">Your price: ([^<]+)</p>').group(1)
        found.append(
            Shown(service_id, code, html.unescape(title), pence(price), html.unescape(rule))
        )
    return found


def sold_for_year_on(page: str) -> dict[str, str]:
    """Each service on a shop page shopping for a year, by code: the price the school reads
    beside it, or why it is not for sale for that year."""
    found = {}
    for item in re.findall(r'<li class="govuk-!-margin-bottom-6">(.*?)</li>', page, re.S):
        code, said = found_in(html.unescape(item), r'data-code="([^"]+)">([^<]+)</').groups()
        found[code] = said
    return found


async def shop_pages(school: httpx.AsyncClient, **search: str) -> list[str]:
    """Every page of the shop, following its Next links."""
    found: list[str] = []
    address: str | None = "/shop"
    params: dict[str, str] | None = search
    while address:
        answer = await school.get(address, params=params)
        assert answer.status_code == 200, answer.text
        found.append(answer.text)
        following = re.search(r'href="([^"]+)" rel="next"', answer.text)
        address, params = (html.unescape(following.group(1)), None) if following else (None, None)
    return found


async def whole_shop(school: httpx.AsyncClient, **search: str) -> list[Shown]:
    return [shown for page in await shop_pages(school, **search) for shown in services_on(page)]


async def sold_for_year(school: httpx.AsyncClient, year: str) -> dict[str, str]:
    return {
        code: said
        for page in await shop_pages(school, year=year)
        for code, said in sold_for_year_on(page).items()
    }


async def next_session_of(school: httpx.AsyncClient, service: Shown) -> dict[str, str]:
    """A course's next session, the first its page offers, whose price the shop shows (a course
    is booked on a session); nothing for any other service."""
    page = (await school.get(f"/shop/{service.service_id}")).text
    sessions = re.findall(r'name="session_id" type="radio" value="([^"]+)"', page)
    return {"session_id": sessions[0]} if sessions else {}


def published_codes() -> set[str]:
    rows = csv.DictReader(CATALOGUE_CSV.read_text().splitlines())
    return {row["code"] for row in rows if row["status"] == "published"}


@pytest.mark.parametrize("user", SCHOOLS)
async def test_the_shop_shows_every_service_at_the_price_the_basket_then_charges(
    seeded: Platform, user: str
) -> None:
    urn = SCHOOLS[user]
    async with signed_in_portal(seeded, user) as school:
        shown = await whole_shop(school)
        assert {service.code for service in shown} == published_codes()
        assert len(shown) == len(published_codes())  # each once, across the pages
        for service in shown:
            form = {"quantity": "1", **await next_session_of(school, service)}
            added = await school.post(f"/shop/{service.service_id}/basket", data=form)
            assert added.status_code == 303, f"{service.code}: {text_of(added.text)[:300]}"
        placed = await school.post(
            "/basket/checkout", data={"payment_method": "invoice", "purchase_order": f"PO-{urn}"}
        )
        assert placed.status_code == 303, text_of(placed.text)[:500]

    order_id = placed.headers["location"].removeprefix("/orders/")
    charged = (
        await seeded.orders.get(f"/orders/{order_id}", headers=auth(Role.SCHOOL, urn))
    ).json()
    charged_by_service = {line["service_id"]: line["net_pence"] for line in charged["lines"]}
    assert {service.service_id: service.pence for service in shown} == charged_by_service
    # Cancelled, so that the school's shop is priced again for the other tests: a subscription
    # bought for the year is shown as bought, not at a price.
    cancelled = await seeded.orders.post(
        f"/orders/{order_id}/cancel", json={"reason": "only trying"}, headers=auth(Role.SCHOOL, urn)
    )
    assert cancelled.status_code == 200, cancelled.text


async def test_abbots_langley_sees_the_data_sla_at_its_per_pupil_price_and_how_it_is_worked_out(
    seeded: Platform,
) -> None:
    async with signed_in_portal(seeded, "school") as school:
        (data_sla,) = await whole_shop(school, q="DATA-SLA")
        page = text_of((await school.get(f"/shop/{data_sla.service_id}")).text)
    assert (data_sla.pence, data_sla.rule) == (
        145_250,  # not the £450.00 minimum the shop used to show
        "£3.50 per pupil × 415 pupils, minimum £450.00, maximum £2,400.00, maintained school price",
    )
    # sold by the academic year, for this one and the next: this one's
    start, end = academic_year_term(academic_year(Clock().today()))
    assert (
        f"Your price £1,452.50 per year for {long_date(start)} to {long_date(end)}, before VAT "
        "£3.50 per pupil × 415 pupils"
    ) in page
    assert "Provider Data and assessment team Quality assured" in page


async def test_the_shop_searches_by_phase_provider_and_year_and_pages_on_the_server(
    seeded: Platform,
) -> None:
    providers = (await seeded.catalogue.get("/providers", headers=ADMIN)).json()
    finance_team = next(p["id"] for p in providers if p["name"] == "Finance team")
    today = Clock().today()
    this_year, next_year = years_to_renew(today)
    async with signed_in_portal(seeded, "school") as school:
        first = await school.get("/shop")
        last = await school.get("/shop", params={"page": "3"})
        secondary = {s.code for s in await whole_shop(school, phase="secondary")}
        by_finance = {s.code for s in await whole_shop(school, provider=finance_team)}
        as_bought_today = {s.code: s.pence for s in await whole_shop(school)}
        for_this_year = await sold_for_year(school, this_year)
        for_next_year = await sold_for_year(school, next_year)
        refused = [
            await school.get("/shop", params={"year": year})
            for year in (academic_year(today + timedelta(days=800)), financial_year(today))
        ]
        found = {
            s.code for s in await whole_shop(school, q="governor training", category="Governance")
        }
        too_long = await school.get("/shop", params={"q": "x" * 101})

    assert (len(services_on(first.text)), len(services_on(last.text))) == (20, 7)
    assert 'rel="next"' in first.text and 'rel="next"' not in last.text
    assert "47 services, page 3" in text_of(last.text)
    assert {"SIP-SEC", "SEND-SLA"} <= secondary  # SEND-SLA names no phase: it suits every phase
    assert not {"SIP-PRI", "EY-SLA", "KS2-MOD"} & secondary
    assert by_finance == {"FIN-SLA", "FIN-BUD", "PAYROLL"}
    # the seed sells its subscriptions for this academic year and the next, and sets next
    # year's price list at this year's prices, as the catalogue team would
    assert set(for_this_year) == set(for_next_year) == published_codes()
    for code in published_codes():
        as_today = format_pounds(as_bought_today[code])
        # a subscription by the financial year counts with the academic year it ends in: from
        # April to August, the one bought today is next academic year's
        if code in FINANCIAL_YEAR_SUBSCRIPTIONS and 4 <= today.month <= 8:
            assert for_this_year[code].startswith(f"Not for sale for {this_year}"), code
        else:
            assert for_this_year[code] == as_today, code
        # next year's shop, and so its buy-back, sells each at next year's list: the same
        assert for_next_year[code] == as_today, code
    select = f"Select the academic year {this_year} or {next_year}"
    for answer in refused:  # only this academic year and the next are sold for
        assert (answer.status_code, error_summary_links(answer.text)) == (422, {"year": select})
    assert found == {"GOV-SLA"}  # the phrase, not each word
    assert too_long.status_code == 404  # an address the shop does not make


async def test_a_provider_under_review_and_a_services_ratings_are_shown_beside_it(
    seeded: Platform,
) -> None:
    providers = (await seeded.catalogue.get("/providers", headers=ADMIN)).json()
    it_services = next(p for p in providers if p["name"] == "IT services")
    it_day = (await seeded.catalogue.get("/services", params={"q": "IT-DAY"}, headers=ADMIN)).json()
    reviewed = await seeded.catalogue.put(
        f"/providers/{it_services['id']}/qa-status",
        json={"qa_status": "under_review", "note": "Response times are being checked."},
        headers=ADMIN,
    )
    assert reviewed.status_code == 200, reviewed.text
    rated = RatingRecordedV1(
        rating_id=uuid4(),
        urn=ABBOTS_LANGLEY,
        service_id=UUID(it_day[0]["id"]),
        provider_id=UUID(it_services["id"]),
        score=4,
        comment="quick and tidy",
        rated_on=date(2026, 11, 2),
        service_average=4.25,
        service_ratings=4,
        provider_average=4.0,
        provider_ratings=9,
    )
    message = Envelope.of(rated, producer="evaluation")
    assert await publish_raw(seeded.nats_url, message, msg_id=str(message.event_id))

    async def shown() -> str:
        async with signed_in_portal(seeded, "school") as school:
            page = text_of((await school.get("/shop", params={"q": "IT-DAY"})).text)
        return page if "Rated 4.25 out of 5 by 4 schools" in page else ""

    page = await eventually(shown)
    assert "Provided by IT services Under review Response times are being checked." in page
    try:
        async with signed_in_portal(seeded, "school") as school:
            clerking = text_of((await school.get("/shop", params={"q": "GOV-CLERK"})).text)
        assert "Provided by Governance services Quality assured" in clerking
        assert "Not rated yet" in clerking
    finally:
        await seeded.catalogue.put(
            f"/providers/{it_services['id']}/qa-status",
            json={"qa_status": "approved", "note": ""},
            headers=ADMIN,
        )


async def test_a_bundle_with_a_service_from_a_suspended_provider_is_shown_as_not_for_sale(
    seeded: Platform,
) -> None:
    providers = (await seeded.catalogue.get("/providers", headers=ADMIN)).json()
    safeguarding = next(p for p in providers if p["name"] == "Safeguarding team")
    suspended = await seeded.catalogue.put(
        f"/providers/{safeguarding['id']}/qa-status",
        json={"qa_status": "suspended", "note": "Safeguarding audits under review."},
        headers=ADMIN,
    )
    assert suspended.status_code == 200, suspended.text
    try:
        async with signed_in_portal(seeded, "school") as school:
            (bundle,) = await whole_shop(school, q="PKG-SAFE")
            page = text_of((await school.get("/shop", params={"q": "PKG-SAFE"})).text)
            added = await school.post(f"/shop/{bundle.service_id}/basket", data={"quantity": "1"})
        assert "Safeguarding team Suspended: cannot be bought" in page
        assert added.status_code != 303
        assert "Safeguarding team is suspended: SG-AUDIT" in text_of(added.text)
    finally:
        await seeded.catalogue.put(
            f"/providers/{safeguarding['id']}/qa-status",
            json={"qa_status": "approved", "note": ""},
            headers=ADMIN,
        )
