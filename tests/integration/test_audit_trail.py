"""Every state change is in the audit trail of the service that owns it (issue 14): who (the
token's subject and role), what, when and from which request, read back through `GET /audit`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import httpx
import pytest
from sqlalchemy import insert

from services import registry
from shared.auth import Role, issue_token
from shared.clock import Clock
from shared.service import Service
from shared.settings import DEVELOPMENT_JWT_SECRET
from tests.support.commissioning_app import (
    OFFICER,
    STAFF,
    Commissioning,
    commissioning_alone,
    contract_body,
    deployment_body,
)
from tests.support.databases import DatabaseFactory
from tests.support.platform import ABBOTS_LANGLEY, auth

ADMIN = auth(Role.ADMIN)
CATALOGUE_ADMIN = auth(Role.CATALOGUE_ADMIN)
EVALUATOR = auth(Role.EVALUATOR)
FINANCE = auth(Role.FINANCE)


def as_user(subject: str, role: Role) -> dict[str, str]:
    token = issue_token(secret=DEVELOPMENT_JWT_SECRET, subject=subject, role=role)
    return {"Authorization": f"Bearer {token}"}


SECOND_OFFICER = as_user("second-officer", Role.LA_OFFICER)


async def audit_of(client: httpx.AsyncClient, **filters: Any) -> list[dict[str, Any]]:
    answer = await client.get("/audit", params=filters, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    return answer.json()["entries"]  # type: ignore[no-any-return]


def who_did_what(entries: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    return {(entry["action"], entry["object_type"], entry["actor"]) for entry in entries}


@asynccontextmanager
async def alone(name: str, databases: DatabaseFactory) -> AsyncIterator[httpx.AsyncClient]:
    """One service's API over ASGI on its own database (no worker: nothing here needs one)."""
    service: Service[Any] = registry.service(
        name,
        database_url=await databases.new(name),
        nats_url="nats://127.0.0.1:1",
        environment="test",
    )
    await service.migrate()
    transport = httpx.ASGITransport(app=service.api())
    try:
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{name}") as client:
            yield client
    finally:
        await service.engine.dispose()


async def posted(answer: Any, status: int = 201) -> dict[str, Any]:
    response = await answer
    assert response.status_code == status, response.text
    return response.json()  # type: ignore[no-any-return]


@pytest.fixture
async def commissioning(sqlite_databases: DatabaseFactory) -> AsyncIterator[Commissioning]:
    async with commissioning_alone(sqlite_databases) as app:
        await app.register(ABBOTS_LANGLEY)
        yield app


async def test_each_commissioning_change_is_audited_as_the_officer_who_made_it(
    commissioning: Commissioning,
) -> None:
    app, client = commissioning, commissioning.client
    contract = await app.contract()
    url = f"/contracts/{contract['id']}"
    milestone = await posted(
        client.post(
            f"{url}/milestones",
            json={"title": "Q1 report", "due_on": "2026-06-30", "payment_pence": 100_000},
            headers=OFFICER,
        )
    )
    await posted(
        client.post(
            f"{url}/milestones/{milestone['id']}/complete",
            json={"evidence": "Report received"},
            headers=OFFICER,
        ),
        200,
    )
    term = {"kind": "term", "reason": "Extended a term", "end_on": "2027-06-30"}
    await posted(client.post(f"{url}/variations", json=term, headers=OFFICER))
    case = await app.case(contract["id"], ABBOTS_LANGLEY)
    warning = {
        "stage": "warning_notice",
        "entered_on": "2026-09-20",
        "grounds": "Standards unacceptably low",
        "required_action": "An action plan",
        "compliance_by": "2026-10-20",
    }
    await posted(client.post(f"/cases/{case['id']}/stages", json=warning, headers=OFFICER))
    visit = {"visited_on": "2026-09-21", "note": "Met the head"}
    await posted(client.post(f"/cases/{case['id']}/visits", json=visit, headers=OFFICER))
    await posted(
        client.post(f"/cases/{case['id']}/deployments", json=deployment_body(), headers=STAFF)
    )
    kpi = await posted(
        client.post(f"{url}/kpis", json={"title": "Visits on time", "target": 95}, headers=OFFICER)
    )
    await posted(
        client.post(
            f"{url}/kpis/{kpi['id']}/actuals",
            json={"period": "2026-Q3", "actual": 90},
            headers=OFFICER,
        )
    )
    category = {"category": 2, "categorised_on": "2026-10-01", "reasons": "Writing"}
    await posted(
        client.post(f"/schools/{ABBOTS_LANGLEY}/categorisations", json=category, headers=OFFICER)
    )
    await posted(client.post(f"{url}/close", headers=OFFICER), 200)

    officer, staff = "test-la_officer", "test-admin"
    assert who_did_what(await audit_of(client)) >= {
        ("contract.recorded", "contract", officer),
        ("contract.signed", "contract", officer),
        ("milestone.added", "milestone", officer),
        ("milestone.completed", "milestone", officer),
        ("contract.varied", "contract", officer),
        ("case.opened", "case", officer),
        ("case.moved", "case", officer),
        ("case.visit_noted", "case", officer),
        ("deployment.planned", "deployment", staff),
        ("kpi.defined", "kpi", officer),
        ("kpi.reported", "kpi", officer),
        ("school.categorised", "school", officer),
        ("contract.closed", "contract", officer),
    }


