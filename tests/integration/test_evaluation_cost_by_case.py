"""A programme linked to a case costs what the ledger booked for that case's deployments: a
later case at the same school under the same contract is another programme's cost. Real
ledger, real JetStream, real databases."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shared.auth import Role
from tests.support import ledger_events as ev
from tests.support.databases import DatabaseFactory
from tests.support.evaluation_world import evaluation_world
from tests.support.ledger_app import running_ledger
from tests.support.platform import auth, eventually

pytestmark = pytest.mark.usefixtures("backend")

EVALUATOR = auth(Role.EVALUATOR)
FINANCE = auth(Role.FINANCE)
SCHOOL = 117088  # Bushey Heath Primary School


async def test_a_programme_costs_its_linked_case_not_a_later_case_at_the_same_school(
    databases: DatabaseFactory, nats_url: str
) -> None:
    linked = ev.deployment(150_000, date(2026, 10, 1), urn=SCHOOL)
    later = ev.deployment(400_000, date(2026, 12, 1), urn=SCHOOL)
    assert (linked.contract_id, linked.urn) == (later.contract_id, later.urn)
    async with (
        evaluation_world(databases, nats_url) as world,
        running_ledger(databases, nats_url, today=date(2027, 1, 31)),
    ):
        await world.register(SCHOOL)
        await ev.publish(nats_url, ev.envelope(linked), ev.envelope(later))
        created = await world.api.post(
            "/programmes",
            json={
                "title": "Leadership support",
                "starts_on": "2026-09-01",
                "links": [{"kind": "case", "target_id": str(linked.case_id)}],
            },
            headers=EVALUATOR,
        )
        assert created.status_code == 201, created.text
        programme_id = created.json()["id"]

        async def both_booked_and_heard() -> bool:
            async with world.service.unit_of_work() as uow:
                deployed = await uow.deployments.supported({linked.case_id, later.case_id})
                postings = await uow.costs.linked(service_ids=set(), contract_ids={ev.CONTRACT})
            return len(deployed) == 2 and sum(p.kind == "cost" for p in postings) == 2

        await eventually(both_booked_and_heard)
        report: dict[str, Any] = (
            await world.api.get(f"/programmes/{programme_id}/report", headers=FINANCE)
        ).json()
        figures = {f["figure"]: f["value"] for f in report["figures"] if not f["measure"]}
        assert figures["cost (pence)"] == 150_000
