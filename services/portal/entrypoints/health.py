"""Liveness, and readiness: every API the portal calls answers."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from shared.readiness import readiness

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    """Readiness: every API's /healthz answers, all asked at once and waited for together
    within the readiness bound; those that did not answer in it are named in `unanswered`."""
    clients: dict[str, httpx.AsyncClient] = request.app.state.clients
    bound: float = request.app.state.settings.readiness_timeout_seconds
    deadline = asyncio.get_running_loop().time() + bound
    answers = await asyncio.gather(*(_answer(client, deadline) for client in clients.values()))
    body = readiness(dict(zip(clients, answers, strict=True)), who="portal", bound=bound)
    return JSONResponse(body, status_code=200 if body["status"] == "ready" else 503)


async def _answer(client: httpx.AsyncClient, deadline: float) -> bool | None:
    """Whether the API says it is healthy, or None if it has not answered by `deadline`."""
    try:
        async with asyncio.timeout_at(deadline):
            return (await client.get("/healthz")).is_success
    except (TimeoutError, httpx.TimeoutException):
        return None
    except httpx.HTTPError:
        return False
