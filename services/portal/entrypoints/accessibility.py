"""The accessibility statement, open to everyone, signed in or not (the public sector bodies
accessibility regulations ask for one, linked from every page)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.entrypoints.rendering import render

router = APIRouter(tags=["accessibility"])


@router.get("/accessibility")
async def accessibility_statement(request: Request) -> Response:
    return render(request, "accessibility.html")
