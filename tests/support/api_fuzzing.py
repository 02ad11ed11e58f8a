"""Every operation of a service's OpenAPI, called with generated requests (schemathesis), signed
in as a role the operation admits: no answer may be a server error or break its documented
schema. The test suite runs a few examples per operation; bench/fuzz_apis.py runs many more."""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import schemathesis
from anyio.from_thread import BlockingPortal
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import seed as fixed_seed
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error, response_schema_conformance
from schemathesis.core.result import Err
from schemathesis.generation import GenerationMode
from schemathesis.schemas import APIOperation, BaseSchema

from services import registry
from services.seed import demo
from services.seed.catalogue import seed_catalogue_schools
from services.seed.commissioning import seed_commissioning
from services.seed.evaluation import seed_evaluation
from shared.auth import SCHOOL_ROLES, Role
from shared.clock import Clock
from shared.db import session_factory
from shared.messaging.connection import JetStreamLink
from shared.messaging.streams import ensure_streams
from shared.service import Service
from tests.support.carried_events import relay_of
from tests.support.event_delivery import unsent_events
from tests.support.platform import ABBOTS_LANGLEY, ask_in_this_process, auth

Operation = APIOperation[Any, Any, Any, Any]
Case = schemathesis.Case[Any]

CHECKS = [not_a_server_error, response_schema_conformance]


@dataclass(frozen=True)
class Failure:
    operation: str
    case: str
    problem: str

    def __str__(self) -> str:
        return f"{self.operation}: {self.problem}\n    reproduce: {self.case}"


def sqlite_files(directory: Path) -> dict[str, str]:
    """A fresh SQLite file in `directory` for each service."""
    return {name: f"sqlite+aiosqlite:///{directory / name}.db" for name in registry.NAMES}


def platform_apps(
    database_urls: dict[str, str], *, nats_url: str, demo_data: bool = False, **settings: Any
) -> dict[str, FastAPI]:
    """The services' HTTP apps on these (empty) databases, migrated and seeded with the schools
    register (and, with `demo_data`, the demo's services, contract, case and programmes);
    orders asks the catalogue's app for quotes in this process."""
    services = {
        name: registry.service(
            name,
            database_url=database_urls[name],
            nats_url=nats_url,
            environment="test",
            **settings,
        )
        for name in registry.NAMES
    }
    catalogue = services["catalogue"].api()
    ask_in_this_process(services["orders"], catalogue)
    asyncio.run(_prepare(services, demo_data=demo_data))
    return {
        name: catalogue if name == "catalogue" else service.api()
        for name, service in services.items()
    }


async def _prepare(services: dict[str, Service[Any]], *, demo_data: bool) -> None:
    await ensure_streams(services["orders"].settings.nats_url)
    for service in services.values():
        await service.migrate()
    await demo.seed_schools(services["orders"])
    await seed_catalogue_schools(services["catalogue"])
    if demo_data:
        await demo.seed_catalogue(services["catalogue"])
        await seed_commissioning(services["commissioning"], Clock().today())
        await seed_evaluation(services["evaluation"], services["catalogue"])
    for service in services.values():
        # The requests run on schemathesis's own event loop: no connection may outlive this one.
        await service.engine.dispose()


def operations(app: FastAPI) -> Iterator[Operation]:
    return _every_operation(schemathesis.openapi.from_asgi("/openapi.json", app))


def _every_operation(schema: BaseSchema) -> Iterator[Operation]:
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise result.err()
        yield result.ok()


def admitted_headers(operation: Operation) -> dict[str, str]:
    """A bearer token of the first role the operation admits (a school's, or its approver's,
    carries its URN, a trust buyer's its trust)."""
    for requirement in operation.definition.raw.get("security", []):
        for roles in requirement.values():
            if roles:
                role = Role(roles[0])
                return auth(
                    role,
                    ABBOTS_LANGLEY if role in SCHOOL_ROLES else None,
                    trust="DEMO-1" if role is Role.TRUST_BUYER else None,
                )
    return {}


