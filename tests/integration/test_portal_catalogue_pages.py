"""The catalogue admin's desk in the portal against the real services (in this process, SQLite,
real NATS): a service's prices and price versions, retiring, the catalogue as CSV both ways, and
providers with their QA status. One seeded platform serves the module."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio

from shared.auth import Role
from shared.calendar import long_date
from shared.clock import Clock
from shared.events import Envelope, ProviderFlaggedV1, RatingRecordedV1
from tests.support.events import publish_raw
from tests.support.platform import ABBOTS_LANGLEY, ASHWELL, Platform, auth, eventually
from tests.support.portal_pages import (
    PortalVisitor,
    assert_forbidden,
    error_summary_links,
    signed_in_portal,
    text_of,
)
from tests.support.portal_preparations import COURSE, booked, on_sale

pytestmark = pytest.mark.asyncio(loop_scope="module")

ADMIN = auth(Role.CATALOGUE_ADMIN)


@pytest_asyncio.fixture(loop_scope="module")
async def admin(seeded: Platform) -> AsyncIterator[PortalVisitor]:
    async with signed_in_portal(seeded, "catalogue-admin") as client:
        yield client


async def service_coded(platform: Platform, code: str) -> dict[str, Any]:
    found = (await platform.catalogue.get("/services", params={"q": code}, headers=ADMIN)).json()
    return next(service for service in found if service["code"] == code)


async def test_the_admins_navigation_leads_to_the_catalogue_and_providers(
    admin: httpx.AsyncClient,
) -> None:
    page = (await admin.get("/catalogue")).text
    assert 'href="/catalogue"' in page and 'href="/providers"' in page
    assert 'href="/catalogue/export.csv"' in page and 'href="/catalogue/import"' in page
    assert 'href="/contracts"' not in page


async def test_a_service_shows_its_banded_prices_in_pounds_and_takes_a_new_price_version(
    admin: httpx.AsyncClient, seeded: Platform
) -> None:
    service = await service_coded(seeded, "SIP-PRI")
    url = f"/catalogue/{service['id']}"
    kept = [service["price_version"], *(found["version"] for found in service["upcoming_prices"])]
    new_version = max(kept) + 1  # the seed also keeps next year's list, at the same prices
    form = (await admin.get(url)).text
    page = text_of(form)
    assert "by pupils on roll: 0–150 pupils, £2,650.00; 151–300 pupils, £3,250.00" in page
    assert re.search(r'name="maintained-banded_by_pupils-band1-from"[^>]* value="151"', form)
    assert re.search(r'name="maintained-banded_by_pupils-band1-pence"[^>]* value="3250.00"', form)

    typed = {"maintained-kind": "per_pupil", "academy-kind": "", "out_of_area-kind": "",
             "maintained-per_pupil-per_pupil_pence": "lots", "vat_rate": "standard"}  # fmt: skip
    refused = await admin.post(f"{url}/prices", data=typed)
    assert refused.status_code == 422
    links = error_summary_links(refused.text)
    assert list(links) == ["maintained-per_pupil-per_pupil_pence"]
    assert 'value="lots"' in refused.text  # what was typed is kept
    upside_down = {**typed, "maintained-per_pupil-per_pupil_pence": "12",
                   "maintained-per_pupil-minimum_pence": "1500",
                   "maintained-per_pupil-maximum_pence": "1000"}  # fmt: skip
    refused = await admin.post(f"{url}/prices", data=upside_down)
    assert error_summary_links(refused.text)["maintained-per_pupil-maximum_pence"] == (
        "Maintained schools in the county: the maximum cannot be below the minimum"
    )

    repriced = await admin.post(
        f"{url}/prices", data={**upside_down, "maintained-per_pupil-maximum_pence": ""}
    )
    assert repriced.status_code == 303, repriced.text
    page = text_of((await admin.get(url)).text)
    assert f"New prices saved as version {new_version}" in page
    assert f"{new_version} Current" in page and "£12.00 a pupil, minimum £1,500.00" in page
    assert "0–150 pupils, £2,650.00" in page  # version 1 is kept in the history
    assert (await service_coded(seeded, "SIP-PRI"))["prices"]["academy"] is None


async def test_next_year_s_list_is_prepared_from_its_first_day_while_this_one_stays_on_sale(
    admin: httpx.AsyncClient, seeded: Platform
) -> None:
    service = await service_coded(seeded, "HR-SLA")
    url = f"/catalogue/{service['id']}"
    year = Clock().today().year + 1
    typed = {"maintained-kind": "flat_plus_per_pupil", "academy-kind": "", "out_of_area-kind": "",
             "maintained-flat_plus_per_pupil-pence": "900",
             "maintained-flat_plus_per_pupil-per_pupil_pence": "2.50",
             "effective_from-day": "1", "effective_from-month": "4",
             "effective_from-year": str(year), "vat_rate": "standard"}  # fmt: skip
    saved = await admin.post(f"{url}/prices", data=typed)
    assert saved.status_code == 303, saved.text
    page = text_of((await admin.get(url)).text)
    assert f"Next price list prepared: version 2 for {year}-{(year + 1) % 100:02d}" in page
    assert "£900.00 plus £2.50 a pupil" in page
    on_sale = await service_coded(seeded, "HR-SLA")
    assert (on_sale["price_version"], on_sale["prices"]) == (1, service["prices"])


async def test_prices_are_typed_in_pounds_and_an_unusual_one_is_saved_only_once_confirmed(
    admin: httpx.AsyncClient, seeded: Platform
) -> None:
    service = await service_coded(seeded, "GOV-CLERK")
    url = f"/catalogue/{service['id']}"

    def flat(typed: str) -> dict[str, str]:
        return {"maintained-kind": "flat", "maintained-flat-pence": typed, "vat_rate": "zero"}

    for typed in ("95", "£395.00"):
        saved = await admin.post(f"{url}/prices", data=flat(typed))
        assert saved.status_code == 303, saved.text
        shown = f"£{typed.strip('£').removesuffix('.00')}.00"
        assert (await service_coded(seeded, "GOV-CLERK"))["prices"]["maintained"] == {
            "kind": "flat",
            "pence": int(typed.strip("£").removesuffix(".00")) * 100,
        }
        assert shown in text_of((await admin.get(url)).text)
    form = (await admin.get(url)).text
    assert re.search(r'name="maintained-flat-pence"[^>]* value="395.00"', form)  # in pounds

    asked = await admin.post(f"{url}/prices", data=flat("0.95"))
    assert asked.status_code == 422
    assert error_summary_links(asked.text)["maintained-kind"] == (
        "Maintained schools in the county: £0.95 is less than £1.00. "
        "If that is right, save again to confirm"
    )
    assert (await service_coded(seeded, "GOV-CLERK"))["prices"]["maintained"]["pence"] == 39500
    confirmation = re.search(r'name="confirmed" value="([^"]+)"', asked.text)
    assert confirmation is not None
    changed = await admin.post(
        f"{url}/prices", data={**flat("0.90"), "confirmed": confirmation.group(1)}
    )
    assert changed.status_code == 422  # confirming £0.95 does not confirm £0.90
    confirmed = await admin.post(
        f"{url}/prices", data={**flat("0.95"), "confirmed": confirmation.group(1)}
    )
    assert confirmed.status_code == 303, confirmed.text
    assert (await service_coded(seeded, "GOV-CLERK"))["prices"]["maintained"]["pence"] == 95


async def test_a_new_service_priced_above_the_ceiling_asks_for_confirmation(
    admin: httpx.AsyncClient, seeded: Platform
) -> None:
    fields = {
        "code": "BIG-ONE",
        "title": "A very large service",
        "service_type": "consultancy",
        "category": "Maths",
        "price": "£75,000",
        "vat_rate": "standard",
    }
    asked = await admin.post("/catalogue/new", data=fields)
    assert asked.status_code == 422
    assert "£75,000.00 is more than £50,000.00" in error_summary_links(asked.text)["price"]
    staff = await seeded.catalogue.get("/services", params={"q": "BIG-ONE"}, headers=ADMIN)
    assert staff.json() == []
    confirmation = re.search(r'name="confirmed" value="([^"]+)"', asked.text)
    assert confirmation is not None
    saved = await admin.post("/catalogue/new", data={**fields, "confirmed": confirmation.group(1)})
    assert saved.status_code == 303, saved.text
    assert (await service_coded(seeded, "BIG-ONE"))["unit_price_pence"] == 7_500_000


async def test_retiring_a_published_service_takes_it_off_sale(
    admin: httpx.AsyncClient, seeded: Platform
) -> None:
    service = await service_coded(seeded, "SIP-SEC")
    answer = await admin.post(f"/catalogue/{service['id']}/retire")
    assert answer.status_code == 303, answer.text
    page = text_of((await admin.get(answer.headers["location"])).text)
    assert "retired" in page and "Schools can no longer order it" in page
    assert (await service_coded(seeded, "SIP-SEC"))["status"] == "retired"


async def test_the_catalogue_goes_out_as_csv_and_a_bad_file_is_refused_by_line_and_column(
    admin: httpx.AsyncClient,
) -> None:
    exported = await admin.get("/catalogue/export.csv")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    header, *rows = exported.text.splitlines()
    assert header.startswith("code,title,service_type")
    assert len(rows) > 5

    columns = header.split(",")
    new_one = {"code": "NEW-ONE", "title": "A new service", "service_type": "lecture",
               "category": "Maths", "vat_rate": "standard", "status": "draft",
               "maintained_tariff": "day_rate", "maintained_pence": "1000"}  # fmt: skip
    bad = header + "\n" + ",".join(new_one.get(column, "") for column in columns) + "\n"
    refused = await admin.post(
        "/catalogue/import", files={"file": ("catalogue.csv", bad, "text/csv")}
    )
    assert refused.status_code == 422
    message = error_summary_links(refused.text)["file"]
    assert message.startswith("Line 2, column service_type")

    new_one["service_type"] = "consultancy"
    good = header + "\n" + ",".join(new_one.get(column, "") for column in columns) + "\n"
    loaded = await admin.post(
        "/catalogue/import", files={"file": ("catalogue.csv", good, "text/csv")}
    )
    assert loaded.status_code == 303, loaded.text
    page = text_of((await admin.get("/catalogue")).text)
    assert "Catalogue loaded" in page and "1 services created" in page
    assert "A new service" in page


async def test_a_provider_is_added_then_suspended(admin: httpx.AsyncClient) -> None:
    refused = await admin.post("/providers/new", data={"name": ""})
    assert refused.status_code == 422
    assert set(error_summary_links(refused.text)) == {"name", "kind"}

    added = await admin.post(
        "/providers/new",
        data={
            "name": "Hertford maths hub",
            "kind": "teaching_school",
            "designation": "Maths hub 2025",
            "expertise": "maths, mastery",
        },
    )
    assert added.status_code == 303, added.text
    url = added.headers["location"]
    page = text_of((await admin.get(url)).text)
    assert "Hertford maths hub added to the register" in page
    assert "maths, mastery" in page

    suspended = await admin.post(url, data={"qa_status": "suspended", "note": "Ofsted concerns"})
    assert suspended.status_code == 303, suspended.text
    page = text_of((await admin.get(url)).text)
    assert "Hertford maths hub is suspended" in page
    listing = (await admin.get("/providers")).text
    row = re.search(r"Hertford maths hub.*?</tr>", listing, re.S)
    assert row is not None and "Suspended" in row.group(0)


@pytest.mark.parametrize("page", ["/providers", "/catalogue/export.csv", "/catalogue/import"])
async def test_a_school_user_gets_the_403_page_on_the_catalogue_desk(
    seeded: Platform, page: str
) -> None:
    await assert_forbidden(seeded, "school", page)


async def test_a_forged_cross_site_post_is_refused_with_403_and_changes_nothing(
    seeded: Platform, admin: PortalVisitor
) -> None:
    provider = {"name": "Forged hub", "kind": "teaching_school", "designation": "x"}
    for token in (None, "a-guessed-token"):
        forged = await admin.post_from_another_site("/providers/new", provider, token=token)
        assert forged.status_code == 403
        assert "not sent from this service" in text_of(forged.text)
    retired = await admin.post_from_another_site(f"/catalogue/{uuid.uuid4()}/retire", {})
    assert retired.status_code == 403

    registered = (await seeded.catalogue.get("/providers", headers=ADMIN)).json()
    assert "Forged hub" not in {found["name"] for found in registered}
    # The same form from the portal's own page, with the session's token, goes through.
    assert (await admin.post("/providers/new", data=provider)).status_code == 303


async def test_a_bundle_is_shown_at_its_services_prices_less_its_discount_not_its_stored_price(
    admin: httpx.AsyncClient, seeded: Platform
) -> None:
    listing = (await admin.get("/catalogue")).text
    rows = {
        code: text_of(row)
        for code, row in re.findall(
            r'<td class="govuk-table__cell">([A-Z-]+)</td>(.*?)</tr>', listing, re.S
        )
    }
    assert "£1,116.25: its services' prices (£1,175.00) less 5%" in rows["PKG-SAFE"]
    assert "its services' prices less 10%: depends on the school" in rows["PKG-LEAD"]
    assert not any("£0.00" in rows[code] for code in ("PKG-SAFE", "PKG-LEAD", "PKG-BUS"))

    bundle = await service_coded(seeded, "PKG-SAFE")
    page = text_of((await admin.get(f"/catalogue/{bundle['id']}")).text)
    assert (
        "Maintained schools in the county £1,116.25: its services' prices (£1,175.00) less 5%"
        in page
    )
    assert "Academies £1,187.50: its services' prices (£1,250.00) less 5%" in page
    assert "£0.00" not in page and "Set new prices" not in page


async def test_a_provider_flagged_below_3_is_never_shown_rated_3(
    seeded: Platform, admin: httpx.AsyncClient
) -> None:
    """74 points from 25 ratings: 2.96, flagged for being under 3.0 (its page read "3.0")."""
    added = await admin.post(
        "/providers/new",
        data={"name": "Rated hub", "kind": "teaching_school", "designation": "Hub 2025"},
    )
    assert added.status_code == 303, added.text
    provider_id = uuid.UUID(added.headers["location"].rsplit("/", 1)[1])
    rated = RatingRecordedV1(
        rating_id=uuid.uuid4(),
        urn=117083,
        service_id=None,
        provider_id=provider_id,
        score=2,
        comment="",
        rated_on=date(2026, 11, 2),
        service_average=None,
        service_ratings=0,
        provider_average=2.96,
        provider_ratings=25,
    )
    flagged = ProviderFlaggedV1(
        provider_id=provider_id,
        average=2.96,
        threshold=3.0,
        ratings=25,
        flagged_on=date(2026, 11, 2),
    )
    for event in (rated, flagged):
        message = Envelope.of(event, producer="evaluation")
        assert await publish_raw(seeded.nats_url, message, msg_id=str(message.event_id))

    async def shown() -> str:
        page = text_of((await admin.get(f"/providers/{provider_id}")).text)
        return page if "from 25 ratings" in page and "fell below" in page else ""

    page = await eventually(shown)
    assert "2.96 out of 5 from 25 ratings" in page
    assert "average rating 2.96 from 25 ratings fell below 3.0 on 2026-11-02" in page
    listing = text_of((await admin.get("/providers")).text)
    assert "2.96 from 25" in listing


JENYNS, BUSHEY_HEATH = 117087, 117088  # maintained primaries on the seeded register


async def booked_on(platform: Platform, session_id: str, urn: int, places: int) -> str:
    """The school's order, by invoice, of `places` on the session; its id."""
    school = auth(Role.SCHOOL, urn)
    line = {"service_id": await on_sale(platform, COURSE, urn), "quantity": places,
            "session_id": session_id}  # fmt: skip
    added = await platform.orders.post(f"/baskets/{urn}/lines", json=line, headers=school)
    assert added.status_code == 201, added.text
    placed = await platform.orders.post(
        f"/baskets/{urn}/checkout",
        json={"payment_method": "invoice", "purchase_order": "PO-SESSIONS"},
        headers={**school, "Idempotency-Key": f"sessions-{urn}-{session_id}"},
    )
    assert placed.status_code == 201, placed.text
    return str(placed.json()["id"])


