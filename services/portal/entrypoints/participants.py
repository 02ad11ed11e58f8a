"""The evaluator's view: which schools took part in each service."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.domain.participation import schools_by_service
from services.portal.entrypoints.rendering import render
from services.portal.entrypoints.roles import Evaluator

router = APIRouter()


@router.get("/participants")
async def participants(request: Request, you: Evaluator) -> Response:
    by_service = schools_by_service(await you.apis.evaluation.participants())
    return render(request, "participants.html", by_service=by_service)
