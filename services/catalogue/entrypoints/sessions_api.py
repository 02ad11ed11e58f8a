"""Course sessions: dates, venues and places; bookings and the waiting list."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from services.catalogue.application import capacity
from services.catalogue.entrypoints.deps import CatalogueAdmin, SignedIn, UnitOfWorkDep
from services.catalogue.entrypoints.schemas import SessionCreate, SessionPublic
from shared.api.catalogue import BookingPublic

router = APIRouter(tags=["course sessions"])


@router.post("/services/{service_id}/sessions", status_code=status.HTTP_201_CREATED)
async def schedule_session(
    service_id: UUID, body: SessionCreate, uow: UnitOfWorkDep, _: CatalogueAdmin
) -> SessionPublic:
    """Add a dated session, with its capacity in places, to a course."""
    async with uow:
        session = await capacity.schedule_session(
            uow, capacity.ScheduleSession(service_id=service_id, **body.model_dump())
        )
    return SessionPublic.of(session)


@router.get("/services/{service_id}/sessions")
async def list_sessions(service_id: UUID, uow: UnitOfWorkDep, _: SignedIn) -> list[SessionPublic]:
    """A course's sessions and the places left on each."""
    async with uow:
        await uow.services.get(service_id)
        return [SessionPublic.of(found) for found in await uow.courses.sessions_of(service_id)]


@router.get("/sessions/{session_id}/bookings")
async def list_bookings(
    session_id: UUID, uow: UnitOfWorkDep, _: CatalogueAdmin
) -> list[BookingPublic]:
    """Who holds places on a session and who is waiting, in waiting-list order."""
    async with uow:
        await uow.courses.session(session_id)
        found = await uow.courses.bookings_on(session_id)
    return [BookingPublic.model_validate(booking.__dict__) for booking in found]
