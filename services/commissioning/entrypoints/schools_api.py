"""Schools as the LA categorises them."""

from __future__ import annotations

from fastapi import APIRouter, status

from services.commissioning.application import schools, views
from services.commissioning.entrypoints.deps import BusDep, Officer, Reader, UnitOfWorkDep
from services.commissioning.entrypoints.schemas import CategorisationPublic, CurrentCategoryPublic
from shared.api.commissioning import CategorisationCreate, SchoolPublic
from shared.bounds import Urn

router = APIRouter(prefix="/schools", tags=["categorisation"])


@router.get("")
async def list_schools(uow: UnitOfWorkDep, _: Reader) -> list[SchoolPublic]:
    """The schools register as commissioning knows it, by name."""
    return [SchoolPublic.model_validate(s.__dict__) for s in await views.schools(uow)]


@router.post("/{urn}/categorisations", status_code=status.HTTP_201_CREATED)
async def categorise(
    urn: Urn, body: CategorisationCreate, bus: BusDep, officer: Officer
) -> CategorisationPublic:
    """Place a school in a category; its earlier categorisations are kept."""
    command = schools.CategoriseSchool(urn=urn, recorded_by=officer.subject, **body.model_dump())
    return CategorisationPublic.of(await bus.handle(command))


@router.get("/{urn}/categorisations")
async def categorisation_history(
    urn: Urn, uow: UnitOfWorkDep, _: Reader
) -> list[CategorisationPublic]:
    """A school's categorisations, oldest first."""
    return [CategorisationPublic.of(c) for c in await views.categorisation_history(uow, urn)]


@router.get("/categorisations/current")
async def current_categories(uow: UnitOfWorkDep, _: Reader) -> list[CurrentCategoryPublic]:
    """Every categorised school's current category, by URN, and since when it has been in it."""
    return [CurrentCategoryPublic.of(s) for s in await views.current_categories(uow)]
