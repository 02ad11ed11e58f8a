"""Commissioning's refusals over HTTP on a real database: bad dates and unknown schools are
refused naming the field and store nothing; each role does only its own part."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from shared.auth import Role
from shared.messaging.connection import JetStreamLink
from tests.support.commissioning_app import (
    FINANCE,
    OFFICER,
    STAFF,
    Commissioning,
    case_body,
    commissioning_alone,
    contract_body,
    deployment_body,
)
from tests.support.databases import DatabaseFactory
from tests.support.platform import ABBOTS_LANGLEY, ASHWELL, auth

SCHOOL = auth(Role.SCHOOL, ABBOTS_LANGLEY)
OTHER_SCHOOL = auth(Role.SCHOOL, ASHWELL)


async def outbox(app: Commissioning) -> int:
    link = JetStreamLink(app.service.settings.nats_url)
    return await app.service.relay(link.publish).pending()


async def test_bad_dates_are_refused_naming_the_field_and_nothing_is_stored(
    sqlite_databases: DatabaseFactory,
) -> None:
    async with commissioning_alone(sqlite_databases) as app:
        backwards = await app.client.post(
            "/contracts", json=contract_body(end_on="2026-01-01"), headers=OFFICER
        )
        assert (backwards.status_code, backwards.json()["field"]) == (422, "end_on")
        review = await app.client.post(
            "/contracts", json=contract_body(review_on="2028-01-01"), headers=OFFICER
        )
        assert (review.status_code, review.json()["field"]) == (422, "review_on")

        contract = await app.contract(signed_on="2026-04-01")
        path = f"/contracts/{contract['id']}"
        outside = await app.client.post(
            f"{path}/milestones",
            json={"title": "Late", "due_on": "2027-04-01", "payment_pence": 1},
            headers=OFFICER,
        )
        assert (outside.status_code, outside.json()["field"]) == (422, "due_on")
        await app.client.post(
            f"{path}/milestones",
            json={"title": "Spring", "due_on": "2027-03-01", "payment_pence": 1},
            headers=OFFICER,
        )
        shorter = await app.client.post(
            f"{path}/variations",
            json={
                "kind": "term",
                "reason": "Ends early",
                "approved_by": "Director",
                "approved_on": "2026-10-01",
                "end_on": "2027-02-01",
            },
            headers=OFFICER,
        )
        assert (shorter.status_code, shorter.json()["field"]) == (422, "end_on")

        stored = (await app.client.get("/contracts", headers=OFFICER)).json()
        assert [(c["reference"], c["end_on"], c["variations"]) for c in stored] == [
            ("HCC-SI-2026", "2027-03-31", [])
        ]
        assert [m["title"] for m in stored[0]["milestones"]] == ["Spring"]
        assert await outbox(app) == 1  # the contract's signing, nothing else


async def test_what_has_happened_is_refused_dated_after_today_naming_the_field(
    sqlite_databases: DatabaseFactory,
) -> None:
    """A contract signed, support delivered, a case opened or moved, a visit, a KPI actual, a
    variation approved: each is on or before today, so a year typed wrong (2062) neither
    counts support as delivered nor holds a case's every later stage behind it."""
    async with commissioning_alone(sqlite_databases) as app:
        app.service.clock.set(date(2026, 12, 6))
        tomorrow = "2026-12-07"
        await app.register(ABBOTS_LANGLEY, ASHWELL)
        contract = await app.contract()
        path = f"/contracts/{contract['id']}"
        kpi = await app.client.post(
            f"{path}/kpis", json={"title": "Visits", "target": 95}, headers=OFFICER
        )
        case = await app.case(contract["id"], ABBOTS_LANGLEY)
        deployment = await app.client.post(
            f"/cases/{case['id']}/deployments", json=deployment_body(), headers=STAFF
        )
        opened = {"contract_id": contract["id"], "urn": ASHWELL, "summary": "Falling results"}
        refusals = [
            (
                "/contracts",
                contract_body(reference="HCC-LATER", signed_on=tomorrow),
                OFFICER,
                "signed_on",
            ),
            ("/cases", {**opened, "opened_on": tomorrow}, OFFICER, "opened_on"),
            (
                f"/cases/{case['id']}/stages",
                {"stage": "monitoring", "entered_on": "2062-10-01"},
                OFFICER,
                "entered_on",
            ),
            (
                f"/cases/{case['id']}/visits",
                {"visited_on": tomorrow, "note": "x"},
                OFFICER,
                "visited_on",
            ),
            (
                f"/deployments/{deployment.json()['id']}/complete",
                {"half_days": 4, "completed_on": tomorrow},
                STAFF,
                "completed_on",
            ),
            (
                f"{path}/kpis/{kpi.json()['id']}/actuals",
                {"period": "2026-Q3", "actual": 90, "reported_on": tomorrow},
                OFFICER,
                "reported_on",
            ),
            (
                f"{path}/variations",
                {"kind": "scope", "reason": "More", "scope": "More", "approved_on": tomorrow},
                OFFICER,
                "approved_on",
            ),
        ]
        for url, body, headers, field in refusals:
            refused = await app.client.post(url, json=body, headers=headers)
            assert (refused.status_code, refused.json()["field"]) == (422, field), url

        (stored,) = (await app.client.get("/cases", headers=OFFICER)).json()
        assert (stored["stage"], stored["visits"]) == ("concern", [])
        delivered = await app.client.get(f"/deployments/{deployment.json()['id']}", headers=STAFF)
        assert delivered.json()["status"] == "planned"
        actuals = await app.client.get(f"{path}/kpis/{kpi.json()['id']}/actuals", headers=OFFICER)
        assert actuals.json() == []
        assert (await app.client.get(path, headers=OFFICER)).json()["variations"] == []

        moved = await app.client.post(
            f"/cases/{case['id']}/stages",
            json={"stage": "monitoring", "entered_on": "2026-12-06"},
            headers=OFFICER,
        )
        assert moved.status_code == 201, moved.text  # today is not the future


