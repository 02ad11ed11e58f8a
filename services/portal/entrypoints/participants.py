"""The evaluator's view: which schools took part in each service."""

from __future__ import annotations

from itertools import groupby

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.entrypoints.rendering import render
from services.portal.entrypoints.roles import Evaluator

router = APIRouter()


@router.get("/participants")
async def participants(request: Request, you: Evaluator) -> Response:
    found = sorted(
        await you.apis.evaluation.participants(), key=lambda p: (p.service_title, p.school_name)
    )
    by_service = [(title, list(rows)) for title, rows in groupby(found, lambda p: p.service_title)]
    return render(request, "participants.html", by_service=by_service)
