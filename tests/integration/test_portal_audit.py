"""The audit page shows who signed off a milestone and who approved a variation (issue 14): an
officer signs off and proposes a large variation in the portal, is refused approving it
herself, a second officer approves it, and the admin's Audit page names each of them."""

from __future__ import annotations

import pytest

from shared.auth import Role
from shared.clock import Clock
from tests.support.platform import Platform, auth
from tests.support.portal_pages import date_fields, signed_in_portal, text_of

OFFICER = auth(Role.LA_OFFICER)
CONTRACT = {
    "reference": "HCC-AUDIT",
    "title": "Schools causing concern",
    "statutory_duty": "Education and Inspections Act 2006, Part 4",
    "funding_source": "council_budget",
    "value_pence": 100_000_000,
    "start_on": "2026-04-01",
    "end_on": "2027-03-31",
}


async def test_the_audit_page_shows_who_signed_off_a_milestone_and_who_approved_a_variation(
    platform: Platform,
) -> None:
    contract = await platform.commissioning.post("/contracts", json=CONTRACT, headers=OFFICER)
    assert contract.status_code == 201, contract.text
    url = f"/contracts/{contract.json()['id']}"
    milestone = await platform.commissioning.post(
        f"{url}/milestones",
        json={"title": "Quarter 1 report", "due_on": "2026-06-30", "payment_pence": 1_000_000},
        headers=OFFICER,
    )
    assert milestone.status_code == 201, milestone.text

    async with signed_in_portal(platform, "la-officer") as officer:
        signed = await officer.post(
            f"{url}/milestones/{milestone.json()['id']}/sign-off",
            data={"evidence": "Quarter 1 report received"},
        )
        assert signed.status_code == 303, signed.text
        proposed = await officer.post(
            f"{url}/variations/new",
            data={
                "kind": "value",
                "value": "1,050,000.01",  # a penny over the £50,000 a single officer may approve
                "reason": "More schools causing concern",
                **date_fields("approved_on", Clock().today()),
            },
        )
        assert proposed.status_code == 303, proposed.text
        page = text_of((await officer.get(url)).text)
        assert "the value variation awaits a second officer's approval" in page
        assert "£1,000,000.00 before VAT" in page
        (waiting,) = (await platform.commissioning.get(url, headers=OFFICER)).json()[
            "pending_variations"
        ]
        approve = f"{url}/variations/{waiting['id']}/approve"
        assert f'action="{approve}"' in (await officer.get(url)).text

        herself = await officer.post(approve)
        assert herself.status_code == 303
        page = text_of((await officer.get(url)).text)
        assert (
            "Not approved: demo-la-officer proposed this variation: a second, different person "
            "must approve it" in page
        )
        assert "£1,000,000.00 before VAT" in page

    async with signed_in_portal(platform, "la-director") as director:
        approved = await director.post(approve)
        assert approved.status_code == 303, approved.text
        page = text_of((await director.get(url)).text)
        assert "varied: the variation is approved" in page
        assert "£1,050,000.01 before VAT" in page
        assert "demo-la-director, proposed by demo-la-officer" in page

    async with signed_in_portal(platform, "admin") as admin:
        home = (await admin.get("/contracts")).text
        assert 'href="/audit"' in home
        about = f"/audit?object_type=contract&object_id={contract.json()['id']}"
        rows = text_of((await admin.get(about)).text)
        varied = rows.index("contract.varied")
        assert "demo-la-director (la_officer) contract.varied in commissioning" in rows
        assert "proposed by demo-la-officer" in rows[varied:]
        assert "demo-la-officer (la_officer) contract.variation_proposed" in rows
        signed_off = text_of((await admin.get("/audit?object_type=milestone")).text)
        assert "demo-la-officer (la_officer) milestone.completed in commissioning" in signed_off
        assert "Quarter 1 report on HCC-AUDIT signed off by demo-la-officer" in signed_off
        assert "milestone.added" in signed_off
        by_the_director = text_of((await admin.get("/audit?actor=demo-la-director")).text)
        assert "contract.varied" in by_the_director
        assert "milestone.completed" not in by_the_director