async def test_the_audit_is_filtered_by_object_actor_and_day_and_paged_newest_first(
    commissioning: Commissioning,
) -> None:
    first, second = await commissioning.contract(), await commissioning.contract(reference="X-2")
    client = commissioning.client

    about_first = await audit_of(client, object_type="contract", object_id=first["id"])
    assert [e["action"] for e in about_first] == ["contract.signed", "contract.recorded"]
    assert {e["object_id"] for e in about_first} == {first["id"]}
    assert all(e["role"] == "la_officer" and e["correlation_id"] for e in about_first)
    assert await audit_of(client, actor="someone-else") == []
    assert await audit_of(client, until="2001-01-01") == []
    assert len(await audit_of(client, since=Clock().today().isoformat())) == 4

    page = (await client.get("/audit", params={"limit": 3}, headers=ADMIN)).json()
    assert page["has_more"] is True
    rest = await audit_of(client, before=page["entries"][-1]["at"])
    assert [e["object_id"] for e in rest] == [first["id"]]
    assert page["entries"][0]["object_id"] == second["id"]


async def test_a_day_asked_of_the_audit_is_england_s_day(commissioning: Commissioning) -> None:
    half_past_midnight_on_1_april = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)  # summer time
    uow = commissioning.service.unit_of_work()
    async with uow:
        await uow.session.execute(
            insert(uow.tables.audit).values(
                at=half_past_midnight_on_1_april,
                actor="test-la_officer",
                role="la_officer",
                action="contract.varied",
                object_type="contract",
                object_id="late-night",
                summary="varied after midnight",
            )
        )
        await uow.commit()
    client = commissioning.client

    on_1_april = await audit_of(client, since="2026-04-01", until="2026-04-01")
    assert [entry["object_id"] for entry in on_1_april] == ["late-night"]
    assert await audit_of(client, since="2026-03-31", until="2026-03-31") == []


async def test_the_audit_is_for_the_roles_that_answer_for_it_and_its_inputs_are_bounded(
    commissioning: Commissioning,
) -> None:
    client = commissioning.client
    school = auth(Role.SCHOOL, ABBOTS_LANGLEY)
    assert (await client.get("/audit", headers=school)).status_code == 403
    assert (await client.get("/audit", headers=FINANCE)).status_code == 200
    too_long = await client.get("/audit", params={"actor": "x" * 201}, headers=ADMIN)
    assert (too_long.status_code, too_long.json()["field"]) == (422, "actor")
    backwards = await client.get(
        "/audit", params={"since": "2026-02-01", "until": "2026-01-01"}, headers=ADMIN
    )
    assert (backwards.status_code, backwards.json()["field"]) == (422, "since")


@pytest.mark.parametrize("name", registry.NAMES)
async def test_a_moment_near_year_1_or_9999_asked_of_the_audit_is_refused_naming_it(
    name: str, sqlite_databases: DatabaseFactory
) -> None:
    async with alone(name, sqlite_databases) as client:
        for before in ("0001-01-01T00:00:00+01:00", "9999-12-31T23:30:00-01:00"):
            refused = await client.get("/audit", params={"before": before}, headers=ADMIN)
            assert (refused.status_code, refused.json()["field"]) == (422, "before")
        paging = await client.get(
            "/audit", params={"before": "2100-12-31T23:00:00Z"}, headers=ADMIN
        )
        assert paging.status_code == 200, paging.text