async def test_an_unknown_urn_is_refused_for_a_case_or_a_categorisation(
    sqlite_databases: DatabaseFactory,
) -> None:
    async with commissioning_alone(sqlite_databases) as app:
        await app.register(ABBOTS_LANGLEY)
        contract = await app.contract()
        categorised = await app.client.post(
            "/schools/999999/categorisations",
            json={"category": 4, "categorised_on": "2026-10-01", "reasons": "Made up"},
            headers=OFFICER,
        )
        assert (categorised.status_code, categorised.json()["field"]) == (422, "urn")
        case = await app.client.post(
            "/cases",
            json={
                "contract_id": contract["id"],
                "urn": 999999,
                "opened_on": "2026-10-01",
                "summary": "Unknown",
            },
            headers=OFFICER,
        )
        assert (case.status_code, case.json()["field"]) == (422, "urn")
        assert (await app.client.get("/cases", headers=OFFICER)).json() == []
        current = await app.client.get("/schools/categorisations/current", headers=OFFICER)
        assert current.json() == []


async def test_a_school_registered_again_keeps_its_categorisations(
    sqlite_databases: DatabaseFactory,
) -> None:
    async with commissioning_alone(sqlite_databases) as app:
        await app.register(ABBOTS_LANGLEY)
        path = f"/schools/{ABBOTS_LANGLEY}/categorisations"
        body = {"category": 2, "categorised_on": "2026-10-01", "reasons": "Writing"}
        assert (await app.client.post(path, json=body, headers=OFFICER)).status_code == 201
        await app.register(ABBOTS_LANGLEY)  # a re-import of the register: a new event
        history = (await app.client.get(path, headers=OFFICER)).json()
        assert [(c["category"], c["previous_category"]) for c in history] == [(2, None)]


async def test_each_role_does_only_its_own_part(sqlite_databases: DatabaseFactory) -> None:
    async with commissioning_alone(sqlite_databases) as app:
        await app.register(ABBOTS_LANGLEY)
        body = contract_body()
        for headers in (STAFF, FINANCE, SCHOOL):
            refused = await app.client.post("/contracts", json=body, headers=headers)
            assert refused.status_code == 403
        contract = await app.contract()
        case = await app.case(contract["id"], ABBOTS_LANGLEY)

        deploy = f"/cases/{case['id']}/deployments"
        for headers in (OFFICER, FINANCE, SCHOOL):
            response = await app.client.post(deploy, json=deployment_body(), headers=headers)
            assert response.status_code == 403
        assert (await app.client.post(deploy, json=deployment_body(), headers=STAFF)).is_success

        milestone = await app.client.post(
            f"/contracts/{contract['id']}/milestones",
            json={"title": "Autumn", "due_on": "2026-12-01", "payment_pence": 100},
            headers=OFFICER,
        )
        sign_off = f"/contracts/{contract['id']}/milestones/{milestone.json()['id']}/complete"
        for headers in (STAFF, FINANCE, SCHOOL):
            signing = await app.client.post(sign_off, json={"evidence": "x"}, headers=headers)
            assert signing.status_code == 403

        for path in ("/contracts", "/deployments", "/invoices", "/contracts/register.csv"):
            assert (await app.client.get(path, headers=FINANCE)).status_code == 200
            assert (await app.client.get(path, headers=SCHOOL)).status_code == 403


