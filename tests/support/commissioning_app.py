"""Commissioning on its own, for tests where only its database matters: its HTTP API over
ASGI, and the schools register fed through its real consumer's apply function."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from services import registry
from services.orders.adapters.register_csv import read_register
from services.seed.commissioning import register_schools
from services.seed.commissioning import school_registered as registered_event
from services.seed.files import SCHOOLS_CSV
from shared.auth import Role
from shared.events import Envelope, SchoolRegisteredV1
from shared.service import Service
from tests.support.databases import DatabaseFactory
from tests.support.platform import Platform, auth

OFFICER = auth(Role.LA_OFFICER)
STAFF = auth(Role.ADMIN)
FINANCE = auth(Role.FINANCE)


def school_registered(urn: int) -> Envelope[SchoolRegisteredV1]:
    """The event the orders service publishes for a school of the real register."""
    (school,) = [school for school in read_register(SCHOOLS_CSV) if school.urn == urn]
    return registered_event(school)


@dataclass
class Commissioning:
    service: Service[Any]
    client: httpx.AsyncClient

    async def register(self, *urns: int) -> None:
        await register_schools(self.service, urns)

    async def contract(self, **overrides: Any) -> dict[str, Any]:
        response = await self.client.post(
            "/contracts", json=contract_body(**overrides), headers=OFFICER
        )
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    async def case(self, contract_id: str, urn: int) -> dict[str, Any]:
        response = await self.client.post(
            "/cases", json=case_body(contract_id, urn), headers=OFFICER
        )
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]


def case_body(contract_id: str, urn: int, **overrides: Any) -> dict[str, Any]:
    return {
        "contract_id": contract_id,
        "urn": urn,
        "opened_on": "2026-09-10",
        "summary": "Falling standards",
        **overrides,
    }


def contract_body(**overrides: Any) -> dict[str, Any]:
    return {
        "reference": "HCC-SI-2026",
        "title": "Schools causing concern: monitoring and intervention",
        "statutory_duty": "Education and Inspections Act 2006, Part 4",
        "funding_source": "council_budget",
        "value_pence": 1_000_000,
        "start_on": "2026-04-01",
        "end_on": "2027-03-31",
        **overrides,
    }


def deployment_body(**overrides: Any) -> dict[str, Any]:
    return {
        "provider": {"name": "Bushey Heath NLE", "kind": "nle"},
        "half_days": 4,
        "day_rate_pence": 60_000,
        "objectives": "Secure leadership of teaching",
        "expected_impact": "Good at the next inspection",
        "starts_on": "2026-10-01",
        **overrides,
    }


async def post(platform: Platform, path: str, body: Any, headers: dict[str, str]) -> Any:
    """Commissioning's answer to a POST that must succeed."""
    response = await platform.commissioning.post(path, json=body, headers=headers)
    assert response.is_success, response.text
    return response.json()


async def milestone_signed_off(platform: Platform) -> dict[str, Any]:
    """A contract whose £300.00 milestone due on 18 December 2026 its officer signs off, so that
    commissioning invoices the LA £360.00 with VAT: the contract."""
    contract: dict[str, Any] = await post(platform, "/contracts", contract_body(), OFFICER)
    milestone = await post(
        platform,
        f"/contracts/{contract['id']}/milestones",
        {"title": "Autumn monitoring", "due_on": "2026-12-18", "payment_pence": 30_000},
        OFFICER,
    )
    await post(
        platform,
        f"/contracts/{contract['id']}/milestones/{milestone['id']}/complete",
        {"evidence": "Autumn visit notes"},
        OFFICER,
    )
    return contract


@asynccontextmanager
async def commissioning_alone(databases: DatabaseFactory) -> AsyncIterator[Commissioning]:
    service = registry.service(
        "commissioning",
        database_url=await databases.new("commissioning"),
        nats_url="nats://127.0.0.1:1",  # never reached: no worker runs here
        environment="test",
    )
    await service.migrate()
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=service.api()), base_url="http://commissioning"
    )
    try:
        yield Commissioning(service, client)
    finally:
        await client.aclose()
        await service.engine.dispose()