async def refused_events(app: FastAPI, nats_url: str) -> list[str]:
    """Publish to `nats_url` what the app's outbox still holds, as its relay does, and name
    every event left unsent, which NATS refused (too large, or no stream takes its subject):
    an input that made an event no one can receive."""
    await app.state.engine.dispose()  # its connections were opened on schemathesis's loop
    link = JetStreamLink(nats_url)
    await link.connect()
    try:
        relay = relay_of(app, link.publish)
        while await relay.relay_once():
            pass
    finally:
        await link.close()
    tables = app.state.unit_of_work().tables
    return await unsent_events(session_factory(app.state.engine), tables)


def fuzz(operation: Operation, *, examples: int, seed: int) -> list[Failure]:
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
        def call(case: Case) -> None:
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


WRITES = ("POST", "PUT", "PATCH", "DELETE")
# The last segment of a write that ends what it acts on (a checkout empties the basket), and
# of one that undoes such an ending.
ENDINGS = ("cancel", "checkout", "close", "retire")
REOPENINGS = ("reopen",)


def documented(app: FastAPI, *methods: str) -> Iterator[Operation]:
    """The app's operations of these methods. Read from its OpenAPI document, not by asking the
    app, which would start its lifespan (its relay) on schemathesis's event loop."""
    for operation in _every_operation(schemathesis.openapi.from_dict(app.openapi())):
        if operation.method.upper() in methods:
            yield operation


def writes(app: FastAPI) -> list[Operation]:
    """The operations that change something; those that end what they act on (a cancellation, a
    deletion) after the others, so that these find it as it was made, and a reopening after
    them."""
    return sorted(documented(app, *WRITES), key=_turn)


def _turn(operation: Operation) -> int:
    if operation.path.endswith(REOPENINGS):
        return 2
    return operation.method.upper() == "DELETE" or operation.path.endswith(ENDINGS)


async def ids_listed(app: FastAPI, first: Collection[str] = ()) -> dict[str, list[str]]:
    """The ids that the app's lists show (each read as the first role it admits; a school's
    own, such as its basket, for the signed-in school), by the name of the path parameter that
    takes them: the services of `GET /services` as `service_id`, the milestones listed inside a
    contract as `milestone_id`, the lines of the school's basket as `line_id`. Those in `first`
    (the things a test made so that the writes find them) come before the others."""
    found: dict[str, list[str]] = {}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://lists") as client:
        for operation in documented(app, "GET"):
            path = operation.path
            if set(re.findall(r"{(\w+)}", path)) - {"urn"}:
                continue
            asked = path.replace("{urn}", str(ABBOTS_LANGLEY))
            answer = await client.get(
                asked, params=_school_asked(operation), headers=admitted_headers(operation)
            )
            if answer.status_code == 200 and "json" in answer.headers.get("content-type", ""):
                named = [segment for segment in path.split("/") if segment and "{" not in segment]
                for name, value, within in _ids_in(answer.json(), named[-1]):
                    scopes = [named[0], within] if within else [named[0]]
                    for key in (name, *(f"{scope} {name}" for scope in scopes)):  # see `_known`
                        found.setdefault(key, []).append(value)
    return {key: sorted(values, key=lambda id_: id_ not in first) for key, values in found.items()}


def _school_asked(operation: Operation) -> dict[str, int]:
    """A list of one school's things (`?urn=`): the signed-in school's."""
    parameters = operation.definition.raw.get("parameters", [])
    asks = any(each.get("in") == "query" and each.get("name") == "urn" for each in parameters)
    return {"urn": ABBOTS_LANGLEY} if asks else {}


def _known(
    ids: dict[str, list[str]], operation: Operation, name: str, within: str | None
) -> list[str]:
    """The ids for this path parameter: those listed inside the item the path's previous
    parameter names first (a line of that order, not of another), then those listed under the
    operation's own first segment (a basket line's `line_id` from the basket, not from an
    order's lines), then any."""
    first = operation.path.strip("/").split("/")[0]
    return ids.get(f"{within} {name}") or ids.get(f"{first} {name}") or ids.get(name) or []


