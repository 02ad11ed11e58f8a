"""Partnership maturity of networks of schools: each dimension's step at every assessment,
self and peer, and how far it has moved."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.entrypoints.rendering import render
from services.portal.entrypoints.roles import Evaluator
from shared.api.evaluation import MaturityPublic

router = APIRouter(prefix="/networks")

STEPS = {1: "Beginning", 2: "Developing", 3: "Embedding", 4: "Leading"}


@router.get("")
async def networks(request: Request, you: Evaluator) -> Response:
    return render(request, "networks/list.html", networks=await you.apis.evaluation.networks())


@router.get("/{network_id:uuid}")
async def maturity(request: Request, network_id: UUID, you: Evaluator) -> Response:
    found = await you.apis.evaluation.maturity(network_id)
    return render(
        request,
        "networks/maturity.html",
        maturity=found,
        columns=assessment_columns(found),
        steps=STEPS,
    )


def assessment_columns(found: MaturityPublic) -> list[tuple[date, str]]:
    """One column per assessment (its date and perspective), oldest first."""
    seen = {(p.assessed_on, p.perspective) for trend in found.trend for p in trend.points}
    return sorted(seen)
