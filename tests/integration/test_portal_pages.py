"""The portal's pages against the real services (in this process, SQLite, real NATS): what the
APIs answer reaches the page, including their refusals."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from services.seed import demo
from services.seed.commissioning import seed_commissioning
from shared.auth import Role
from shared.clock import Clock
from tests.support.databases import DatabaseFactory
from tests.support.platform import (
    ABBOTS_LANGLEY,
    ASHWELL,
    Platform,
    auth,
    eventually,
    invoice_order,
    start_platform,
)
from tests.support.portal_pages import portal_client, sign_in, text_of


@pytest.fixture
async def seeded(sqlite_databases: DatabaseFactory, nats_url: str) -> AsyncIterator[Platform]:
    """SQLite only: these tests are about pages, not storage (the services' own tests cover both)."""
    running = await start_platform(sqlite_databases, nats_url)
    await demo.seed_catalogue(running.services["catalogue"])
    await seed_commissioning(running.services["commissioning"], Clock().today())
    yield running
    await running.close()


@pytest.fixture
async def portal(seeded: Platform) -> AsyncIterator[httpx.AsyncClient]:
    async with portal_client(seeded) as client:
        yield client


async def test_a_contract_the_api_refuses_is_shown_with_an_error_summary_naming_the_field(
    portal: httpx.AsyncClient,
) -> None:
    await sign_in(portal, "la-officer")
    form = {
        "reference": "HCC-SI-TEST",
        "title": "Monitoring visits",
        "statutory_duty": "Education and Inspections Act 2006, Part 4",
        "funding_source": "grant",
        "value": "£12,000.50",
        "vat_rate": "standard",
        **{f"start_on-{k}": v for k, v in (("day", "1"), ("month", "4"), ("year", "2026"))},
        **{f"end_on-{k}": v for k, v in (("day", "1"), ("month", "3"), ("year", "2026"))},
    }
    answer = await portal.post("/contracts/new", data=form)
    assert answer.status_code == 422
    assert 'class="govuk-error-summary"' in answer.text
    assert '<a href="#end_on">A contract must end after it starts</a>' in answer.text
    assert 'id="end_on-error"' in answer.text
    assert answer.text.count("govuk-form-group--error") == 1
    assert 'value="£12,000.50"' in answer.text  # what was typed is kept


async def test_a_value_that_is_not_an_amount_of_money_is_refused_before_any_api_call(
    portal: httpx.AsyncClient, seeded: Platform
) -> None:
    await sign_in(portal, "la-officer")
    answer = await portal.post("/contracts/new", data={"value": "lots", "reference": "X-1"})
    assert answer.status_code == 422
    assert "Enter the value as an amount in pounds" in text_of(answer.text)
    officer = auth(Role.LA_OFFICER)
    contracts = (await seeded.commissioning.get("/contracts", headers=officer)).json()
    assert "X-1" not in {contract["reference"] for contract in contracts}


async def test_a_school_typing_another_schools_order_address_gets_the_404_page(
    portal: httpx.AsyncClient, seeded: Platform
) -> None:
    other = auth(Role.SCHOOL, ASHWELL)
    listings = await on_sale(seeded, other)
    placed = await seeded.orders.post(
        "/orders",
        json=invoice_order(listings[0]["service_id"], purchase_order="PO-ASHWELL-1", urn=ASHWELL),
        headers=other,
    )
    assert placed.status_code == 201, placed.text
    await sign_in(portal, "school")
    answer = await portal.get(f"/orders/{placed.json()['id']}")
    assert answer.status_code == 404
    assert "Page not found" in answer.text
    assert "PO-ASHWELL-1" not in answer.text


async def test_an_order_with_no_purchase_order_number_shows_the_orders_apis_refusal_on_the_field(
    portal: httpx.AsyncClient, seeded: Platform
) -> None:
    school = auth(Role.SCHOOL, ABBOTS_LANGLEY)
    listings = await on_sale(seeded, school)
    await sign_in(portal, "school")
    answer = await portal.post(
        f"/shop/{listings[0]['service_id']}",
        data={"quantity": "1", "payment_method": "invoice", "purchase_order": ""},
    )
    assert answer.status_code == 422
    assert '<a href="#purchase_order">Paying by invoice needs a purchase-order number</a>' in (
        answer.text
    )


async def on_sale(platform: Platform, headers: dict[str, str]) -> list[dict[str, Any]]:
    """The listings orders has learnt of from the catalogue's events (they arrive shortly)."""

    async def listings() -> list[dict[str, Any]]:
        answer: list[dict[str, Any]] = (
            await platform.orders.get("/listings", headers=headers)
        ).json()
        return answer

    return await eventually(listings)
