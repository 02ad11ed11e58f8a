"""A course's sessions on the catalogue admin's desk: places taken and left, offers open and
who is waiting, as the catalogue counts them."""

from __future__ import annotations

import asyncio
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.domain.course_sessions import SessionBookings
from services.portal.entrypoints.rendering import render
from services.portal.entrypoints.roles import CatalogueAdmin

router = APIRouter(prefix="/catalogue")


@router.get("/{service_id:uuid}/sessions")
async def course_sessions(request: Request, service_id: UUID, you: CatalogueAdmin) -> Response:
    catalogue = you.apis.catalogue
    service, sessions = await asyncio.gather(
        catalogue.service(service_id), catalogue.sessions(service_id)
    )
    bookings = await asyncio.gather(*(catalogue.bookings(session.id) for session in sessions))
    shown = [SessionBookings.of(*found) for found in zip(sessions, bookings, strict=True)]
    return render(request, "catalogue/sessions.html", service=service, sessions=shown)