async def test_a_school_sees_only_its_own_open_case_and_not_the_visit_notes(
    sqlite_databases: DatabaseFactory,
) -> None:
    async with commissioning_alone(sqlite_databases) as app:
        await app.register(ABBOTS_LANGLEY, ASHWELL)
        contract = await app.contract()
        mine = await app.case(contract["id"], ABBOTS_LANGLEY)
        theirs = await app.case(contract["id"], ASHWELL)
        await app.client.post(
            f"/cases/{mine['id']}/visits",
            json={"visited_on": "2026-09-20", "note": "Candid notes for the LA"},
            headers=OFFICER,
        )

        listed = (await app.client.get("/cases", headers=SCHOOL)).json()
        assert [(c["urn"], c["visits"]) for c in listed] == [(ABBOTS_LANGLEY, [])]
        assert (await app.client.get(f"/cases/{theirs['id']}", headers=SCHOOL)).status_code == 404
        officer_view = (await app.client.get(f"/cases/{mine['id']}", headers=OFFICER)).json()
        assert [v["note"] for v in officer_view["visits"]] == ["Candid notes for the LA"]

        await close(app, mine)
        assert (await app.client.get(f"/cases/{mine['id']}", headers=SCHOOL)).status_code == 404
        assert (await app.client.get("/cases", headers=SCHOOL)).json() == []


async def close(app: Commissioning, case: dict[str, Any]) -> None:
    response = await app.client.post(
        f"/cases/{case['id']}/stages",
        json={"stage": "closed", "entered_on": "2026-12-01", "outcome": "Improved"},
        headers=OFFICER,
    )
    assert response.status_code == 201, response.text


async def test_support_starting_outside_its_contracts_term_is_refused_naming_the_start_date(
    sqlite_databases: DatabaseFactory,
) -> None:
    """The contract runs from 1 April 2026 to 31 March 2027: support under it dated 2016 (a year
    typed wrong) would, once delivered, book its provider cost in a financial year the contract
    never ran in, and support after its end is not the contract's to pay for."""
    async with commissioning_alone(sqlite_databases) as app:
        await app.register(ABBOTS_LANGLEY)
        contract = await app.contract()
        case = await app.case(contract["id"], ABBOTS_LANGLEY)
        deploy = f"/cases/{case['id']}/deployments"

        for starts_on in ("2016-10-01", "2026-03-31", "2027-04-01"):
            refused = await app.client.post(
                deploy, json=deployment_body(starts_on=starts_on), headers=STAFF
            )
            assert (refused.status_code, refused.json()["field"]) == (422, "starts_on"), starts_on
            assert "1 April 2026 to 31 March 2027" in refused.json()["detail"]

        assert (await app.client.get("/deployments", headers=STAFF)).json() == []
        on_the_last_day = await app.client.post(
            deploy, json=deployment_body(starts_on="2027-03-31"), headers=STAFF
        )
        assert on_the_last_day.status_code == 201, on_the_last_day.text


async def test_a_reference_that_reads_as_another_contract_s_is_refused_naming_the_reference(
    databases: DatabaseFactory,
) -> None:
    """The ledger names each contract's income account from its reference without case or
    punctuation: LA/2026/1 and LA-2026-1 shared one account, and its income by contract merged
    the two."""
    async with commissioning_alone(databases) as app:
        first = await app.contract(reference="LA/2026/1")
        for alike in ("LA-2026-1", "la 2026 1", "LA/2026/1/"):
            refused = await app.client.post(
                "/contracts", json=contract_body(reference=alike), headers=OFFICER
            )
            assert (refused.status_code, refused.json()["field"]) == (409, "reference"), alike
            assert "LA/2026/1" in refused.json()["detail"]
        blank = await app.client.post(
            "/contracts", json=contract_body(reference="--"), headers=OFFICER
        )
        assert (blank.status_code, blank.json()["field"]) == (422, "reference")
        listed = (await app.client.get("/contracts", headers=OFFICER)).json()
        assert [c["id"] for c in listed] == [first["id"]]
        assert (await outbox(app)) == 1  # the one contract's signing, nothing else