async def a_full_session_with_a_waiting_list(platform: Platform) -> tuple[str, str, date]:
    """The course, a session of two places and its day. Ashwell and Abbots Langley take the
    places, Jenyns then Bushey Heath (two places) wait; Ashwell cancels, so Jenyns is offered
    its place and Bushey Heath is first in line now."""
    course = await on_sale(platform, COURSE, ASHWELL)
    starts_on = platform.services["catalogue"].clock.today() + timedelta(days=75)
    scheduled = await platform.catalogue.post(
        f"/services/{course}/sessions",
        json={"starts_on": starts_on.isoformat(), "venue": "Letchworth", "capacity": 2},
        headers=ADMIN,
    )
    assert scheduled.status_code == 201, scheduled.text
    session_id = scheduled.json()["id"]
    placed = {
        urn: await booked_on(platform, session_id, urn, places)
        for urn, places in ((ASHWELL, 1), (ABBOTS_LANGLEY, 1), (JENYNS, 1), (BUSHEY_HEATH, 2))
    }
    await eventually(lambda: booked(platform, placed[BUSHEY_HEATH], "waiting"))
    cancelled = await platform.orders.post(
        f"/orders/{placed[ASHWELL]}/cancel",
        json={"reason": "staff absence"},
        headers=auth(Role.SCHOOL, ASHWELL),
    )
    assert cancelled.status_code == 200, cancelled.text
    await eventually(lambda: booked(platform, placed[JENYNS], "offered"))
    return course, session_id, starts_on


