"""Liveness, and readiness: every API the portal calls answers."""

from __future__ import annotations

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    clients: dict[str, httpx.AsyncClient] = request.app.state.clients
    checks = {name: await _answers(client) for name, client in clients.items()}
    ready = all(checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "not ready", **checks}, status_code=200 if ready else 503
    )


async def _answers(client: httpx.AsyncClient) -> bool:
    try:
        return (await client.get("/healthz", timeout=2)).is_success
    except httpx.HTTPError:
        return False