async def test_a_variation_before_the_contract_started_or_was_signed_is_refused_on_its_date(
    databases: DatabaseFactory,
) -> None:
    """A variation typed as approved before the contract existed was applied and published:
    the terms' history then read as changed before they were agreed."""
    async with commissioning_alone(databases) as app:
        contract = await app.contract(start_on="2026-04-01", signed_on="2026-05-01")
        path = f"/contracts/{contract['id']}/variations"
        scope = {"kind": "scope", "reason": "More", "approved_by": "Director", "scope": "More"}
        for before in ("2026-03-31", "2026-04-30"):
            refused = await app.client.post(
                path, json={**scope, "approved_on": before}, headers=OFFICER
            )
            assert (refused.status_code, refused.json()["field"]) == (422, "approved_on"), before
            assert "1 May 2026" in refused.json()["detail"]
        assert await outbox(app) == 1  # the contract's signing, nothing else
        on_the_day = await app.client.post(
            path, json={**scope, "approved_on": "2026-05-01"}, headers=OFFICER
        )
        assert on_the_day.status_code == 201, on_the_day.text


async def test_support_starting_before_its_case_was_opened_is_refused_naming_the_start(
    databases: DatabaseFactory,
) -> None:
    async with commissioning_alone(databases) as app:
        await app.register(ABBOTS_LANGLEY)
        contract = await app.contract()
        case = await app.case(contract["id"], ABBOTS_LANGLEY)  # opened on 10 September 2026
        deployments = f"/cases/{case['id']}/deployments"
        early = await app.client.post(
            deployments, json=deployment_body(starts_on="2026-09-09"), headers=STAFF
        )
        assert (early.status_code, early.json()["field"]) == (422, "starts_on")
        assert "10 September 2026" in early.json()["detail"]
        listed = await app.client.get(f"/deployments?case_id={case['id']}", headers=STAFF)
        assert listed.json() == []
        same_day = await app.client.post(
            deployments, json=deployment_body(starts_on="2026-09-10"), headers=STAFF
        )
        assert same_day.status_code == 201, same_day.text


async def test_a_case_opened_outside_its_contracts_term_is_refused_naming_the_day_it_opened(
    databases: DatabaseFactory,
) -> None:
    """The contract runs from 1 April 2026 to 31 March 2027: a case under it opened on a day
    outside that was work the contract never covered, and its support could then start on no
    day both within the term and on or after the case was opened."""
    async with commissioning_alone(databases) as app:
        app.service.clock.set(date(2027, 6, 1))
        await app.register(ABBOTS_LANGLEY)
        contract = await app.contract()
        for opened_on in ("2026-03-31", "2027-04-01"):
            refused = await app.client.post(
                "/cases",
                json=case_body(contract["id"], ABBOTS_LANGLEY, opened_on=opened_on),
                headers=OFFICER,
            )
            assert (refused.status_code, refused.json()["field"]) == (422, "opened_on"), opened_on
            assert "1 April 2026 to 31 March 2027" in refused.json()["detail"]
        assert (await app.client.get("/cases", headers=OFFICER)).json() == []
        on_the_first_day = await app.client.post(
            "/cases",
            json=case_body(contract["id"], ABBOTS_LANGLEY, opened_on="2026-04-01"),
            headers=OFFICER,
        )
        assert on_the_first_day.status_code == 201, on_the_first_day.text


