"""The contract value holds under concurrent requests, on SQLite and PostgreSQL: milestones
together never exceed it, nor do commitments of brokered support."""

from __future__ import annotations

import asyncio

from tests.support.commissioning_app import (
    OFFICER,
    STAFF,
    commissioning_alone,
    deployment_body,
)
from tests.support.databases import DatabaseFactory
from tests.support.platform import ABBOTS_LANGLEY


async def test_concurrent_milestones_never_exceed_the_contract_value(
    databases: DatabaseFactory,
) -> None:
    async with commissioning_alone(databases) as app:
        contract = await app.contract(value_pence=1_000_000)
        path = f"/contracts/{contract['id']}/milestones"

        async def schedule(n: int) -> int:
            body = {"title": f"Visit round {n}", "due_on": "2026-11-30", "payment_pence": 300_000}
            return (await app.client.post(path, json=body, headers=OFFICER)).status_code

        codes = await asyncio.gather(*(schedule(n) for n in range(8)))

        assert sorted(codes) == [201] * 3 + [422] * 5
        stored = (await app.client.get(f"/contracts/{contract['id']}", headers=OFFICER)).json()
        assert stored["scheduled_pence"] == 900_000
        assert len(stored["milestones"]) == 3


async def test_concurrent_deployments_never_commit_more_than_the_contract_value(
    databases: DatabaseFactory,
) -> None:
    async with commissioning_alone(databases) as app:
        await app.register(ABBOTS_LANGLEY)
        contract = await app.contract(value_pence=500_000)
        case = await app.case(contract["id"], ABBOTS_LANGLEY)

        async def deploy() -> int:
            response = await app.client.post(
                f"/cases/{case['id']}/deployments",
                json=deployment_body(half_days=4, day_rate_pence=60_000),  # £1,200 each
                headers=STAFF,
            )
            return response.status_code

        codes = await asyncio.gather(*(deploy() for _ in range(6)))

        assert sorted(codes) == [201] * 4 + [422] * 2
        listed = await app.client.get(
            "/deployments", params={"contract_id": contract["id"]}, headers=STAFF
        )
        assert sum(d["committed_pence"] for d in listed.json()) == 480_000