def _ids_in(
    value: Any, plural: str, within: str | None = None
) -> Iterator[tuple[str, str, str | None]]:
    """Each id in a listing: its path parameter's name, itself, and the id of the item that
    lists it (None at the top)."""
    if isinstance(value, list):
        for item in value:
            yield from _ids_in(item, plural, within)
    elif isinstance(value, dict):
        own = value.get("id")
        if isinstance(own, str):
            yield f"{plural.removesuffix('s').replace('-', '_')}_id", own, within
            within = own
        for key, inner in value.items():
            if isinstance(inner, list | dict):
                yield from _ids_in(inner, key, within)
            elif key.endswith("_id") and isinstance(inner, str):  # a basket line's `line_id`
                yield key, inner, within


def twice_at_once(
    operation: Operation,
    app: FastAPI,
    portal: BlockingPortal,
    *,
    examples: int,
    seed: int,
    ids: dict[str, list[str]] | None = None,
) -> list[Failure]:
    """Valid generated requests, each sent twice at the same moment (as a double click, or a
    retry that overtakes the first, would): no answer may be a server error, and a PUT, which
    sets a thing to what it carries, must answer both alike. A school's URN,
    in the path or the body, is the signed-in school's, a ledger month this one or the last,
    and a path's id one of `ids` (see `ids_listed`) where there are any, so that the requests get past the check of who may ask
    and reach the write of something that exists."""
    headers = admitted_headers(operation)
    failures: list[Failure] = []
    turns = itertools.count()

    @fixed_seed(seed)
    @settings(
        max_examples=examples, database=None, deadline=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
    def call(case: Case) -> None:
        turn = next(turns)
        previous: str | None = None
        for name in re.findall(r"{(\w+)}", operation.path):
            known = _known(ids or {}, operation, name, previous)
            if name == "urn":
                case.path_parameters[name] = ABBOTS_LANGLEY
            elif name == "month":  # a ledger month: this one or the last
                month = Clock().today().replace(day=1) - timedelta(days=31 * (turn % 2))
                case.path_parameters[name] = month.strftime("%Y-%m")
            elif known:
                case.path_parameters[name] = known[turn % len(known)]
            previous = str(case.path_parameters[name])
        if isinstance(case.body, dict) and "urn" in case.body:
            case.body["urn"] = ABBOTS_LANGLEY
        request = case.as_transport_kwargs(base_url="http://at-once", headers=headers)
        answers = portal.call(_send_twice, app, request)
        problems = [_problem_in(answer) for answer in answers]
        if operation.method.upper() == "PUT" and not any(problems):
            first, second = (answer.status_code for answer in answers)
            if first != second:
                problems.append(f"the same PUT answered {first} and {second}: {answers}")
        failures.extend(
            Failure(operation.label, case.as_curl_command(), problem)
            for problem in problems
            if problem
        )

    call()
    return failures


def _problem_in(answer: httpx.Response | BaseException) -> str | None:
    if isinstance(answer, BaseException):
        return repr(answer)
    if answer.status_code >= 500:
        return f"{answer.status_code}: {answer.text[:300]}"
    return None


async def _send_twice(
    app: FastAPI, request: dict[str, Any]
) -> list[httpx.Response | BaseException]:
    content = request.get("data")
    asked = {
        "method": request["method"],
        "url": request["url"],
        "headers": request.get("headers"),
        "params": request.get("params"),
        "json": request.get("json"),
        "content": content if isinstance(content, bytes | str) else None,
        "data": content if isinstance(content, dict) else None,
        "files": request.get("files"),
    }
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport) as client:
        return await asyncio.gather(
            *(client.request(**asked) for _ in "ab"), return_exceptions=True
        )
