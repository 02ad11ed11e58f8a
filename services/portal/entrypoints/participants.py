"""The evaluator's view: which schools took part in each service."""

from __future__ import annotations

from itertools import groupby
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from services.portal.entrypoints.rendering import render
from services.portal.entrypoints.session import SignedIn, signed_in
from shared.auth import Role

router = APIRouter()

Evaluator = Annotated[SignedIn, Depends(signed_in(Role.EVALUATOR, Role.ADMIN))]


@router.get("/participants")
async def participants(request: Request, you: Evaluator) -> Response:
    found = sorted(
        await you.apis.evaluation.participants(), key=lambda p: (p.service_title, p.school_name)
    )
    by_service = [(title, list(rows)) for title, rows in groupby(found, lambda p: p.service_title)]
    return render(request, "participants.html", by_service=by_service)
