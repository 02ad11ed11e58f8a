"""Schools as the LA categorises them."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from services.commissioning.application import schools as handlers
from services.commissioning.domain.categorisation import Categorisation, Category
from services.commissioning.entrypoints.roles import Officer, Reader, UnitOfWorkDep
from shared.bounds import Day, Paragraph, Urn
from shared.deps import Today

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
    async with uow:
        return [SchoolPublic.model_validate(s.__dict__) for s in await uow.schools.all()]


@router.post("/{urn}/categorisations", status_code=status.HTTP_201_CREATED)
async def categorise(
    urn: Urn, body: CategorisationCreate, uow: UnitOfWorkDep, today: Today, officer: Officer
) -> CategorisationPublic:
    """Place a school in a category; its earlier categorisations are kept."""
    command = handlers.CategoriseSchool(urn=urn, recorded_by=officer.subject, **body.model_dump())
    async with uow:
        found = await handlers.categorise_school(uow, command, today=today)
    return CategorisationPublic.of(found)


@router.get("/{urn}/categorisations")
async def categorisation_history(
    urn: Urn, uow: UnitOfWorkDep, _: Reader
) -> list[CategorisationPublic]:
    """A school's categorisations, oldest first."""
    async with uow:
        await uow.schools.get(urn)
        return [CategorisationPublic.of(c) for c in await uow.categorisations.history(urn)]


@router.get("/categorisations/current")
async def current_categories(uow: UnitOfWorkDep, _: Reader) -> list[CategorisationPublic]:
    """Every categorised school's current category."""
    async with uow:
        return [CategorisationPublic.of(c) for c in await uow.categorisations.current()]
