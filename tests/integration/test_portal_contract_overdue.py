"""The LA officer's contract page says which milestones are overdue by the portal's day, and
how much of the contract's value no milestone schedules yet."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import httpx
import pytest

from shared.auth import Role
from tests.support.commissioning_app import contract_body
from tests.support.platform import Platform, auth
from tests.support.portal_pages import signed_in_portal, text_of

pytestmark = pytest.mark.asyncio(loop_scope="module")

OFFICER = auth(Role.LA_OFFICER)
WALK_THROUGH_DAY = date(2026, 12, 6)


async def a_milestone(
    platform: Platform, contract_id: str, title: str, due_on: str, payment_pence: int
) -> dict[str, Any]:
    added = await platform.commissioning.post(
        f"/contracts/{contract_id}/milestones",
        json={"title": title, "due_on": due_on, "payment_pence": payment_pence},
        headers=OFFICER,
    )
    assert added.status_code == 201, added.text
    return added.json()  # type: ignore[no-any-return]


def milestone_rows(page: str) -> dict[str, str]:
    """Each milestone's row in the table, as words, by the milestone's title."""
    rows = [text_of(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page, flags=re.S)]
    return {row.split(" report ")[0]: row for row in rows if " report " in row}


async def test_milestones_past_due_are_tagged_overdue_and_the_unscheduled_value_is_named(
    seeded: Platform,
) -> None:
    created = await seeded.commissioning.post(
        "/contracts",
        json=contract_body(reference="HCC-SI-OVERDUE", value_pence=1_250_000),
        headers=OFFICER,
    )
    assert created.status_code == 201, created.text
    contract_id = created.json()["id"]
    await a_milestone(seeded, contract_id, "Q1 report", "2026-06-30", 300_000)
    q2 = await a_milestone(seeded, contract_id, "Q2 report", "2026-09-30", 300_000)
    await a_milestone(seeded, contract_id, "Q3 report", "2026-12-31", 300_000)
    await a_milestone(seeded, contract_id, "Termly visit report", "2026-12-06", 100)
    signed = await seeded.commissioning.post(
        f"/contracts/{contract_id}/milestones/{q2['id']}/complete",
        json={"evidence": "Quarter 2 report received"},
        headers=OFFICER,
    )
    assert signed.status_code == 200, signed.text

    async with signed_in_portal(seeded, "la-officer") as officer:
        officer.app.state.clock.set(WALK_THROUGH_DAY)
        page = (await officer.get(f"/contracts/{contract_id}")).text
        register = text_of((await officer.get("/contracts")).text)

    # the register says so too, on the contract's row
    assert re.search(r"HCC-SI-OVERDUE [^|]*?1 of 4 milestones 1 overdue", register), register

    words = text_of(page)
    assert (
        "Scheduled in milestones £9,001.00; £3,499.00 of the value not yet scheduled in any"
        " milestone"
    ) in words
    rows = milestone_rows(page)
    assert rows["Q1"].startswith("Q1 report 30 June 2026 Overdue £3,000.00 Sign off")
    assert "Overdue" not in rows["Q2"]  # signed off, though after its due day
    assert "Overdue" not in rows["Q3"]  # not yet due
    assert "Overdue" not in rows["Termly visit"]  # due today: late only from tomorrow
    assert page.count("govuk-tag--red") == 1


async def test_a_contract_scheduled_in_full_says_so(seeded: Platform) -> None:
    created = await seeded.commissioning.post(
        "/contracts", json=contract_body(reference="HCC-SI-IN-FULL"), headers=OFFICER
    )
    contract_id = created.json()["id"]
    await a_milestone(seeded, contract_id, "Final report", "2027-03-31", 1_000_000)

    async with signed_in_portal(seeded, "la-officer") as officer:
        page: httpx.Response = await officer.get(f"/contracts/{contract_id}")

    words = text_of(page.text)
    assert "Scheduled in milestones £10,000.00; all of the value" in words
    assert "not yet scheduled" not in words


async def test_a_contract_not_in_force_has_nothing_overdue_or_to_sign_off_nor_credits_to_take(
    seeded: Platform,
) -> None:
    closed = await seeded.commissioning.post(
        "/contracts", json=contract_body(reference="HCC-SI-CLOSED"), headers=OFFICER
    )
    closed_id = closed.json()["id"]
    q1 = await a_milestone(seeded, closed_id, "Q1 report", "2026-06-30", 300_000)
    kpi = await seeded.commissioning.post(
        f"/contracts/{closed_id}/kpis",
        json={"title": "Reports on time (%)", "target": 95, "service_credit_pence": 75_000},
        headers=OFFICER,
    )
    missed = await seeded.commissioning.post(
        f"/contracts/{closed_id}/kpis/{kpi.json()['id']}/actuals",
        json={"period": "2026-Q2", "actual": 80, "reported_on": "2026-10-01"},
        headers=OFFICER,
    )
    assert missed.status_code == 201, missed.text
    shut = await seeded.commissioning.post(f"/contracts/{closed_id}/close", headers=OFFICER)
    assert shut.status_code == 200, shut.text
    draft = await seeded.commissioning.post(
        "/contracts", json=contract_body(reference="HCC-SI-DRAFT", draft=True), headers=OFFICER
    )
    draft_id = draft.json()["id"]
    await a_milestone(seeded, draft_id, "Q1 report", "2026-06-30", 300_000)

    async with signed_in_portal(seeded, "la-officer") as officer:
        officer.app.state.clock.set(WALK_THROUGH_DAY)
        closed_page = (await officer.get(f"/contracts/{closed_id}")).text
        draft_page = (await officer.get(f"/contracts/{draft_id}")).text
        register = text_of((await officer.get("/contracts")).text)
        sign_off = await officer.get(f"/contracts/{closed_id}/milestones/{q1['id']}/sign-off")
        kpi_page = (await officer.get(f"/contracts/{closed_id}/kpis/{kpi.json()['id']}")).text

    for page in (closed_page, draft_page):
        assert milestone_rows(page)["Q1"] == "Q1 report 30 June 2026 £3,000.00 Not signed off"
        assert "Sign off" not in page
    # and the register counts none overdue on either contract's row
    assert re.search(r"HCC-SI-CLOSED [^|]*?0 of 1 milestones Closed", register), register
    assert re.search(r"HCC-SI-DRAFT [^|]*?0 of 1 milestones Draft", register), register
    assert (
        "£750.00 of service credits (plus VAT) not yet taken off any invoice. The contract is"
        " closed, so no more milestones are signed off under it and none of these will come off"
        " an invoice."
    ) in text_of(closed_page)
    assert "Add a milestone" not in closed_page and "Add a milestone" in draft_page
    assert "Report actual" not in kpi_page
    assert "The contract is closed: no more actuals are reported against it." in kpi_page
    assert (sign_off.status_code, sign_off.headers["location"]) == (
        303,
        f"/contracts/{closed_id}",
    )


async def test_a_contract_not_yet_started_says_from_when_its_milestones_can_be_signed_off(
    seeded: Platform,
) -> None:
    """Commissioning refuses a sign-off before the contract starts: the portal offers none."""
    created = await seeded.commissioning.post(
        "/contracts",
        json=contract_body(
            reference="HCC-SI-NEXT-YEAR", start_on="2027-04-01", end_on="2028-03-31"
        ),
        headers=OFFICER,
    )
    assert created.status_code == 201, created.text
    contract_id = created.json()["id"]
    q1 = await a_milestone(seeded, contract_id, "Q1 report", "2027-06-30", 300_000)
    kpi = await seeded.commissioning.post(
        f"/contracts/{contract_id}/kpis",
        json={"title": "Visits", "target": 95, "service_credit_pence": 10_000},
        headers=OFFICER,
    )
    kpi_page = f"/contracts/{contract_id}/kpis/{kpi.json()['id']}"

    async with signed_in_portal(seeded, "la-officer") as officer:
        officer.app.state.clock.set(WALK_THROUGH_DAY)
        page = (await officer.get(f"/contracts/{contract_id}")).text
        sign_off = await officer.get(f"/contracts/{contract_id}/milestones/{q1['id']}/sign-off")
        kpi_before = text_of((await officer.get(kpi_page)).text)
        officer.app.state.clock.set(date(2027, 4, 1))  # the day it starts
        on_its_first_day = (await officer.get(f"/contracts/{contract_id}")).text
        kpi_on_its_first_day = text_of((await officer.get(kpi_page)).text)

    assert "Actuals are reported from 1 April 2027, when the contract starts" in kpi_before
    assert "Report an actual" not in kpi_before
    assert "Report an actual" in kpi_on_its_first_day

    assert milestone_rows(page)["Q1"] == (
        "Q1 report 30 June 2027 £3,000.00 Can be signed off from 1 April 2027"
    )
    assert "Sign off" not in page
    assert (sign_off.status_code, sign_off.headers["location"]) == (
        303,
        f"/contracts/{contract_id}",
    )
    assert milestone_rows(on_its_first_day)["Q1"].endswith("£3,000.00 Sign off Q1 report")
