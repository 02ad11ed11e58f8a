"""Every operation of a service's OpenAPI, called with generated requests (schemathesis), signed
in as a role the operation admits: no answer may be a server error or break its documented
schema. The test suite runs a few examples per operation; bench/fuzz_apis.py runs many more."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import seed as fixed_seed
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error, response_schema_conformance
from schemathesis.generation import GenerationMode
from schemathesis.schemas import APIOperation

from services import registry
from services.orders import bootstrap as orders_bootstrap
from services.seed import demo
from services.seed.catalogue import seed_catalogue_schools
from shared.auth import Role
from shared.service import Service
from tests.support.platform import ABBOTS_LANGLEY, auth

CHECKS = [not_a_server_error, response_schema_conformance]


@dataclass(frozen=True)
class Failure:
    operation: str
    case: str
    problem: str

    def __str__(self) -> str:
        return f"{self.operation}: {self.problem}\n    reproduce: {self.case}"


def platform_apps(directory: Path, **settings: Any) -> dict[str, FastAPI]:
    """The five services' HTTP apps on fresh SQLite files, migrated and seeded with the schools
    register; orders asks the catalogue's app for quotes in this process."""
    services = {
        name: registry.service(
            name,
            database_url=f"sqlite+aiosqlite:///{directory / name}.db",
            environment="test",
            **settings,
        )
        for name in registry.NAMES
    }
    catalogue = services["catalogue"].api()
    orders = services["orders"]
    orders.parties = orders_bootstrap.parties(
        orders.settings,
        catalogue=httpx.AsyncClient(
            transport=httpx.ASGITransport(app=catalogue), base_url="http://catalogue"
        ),
    )
    asyncio.run(_prepare(services))
    return {
        name: catalogue if name == "catalogue" else service.api()
        for name, service in services.items()
    }


async def _prepare(services: dict[str, Service[Any]]) -> None:
    for service in services.values():
        await service.migrate()
    await demo.seed_schools(services["orders"])
    await seed_catalogue_schools(services["catalogue"])
    for service in services.values():
        # The requests run on schemathesis's own event loop: no connection may outlive this one.
        await service.engine.dispose()


def operations(app: FastAPI) -> Iterator[APIOperation]:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    for result in schema.get_all_operations():
        yield result.ok()


def admitted_headers(operation: APIOperation) -> dict[str, str]:
    """A bearer token of the first role the operation admits (a school's carries its URN, a
    trust buyer's its trust)."""
    for requirement in operation.definition.raw.get("security", []):
        for roles in requirement.values():
            if roles:
                role = Role(roles[0])
                return auth(
                    role,
                    ABBOTS_LANGLEY if role is Role.SCHOOL else None,
                    trust="DEMO-1" if role is Role.TRUST_BUYER else None,
                )
    return {}


def fuzz(operation: APIOperation, *, examples: int, seed: int) -> list[Failure]:
    """Generated requests, valid and invalid, against one operation; every failure found."""
    headers = admitted_headers(operation)
    failures: list[Failure] = []
    for mode in GenerationMode:

        @fixed_seed(seed)
        @settings(
            max_examples=examples,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def call(case: schemathesis.Case) -> None:
            try:
                response = case.call(headers=headers)
            except Exception as error:  # the app raised: a 500 outside the test client
                failures.append(Failure(operation.label, case.as_curl_command(), repr(error)))
                return
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except AssertionError as error:
                failures.append(Failure(operation.label, case.as_curl_command(), str(error)))

        try:
            call()
        except Unsatisfiable:  # nothing to get wrong: an operation without inputs
            assert mode is GenerationMode.NEGATIVE
    return failures