async def test_a_term_variation_that_would_leave_support_or_the_review_after_the_end_is_refused(
    databases: DatabaseFactory,
) -> None:
    """Support planned from 1 October 2026 and a review on 1 December 2026: a term varied to
    end before either left them planned under a contract that had ended."""
    async with commissioning_alone(databases) as app:
        app.service.clock.set(date(2026, 9, 20))
        await app.register(ABBOTS_LANGLEY)
        contract = await app.contract(review_on="2026-12-01")
        case = await app.case(contract["id"], ABBOTS_LANGLEY)  # opened on 10 September 2026
        planned = await app.client.post(
            f"/cases/{case['id']}/deployments", json=deployment_body(), headers=STAFF
        )
        assert planned.status_code == 201, planned.text
        path = f"/contracts/{contract['id']}/variations"
        term = {"kind": "term", "reason": "Ends early"}

        refused = await app.client.post(
            path, json={**term, "end_on": "2026-09-30"}, headers=OFFICER
        )
        assert (refused.status_code, refused.json()["field"]) == (422, "end_on")
        detail = refused.json()["detail"]
        assert "support by Bushey Heath NLE" in detail and "planned from 1 October 2026" in detail
        assert "its review date, 1 December 2026" in detail
        refused = await app.client.post(
            path, json={**term, "end_on": "2026-11-30"}, headers=OFFICER
        )
        assert (refused.status_code, refused.json()["field"]) == (422, "end_on")
        assert "Bushey Heath" not in refused.json()["detail"]
        assert "its review date, 1 December 2026" in refused.json()["detail"]
        unchanged = (await app.client.get(f"/contracts/{contract['id']}", headers=OFFICER)).json()
        assert (unchanged["end_on"], unchanged["variations"]) == ("2027-03-31", [])

        varied = await app.client.post(path, json={**term, "end_on": "2026-12-01"}, headers=OFFICER)
        assert varied.status_code == 201, varied.text
        assert varied.json()["end_on"] == "2026-12-01"


async def test_a_term_variation_that_would_leave_a_case_opened_after_the_end_is_refused(
    databases: DatabaseFactory,
) -> None:
    """A case opened on 10 September 2026: a term varied to end the day before would leave a
    case under the contract opened outside its term, which opening it then would have refused."""
    async with commissioning_alone(databases) as app:
        app.service.clock.set(date(2026, 9, 20))
        await app.register(ABBOTS_LANGLEY)
        contract = await app.contract()
        await app.case(contract["id"], ABBOTS_LANGLEY)  # opened on 10 September 2026
        path = f"/contracts/{contract['id']}/variations"
        term = {"kind": "term", "reason": "Ends early"}

        refused = await app.client.post(
            path, json={**term, "end_on": "2026-09-09"}, headers=OFFICER
        )
        assert (refused.status_code, refused.json()["field"]) == (422, "end_on")
        assert (
            f"a case for school {ABBOTS_LANGLEY} opened on 10 September 2026"
            in (refused.json()["detail"])
        )
        unchanged = (await app.client.get(f"/contracts/{contract['id']}", headers=OFFICER)).json()
        assert (unchanged["end_on"], unchanged["variations"]) == ("2027-03-31", [])

        varied = await app.client.post(path, json={**term, "end_on": "2026-09-10"}, headers=OFFICER)
        assert varied.status_code == 201, varied.text  # its last day is within its term
        assert varied.json()["end_on"] == "2026-09-10"


async def test_a_contract_reads_as_ended_from_the_day_after_its_end_until_it_is_closed(
    databases: DatabaseFactory,
) -> None:
    """A contract to 31 March 2027 read "active" for as long as nobody closed it; it has ended
    from 1 April 2027, and keeps its status, and its closing, as stored."""
    async with commissioning_alone(databases) as app:
        contract = await app.contract()
        path = f"/contracts/{contract['id']}"

        async def read() -> tuple[str, bool]:
            found = (await app.client.get(path, headers=OFFICER)).json()
            return found["status"], found["ended"]

        app.service.clock.set(date(2027, 3, 31))
        assert await read() == ("active", False)
        app.service.clock.set(date(2027, 4, 1))
        assert await read() == ("active", True)
        (listed,) = (await app.client.get("/contracts", headers=OFFICER)).json()
        assert listed["ended"] is True
        register = (await app.client.get("/contracts/register.csv", headers=OFFICER)).text
        (row,) = csv.DictReader(io.StringIO(register))
        assert row["Status"] == "ended, not yet closed"
        closed = await app.client.post(f"{path}/close", headers=OFFICER)
        assert closed.status_code == 200, closed.text
        assert (closed.json()["status"], closed.json()["ended"]) == ("closed", False)
