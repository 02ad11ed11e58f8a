"""Evaluation tells the platform when a programme is set up and when its baseline is recorded,
so that an evaluator can be warned of a programme about to start with none."""

from __future__ import annotations

import json
from uuid import uuid4

from sqlalchemy import select

from services.evaluation.adapters.tables import messaging
from shared.auth import Role
from tests.support.databases import DatabaseFactory
from tests.support.evaluation_world import evaluation_world
from tests.support.platform import auth

EVALUATOR = auth(Role.EVALUATOR)


async def test_a_new_programme_and_its_baseline_results_are_published(
    sqlite_databases: DatabaseFactory, nats_url: str
) -> None:
    async with evaluation_world(sqlite_databases, nats_url) as world:
        created = await world.api.post(
            "/programmes",
            json={
                "title": "Maths mastery CPD",
                "starts_on": "2027-04-20",
                "links": [{"kind": "service", "target_id": str(uuid4())}],
            },
            headers=EVALUATOR,
        )
        assert created.status_code == 201, created.text
        programme_id = created.json()["id"]
        measure = await world.api.post(
            f"/programmes/{programme_id}/measures", json={"name": "KS2 maths"}, headers=EVALUATOR
        )
        baseline = {"group": "participant", "stage": "baseline", "mean": 101.2, "sd": 6.1, "n": 90}
        recorded = await world.api.post(
            f"/programmes/{programme_id}/measures/{measure.json()['id']}/results",
            json={"groups": [baseline]},
            headers=EVALUATOR,
        )
        assert recorded.status_code == 200, recorded.text

        async with world.service.unit_of_work() as uow:
            rows = (await uow.session.execute(select(messaging.outbox))).mappings().all()
        published = {row["subject"]: json.loads(row["body"])["payload"] for row in rows}
        assert published["evaluation.programme.created.v1"] == {
            "programme_id": programme_id,
            "title": "Maths mastery CPD",
            "starts_on": "2027-04-20",
        }
        assert published["evaluation.baseline.recorded.v1"]["programme_id"] == programme_id