async def test_a_courses_sessions_show_the_places_and_the_waiting_list_as_the_catalogue_counts(
    admin: httpx.AsyncClient, seeded: Platform
) -> None:
    """The figures only the catalogue's API showed: Bushey Heath is told as first in line now,
    not by the number it took when it joined."""
    course, session_id, starts_on = await a_full_session_with_a_waiting_list(seeded)
    sessions = (await seeded.catalogue.get(f"/services/{course}/sessions", headers=ADMIN)).json()
    session = next(found for found in sessions if found["id"] == session_id)
    asked = await seeded.catalogue.get(f"/sessions/{session_id}/bookings", headers=ADMIN)
    offers = sum(booking["status"] == "offered" for booking in asked.json())
    [waiting] = [booking for booking in asked.json() if booking["status"] == "waiting"]
    assert (session["places_taken"], session["places_left"], offers) == (2, 0, 1)
    assert (waiting["urn"], waiting["places"], waiting["position"]) == (BUSHEY_HEATH, 2, 1)

    assert f'href="/catalogue/{course}/sessions"' in (await admin.get(f"/catalogue/{course}")).text
    page = await admin.get(f"/catalogue/{course}/sessions")
    assert page.status_code == 200
    shown = text_of(section_of(page.text, f"session-{session_id}"))
    day = long_date(starts_on)
    assert (
        f"{day}, Letchworth Date {day} Capacity {session['capacity']} "
        f"Places taken {session['places_taken']} Places left {session['places_left']} "
        f"Offers open {offers}"
    ) in shown
    assert (
        "Place in line School URN Places wanted "
        f"{waiting['position']} Bushey Heath Primary School {waiting['urn']} {waiting['places']}"
    ) in shown
    assert "Jenyns" not in shown and "Ashwell" not in shown
    await assert_forbidden(seeded, "school", f"/catalogue/{course}/sessions")  # who waits


def section_of(page: str, anchor: str) -> str:
    """The part of the page from the heading `anchor` to the next session's, or the end."""
    start = page.index(f'id="{anchor}"')
    end = page.find('id="session-', start + 1)
    return page[start : end if end != -1 else len(page)]
