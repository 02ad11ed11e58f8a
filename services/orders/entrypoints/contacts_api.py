"""A school's named contacts: who is told what (the finance contact gets invoice reminders, the
headteacher and chair of governors a warning notice, the approver orders to approve)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, StringConstraints

from services.orders.application.contacts import name_contact
from services.orders.entrypoints.deps import UnitOfWorkDep, check_school
from shared.auth import Principal, Role
from shared.bounds import Line, Urn
from shared.events import SchoolContactRole
from shared.http import require

router = APIRouter(prefix="/schools/{urn}/contacts", tags=["contacts"])

SchoolOrAdmin = Annotated[
    Principal, Depends(require(Role.SCHOOL, Role.SCHOOL_APPROVER, Role.ADMIN))
]
EmailAddress = Annotated[
    str, StringConstraints(max_length=254, pattern=r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
]


class ContactCreate(BaseModel):
    name: Line
    email: EmailAddress


class ContactPublic(ContactCreate):
    contact: SchoolContactRole


@router.get("")
async def school_contacts(urn: Urn, uow: UnitOfWorkDep, user: SchoolOrAdmin) -> list[ContactPublic]:
    """The school's named contacts."""
    await check_school(uow, user, urn)
    async with uow:
        found = await uow.contacts.of(urn)
    return [
        ContactPublic(contact=contact, name=name, email=email)
        for contact, (name, email) in sorted(found.items())
    ]


@router.put("/{contact}")
async def set_contact(
    urn: Urn,
    contact: SchoolContactRole,
    body: ContactCreate,
    uow: UnitOfWorkDep,
    user: SchoolOrAdmin,
) -> ContactPublic:
    """Name one of the school's contacts and their email address."""
    await check_school(uow, user, urn)
    async with uow:
        await name_contact(uow, urn, contact, name=body.name, email=body.email)
    return ContactPublic(contact=contact, **body.model_dump())
