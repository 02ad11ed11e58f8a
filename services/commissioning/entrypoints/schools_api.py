"""Schools as the LA categorises them."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from services.commissioning.application import schools, views
from services.commissioning.domain.categorisation import Categorisation, Category
from services.commissioning.entrypoints.deps import BusDep, Officer, Reader, UnitOfWorkDep
from shared.bounds import Day, Paragraph, Urn

router = APIRouter(prefix="/schools", tags=["categorisation"])


class SchoolPublic(BaseModel):
    urn: int
    name: str
    phase: str
    establishment_type: str
    town: str


class CategorisationCreate(BaseModel):
    category: Category = Field(description="1 good or better … 4 causing concern")
    categorised_on: Day
    reasons: Paragraph = Field(min_length=1)


class CategorisationPublic(BaseModel):
    id: UUID
    urn: int
    category: Category
    label: str
    previous_category: Category | None
    categorised_on: date
    reasons: str
    recorded_by: str

    @classmethod
    def of(cls, categorisation: Categorisation) -> CategorisationPublic:
        return cls(**categorisation.__dict__, label=categorisation.category.label)


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
async def current_categories(uow: UnitOfWorkDep, _: Reader) -> list[CategorisationPublic]:
    """Every categorised school's current category."""
    return [CategorisationPublic.of(c) for c in await views.current_categories(uow)]