async def test_each_catalogue_change_is_audited_as_the_administrator(
    sqlite_databases: DatabaseFactory,
) -> None:
    async with alone("catalogue", sqlite_databases) as client:
        provider = await posted(
            client.post(
                "/providers", json={"name": "Hertford NLE", "kind": "nle"}, headers=CATALOGUE_ADMIN
            )
        )
        await posted(
            client.put(
                f"/providers/{provider['id']}/qa-status",
                json={"qa_status": "suspended", "note": "Complaints"},
                headers=CATALOGUE_ADMIN,
            ),
            200,
        )
        course = {
            "code": "PHON-1",
            "title": "Phonics training",
            "service_type": "course",
            "category": "CPD",
            "unit_price_pence": 25_000,
        }
        service = await posted(client.post("/services", json=course, headers=CATALOGUE_ADMIN))
        url = f"/services/{service['id']}"
        revised = {"description": "Two days"}
        await posted(client.patch(url, json=revised, headers=CATALOGUE_ADMIN), 200)
        await posted(client.post(f"{url}/publish", headers=CATALOGUE_ADMIN), 200)
        await posted(
            client.patch(url, json={"category": "Early reading"}, headers=CATALOGUE_ADMIN), 200
        )
        session = {"starts_on": Clock().today().isoformat(), "capacity": 20, "online": True}
        await posted(client.post(f"{url}/sessions", json=session, headers=CATALOGUE_ADMIN))

        admin = "test-catalogue_admin"
        assert who_did_what(await audit_of(client)) >= {
            ("provider.registered", "provider", admin),
            ("provider.qa_status_changed", "provider", admin),
            ("service.created", "service", admin),
            ("service.changed", "service", admin),
            ("service.published", "service", admin),
            ("service.updated", "service", admin),
            ("session.scheduled", "session", admin),
        }


async def test_each_evaluation_change_is_audited_as_the_evaluator(
    sqlite_databases: DatabaseFactory,
) -> None:
    async with alone("evaluation", sqlite_databases) as client:
        programme = await posted(
            client.post(
                "/programmes",
                json={
                    "title": "Maths mastery CPD",
                    "starts_on": "2025-09-01",
                    "links": [{"kind": "service", "target_id": str(uuid4())}],
                },
                headers=EVALUATOR,
            )
        )
        url = f"/programmes/{programme['id']}"
        measure = await posted(
            client.post(f"{url}/measures", json={"name": "KS2 reading"}, headers=EVALUATOR)
        )
        groups = [
            {"group": group, "stage": stage, "mean": 103.0, "sd": 6.4, "n": 118}
            for group in ("participant", "comparison")
            for stage in ("baseline", "outcome")
        ]
        await posted(
            client.post(
                f"{url}/measures/{measure['id']}/results",
                json={"groups": groups},
                headers=EVALUATOR,
            ),
            200,
        )

        evaluator = "test-evaluator"
        assert who_did_what(await audit_of(client)) >= {
            ("programme.created", "programme", evaluator),
            ("measure.declared", "measure", evaluator),
            ("measure.results_recorded", "measure", evaluator),
        }


async def test_closing_and_reopening_a_period_is_audited_as_finance_with_the_reason(
    sqlite_databases: DatabaseFactory,
) -> None:
    async with alone("ledger", sqlite_databases) as client:
        await posted(client.post("/periods/2026-04/close", headers=FINANCE))
        await posted(
            client.post(
                "/periods/2026-04/reopen", json={"reason": "A late invoice"}, headers=FINANCE
            ),
            200,
        )

        entries = await audit_of(client, object_type="period", object_id="2026-04")
        assert [(e["action"], e["actor"], e["summary"]) for e in entries] == [
            ("period.reopened", "test-finance", "A late invoice"),
            ("period.closed", "test-finance", ""),
        ]


async def test_a_subject_longer_than_the_audit_keeps_is_clipped_and_a_correlation_id_kept_whole(
    databases: DatabaseFactory,
) -> None:
    """A correlation id longer than the audit keeps is refused at the door (see
    test_input_bounds): one at the bound is kept whole."""
    long_subject = "officer-" + "x" * 300
    async with commissioning_alone(databases) as app:
        headers = {**as_user(long_subject, Role.LA_OFFICER), "X-Correlation-Id": "c" * 100}
        recorded = await app.client.post("/contracts", json=contract_body(), headers=headers)
        assert recorded.status_code == 201, recorded.text

        (entry, *_) = await audit_of(app.client, object_type="contract")
        assert (entry["actor"], entry["correlation_id"]) == (long_subject[:200], "c" * 100)