async def test_a_second_officer_declines_a_waiting_variation_saying_why_and_it_never_applies(
    platform: Platform,
) -> None:
    """A waiting variation could only be approved: one refused, or one the contract could no
    longer take, waited under "Awaiting a second officer's approval" for ever."""
    contract = await platform.commissioning.post(
        "/contracts", json={**CONTRACT, "reference": "HCC-DECLINE"}, headers=OFFICER
    )
    assert contract.status_code == 201, contract.text
    url = f"/contracts/{contract.json()['id']}"
    async with signed_in_portal(platform, "la-officer") as officer:
        proposed = await officer.post(
            f"{url}/variations/new",
            data={
                "kind": "value",
                "value": "1,200,000.00",
                "reason": "Two more schools causing concern",
                **date_fields("approved_on", Clock().today()),
            },
        )
        assert proposed.status_code == 303, proposed.text
    (waiting,) = (await platform.commissioning.get(url, headers=OFFICER)).json()[
        "pending_variations"
    ]
    decline = f"{url}/variations/{waiting['id']}/decline"

    async with signed_in_portal(platform, "la-director") as director:
        assert f'action="{decline}"' in (await director.get(url)).text
        unexplained = await director.post(decline, data={"reason": ""})
        assert unexplained.status_code == 303
        page = text_of((await director.get(url)).text)
        assert "Not declined: say why the variation is declined" in page
        declined = await director.post(decline, data={"reason": "Not in this year's budget"})
        assert declined.status_code == 303, declined.text
        page = text_of((await director.get(url)).text)
        assert "HCC-DECLINE: the variation is declined" in page
        assert "Awaiting a second officer's approval" not in page
        assert "£1,000,000.00 before VAT" in page  # the value as signed

    found = (await platform.commissioning.get(url, headers=OFFICER)).json()
    assert (found["pending_variations"], found["variations"]) == ([], [])
    again = await platform.commissioning.post(
        f"/contracts/{contract.json()['id']}/variations/{waiting['id']}/approve",
        headers=OFFICER,
    )
    assert again.status_code == 404
    async with signed_in_portal(platform, "admin") as admin:
        about = f"/audit?object_type=contract&object_id={contract.json()['id']}"
        rows = text_of((await admin.get(about)).text)
        assert "demo-la-director (la_officer) variation.declined in commissioning" in rows
        assert "declined by demo-la-director: Not in this year's budget" in rows


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_each_role_s_audit_page_merges_the_services_it_answers_for(
    platform: Platform,
) -> None:
    await platform.catalogue.post(
        "/providers", json={"name": "Hertford NLE", "kind": "nle"}, headers=auth(Role.ADMIN)
    )
    async with signed_in_portal(platform, "admin") as admin:
        page = text_of((await admin.get("/audit")).text)
        assert "Every change to catalogue, orders, commissioning, evaluation, ledger" in page
        assert "test-admin (admin) provider.registered in catalogue" in page
    async with signed_in_portal(platform, "la-officer") as officer:
        page = text_of((await officer.get("/audit")).text)
        assert "Every change to commissioning:" in page
        assert "provider.registered" not in page
        refused = await officer.get("/audit", params={"actor": "x" * 201})
        assert "Who must be 200 characters or fewer" in text_of(refused.text)
    async with signed_in_portal(platform, "school") as school:
        assert (await school.get("/audit")).status_code == 403


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("before", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:30:00-01:00"])
async def test_a_link_to_older_entries_near_year_1_or_9999_is_refused_on_the_page(
    platform: Platform, before: str
) -> None:
    async with signed_in_portal(platform, "admin") as admin:
        page = await admin.get("/audit", params={"before": before})
    assert page.status_code == 200, page.text
    assert "The link to older entries is broken: start again from the first page" in text_of(
        page.text
    )
