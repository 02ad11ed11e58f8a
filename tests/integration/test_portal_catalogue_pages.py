"""The catalogue admin's desk in the portal against the real services (in this process, SQLite,
real NATS): a service's prices and price versions, retiring, the catalogue as CSV both ways, and
providers with their QA status. One seeded platform serves the module."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from shared.auth import Role
from tests.support.databases import DatabaseFactory
from tests.support.platform import Platform, auth
from tests.support.portal_pages import (
    PortalVisitor,
    assert_forbidden,
    error_summary_links,
    seeded_platform,
    signed_in_portal,
    text_of,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

ADMIN = auth(Role.CATALOGUE_ADMIN)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def seeded(
    tmp_path_factory: pytest.TempPathFactory, nats_url: str
) -> AsyncIterator[Platform]:
    databases = DatabaseFactory("sqlite", tmp_path_factory.mktemp("catalogue-desk"), None)
    async with seeded_platform(databases, nats_url) as platform:
        yield platform


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
    page = text_of((await admin.get(url)).text)
    assert "by pupils on roll: 0 to 150, £2,650.00; 151 to 300, £3,250.00" in page

    refused = await admin.post(
        f"{url}/prices", data={"maintained": "bands 0-150:lots", "vat_rate": "standard"}
    )
    assert refused.status_code == 422
    links = error_summary_links(refused.text)
    assert list(links) == ["maintained"]
    assert "is not a price" in links["maintained"]
    assert 'value="bands 0-150:lots"' in refused.text  # what was typed is kept

    repriced = await admin.post(
        f"{url}/prices",
        data={"maintained": "per-pupil 12 min 1500", "academy": "", "vat_rate": "standard"},
    )
    assert repriced.status_code == 303, repriced.text
    page = text_of((await admin.get(url)).text)
    assert "New prices saved as version 2" in page
    assert "2 Current" in page and "£12.00 a pupil, at least £1,500.00" in page
    assert "0 to 150, £2,650.00" in page  # version 1 is kept in the history


async def test_prices_are_typed_in_pounds_and_an_unusual_one_is_saved_only_once_confirmed(
    admin: httpx.AsyncClient, seeded: Platform
) -> None:
    service = await service_coded(seeded, "GOV-CLERK")
    url = f"/catalogue/{service['id']}"
    for typed in ("95", "£395.00"):
        saved = await admin.post(f"{url}/prices", data={"maintained": typed, "vat_rate": "zero"})
        assert saved.status_code == 303, saved.text
        shown = f"£{typed.strip('£').removesuffix('.00')}.00"
        assert (await service_coded(seeded, "GOV-CLERK"))["prices"]["maintained"] == str(
            int(typed.strip("£").removesuffix(".00")) * 100
        )
        assert shown in text_of((await admin.get(url)).text)
    form = (await admin.get(url)).text
    assert re.search(r'name="maintained"[^>]* value="395.00"', form)  # the form speaks pounds

    asked = await admin.post(f"{url}/prices", data={"maintained": "0.95", "vat_rate": "zero"})
    assert asked.status_code == 422
    assert error_summary_links(asked.text)["maintained"] == (
        "Maintained schools in the county: £0.95 is less than £1.00. "
        "If that is right, save again to confirm"
    )
    assert (await service_coded(seeded, "GOV-CLERK"))["prices"]["maintained"] == "39500"
    confirmation = re.search(r'name="confirmed" value="([^"]+)"', asked.text)
    assert confirmation is not None
    changed = await admin.post(
        f"{url}/prices",
        data={"maintained": "0.90", "vat_rate": "zero", "confirmed": confirmation.group(1)},
    )
    assert changed.status_code == 422  # confirming £0.95 does not confirm £0.90
    confirmed = await admin.post(
        f"{url}/prices",
        data={"maintained": "0.95", "vat_rate": "zero", "confirmed": confirmation.group(1)},
    )
    assert confirmed.status_code == 303, confirmed.text
    assert (await service_coded(seeded, "GOV-CLERK"))["prices"]["maintained"] == "95"


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

    bad = header + "\nNEW-ONE,A new service,lecture,Maths,,,,,,standard,1000,,,,0,draft\n"
    refused = await admin.post(
        "/catalogue/import", files={"file": ("catalogue.csv", bad, "text/csv")}
    )
    assert refused.status_code == 422
    message = error_summary_links(refused.text)["file"]
    assert message.startswith("Line 2, column service_type")

    good = header + "\nNEW-ONE,A new service,consultancy,Maths,,,,,,standard,1000,,,,0,draft\n"
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
