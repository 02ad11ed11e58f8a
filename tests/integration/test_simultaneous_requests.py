"""Two people asking for the same thing at the same moment: one of them gets it, the other a
409 naming the field (on PostgreSQL both used to pass the check, and the second then failed on
the key with a 500)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from shared.auth import Role
from tests.support.catalogue_fixtures import ADMIN
from tests.support.commissioning_app import contract_body
from tests.support.platform import Platform, auth


async def at_once(client: httpx.AsyncClient, path: str, body: dict[str, Any]) -> list[Any]:
    answers = await asyncio.gather(*(client.post(path, json=body, headers=ADMIN) for _ in "ab"))
    return sorted((answer.status_code, answer.json()) for answer in answers)


async def test_one_service_code_created_twice_at_once_is_created_once(platform: Platform) -> None:
    body = {
        "code": "GOV-TWICE",
        "title": "Governance review",
        "service_type": "consultancy",
        "category": "Governance",
        "unit_price_pence": 65_000,
        "vat_rate": "standard",
    }

    (created, _), (refused, problem) = await at_once(platform.catalogue, "/services", body)

    assert (created, refused) == (201, 409)
    assert problem == {"detail": "service code 'GOV-TWICE' is already in use", "field": "code"}
    listed = await platform.catalogue.get("/services", params={"q": "GOV-TWICE"}, headers=ADMIN)
    assert [service["code"] for service in listed.json()] == ["GOV-TWICE"]


async def test_one_provider_registered_twice_at_once_is_registered_once(
    platform: Platform,
) -> None:
    body = {"name": "Twice Teaching School Hub", "kind": "teaching_school"}

    (created, _), (refused, problem) = await at_once(platform.catalogue, "/providers", body)

    assert (created, refused) == (201, 409)
    assert problem == {
        "detail": "a provider named 'Twice Teaching School Hub' already exists",
        "field": "name",
    }
    listed = await platform.catalogue.get("/providers", headers=ADMIN)
    assert [p["name"] for p in listed.json()].count("Twice Teaching School Hub") == 1


async def test_a_contract_reference_in_use_is_refused_naming_it(platform: Platform) -> None:
    officer = auth(Role.LA_OFFICER)
    body = contract_body(reference="HCC-TWICE")
    answers = await asyncio.gather(
        *(platform.commissioning.post("/contracts", json=body, headers=officer) for _ in "ab")
    )
    later = await platform.commissioning.post("/contracts", json=body, headers=officer)

    assert sorted(answer.status_code for answer in answers) == [201, 409]
    for refused in [*(a for a in answers if a.status_code == 409), later]:
        assert refused.status_code == 409
        assert refused.json() == {
            "detail": "contract reference 'HCC-TWICE' is in use",
            "field": "reference",
        }
    listed = await platform.commissioning.get("/contracts", headers=officer)
    assert [c["reference"] for c in listed.json()].count("HCC-TWICE") == 1
