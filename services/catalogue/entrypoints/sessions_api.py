"""Course sessions: dates, venues and places; bookings and the waiting list."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from services.catalogue.application import capacity, views
from services.catalogue.entrypoints.deps import (
    BusDep,
    CatalogueAdmin,
    SignedIn,
    Today,
    UnitOfWorkDep,
)
from services.catalogue.entrypoints.schemas import SessionPublic
from shared.api.catalogue import BookingPublic, SessionCreate, WaitingPlacePublic
from shared.bounds import Urn

router = APIRouter(tags=["course sessions"])


@router.post("/services/{service_id}/sessions", status_code=status.HTTP_201_CREATED)
async def schedule_session(
    service_id: UUID, body: SessionCreate, bus: BusDep, _: CatalogueAdmin
) -> SessionPublic:
    """Add a dated session, with its capacity in places, to a course."""
    command = capacity.ScheduleSession(service_id=service_id, **body.model_dump())
    return SessionPublic.of(await bus.handle(command))


@router.get("/services/{service_id}/sessions")
async def list_sessions(
    service_id: UUID, uow: UnitOfWorkDep, today: Today, _: SignedIn, bookable: bool = False
) -> list[SessionPublic]:
    """A course's sessions and the places a new order may take on each (none while schools
    wait for places: they come first); `bookable`: only those a school can
    still book (not called off, and not begun: places are booked until the day before)."""
    found = await views.sessions(uow, service_id, bookable_on=today if bookable else None)
    return [SessionPublic.of(session, line) for session, line in found]


@router.get("/sessions/{session_id}/bookings")
async def list_bookings(
    session_id: UUID, uow: UnitOfWorkDep, _: CatalogueAdmin
) -> list[BookingPublic]:
    """Who holds places on a session and who is waiting, in waiting-list order."""
    found = await views.bookings(uow, session_id)
    return [
        BookingPublic.model_validate({**shown.booking.__dict__, "school_name": shown.school_name})
        for shown in found
    ]


@router.get("/schools/{urn}/waiting-places")
async def list_waiting_places(
    urn: Urn, uow: UnitOfWorkDep, user: SignedIn
) -> list[WaitingPlacePublic]:
    """The school's order lines waiting for places, each with its place in line now (a school
    its own, a trust's buyer its schools', staff any)."""
    found = await views.waiting_places(uow, user, urn)
    return [WaitingPlacePublic.model_validate(booking.__dict__) for booking in found]
