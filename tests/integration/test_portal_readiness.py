"""The portal's /readyz asks every API it calls at once, within one bound, and names those
that did not answer: asked one after another, a few silent ones held it past a probe's timeout."""

from __future__ import annotations

import asyncio
import time
from contextlib import AsyncExitStack
from pathlib import Path

import httpx

from services import registry
from services.portal.bootstrap import create_app
from services.portal.config import APIS, Settings
from tests.support.portal_pages import visiting
from tests.support.silent_server import silent_server

SILENT = ("catalogue", "ledger")


async def test_readyz_answers_503_within_its_one_bound_naming_the_apis_that_never_answer(
    tmp_path: Path,
) -> None:
    answering = {
        name: registry.service(name, database_url=f"sqlite+aiosqlite:///{tmp_path}/{name}.db")
        for name in APIS
        if name not in SILENT
    }
    async with silent_server() as port, AsyncExitStack() as clients:
        apis = {
            name: await clients.enter_async_context(
                httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=api.api()), base_url="http://api"
                )
            )
            for name, api in answering.items()
        } | {
            name: await clients.enter_async_context(
                httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}")
            )
            for name in SILENT
        }
        portal = create_app(Settings(environment="test", readiness_timeout_seconds=1), clients=apis)
        async with visiting(portal) as visitor:
            started = time.monotonic()
            answer = await asyncio.wait_for(visitor.get("/readyz"), timeout=15)
            waited = time.monotonic() - started
    for api in answering.values():
        await api.engine.dispose()

    assert answer.status_code == 503
    answered = {name: name not in SILENT for name in APIS}
    assert answer.json() == {"status": "not ready", **answered, "unanswered": list(SILENT)}
    assert waited < 1.8  # one bound for them all: one after another, the two took a bound each
