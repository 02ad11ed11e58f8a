"""A school's named contacts: who is told what (the finance contact gets invoice reminders, the
headteacher and chair of governors a warning notice, the approver orders to approve)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from services.orders.application import views
from services.orders.application.contacts import NameContact
from services.orders.entrypoints.deps import BusDep, UnitOfWorkDep, check_school
from shared.api.orders import ContactCreate, ContactPublic
from shared.auth import Principal, Role
from shared.bounds import Urn
from shared.events import SchoolContactRole
from shared.http import require

router = APIRouter(prefix="/schools/{urn}/contacts", tags=["contacts"])

SchoolOrAdmin = Annotated[
    Principal, Depends(require(Role.SCHOOL, Role.SCHOOL_APPROVER, Role.ADMIN))
]


@router.get("")
async def school_contacts(urn: Urn, uow: UnitOfWorkDep, user: SchoolOrAdmin) -> list[ContactPublic]:
    """The school's named contacts."""
    await check_school(uow, user, urn)
    found = await views.contacts(uow, urn)
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
    bus: BusDep,
    user: SchoolOrAdmin,
) -> ContactPublic:
    """Name one of the school's contacts and their email address."""
    await check_school(uow, user, urn)
    await bus.handle(NameContact(urn, contact, **body.model_dump()))
    return ContactPublic(contact=contact, **body.model_dump())
