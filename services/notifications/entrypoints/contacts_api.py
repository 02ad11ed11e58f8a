"""A school's named contacts: who is told what (the finance contact gets invoice reminders,
the headteacher and chair of governors a warning notice). The school keeps its own."""

from __future__ import annotations

from fastapi import APIRouter

from services.notifications.domain.recipients import SchoolContact
from services.notifications.entrypoints.messages_api import SignedIn, UnitOfWorkDep
from services.notifications.entrypoints.schemas import ContactPublic, ContactUpdate
from shared.auth import Principal, Role
from shared.bounds import Urn
from shared.errors import Forbidden

router = APIRouter(prefix="/schools/{urn}/contacts", tags=["contacts"])


def check_may_keep(user: Principal, urn: int) -> None:
    if user.role is not Role.ADMIN and not (user.is_school and user.urn == urn):
        raise Forbidden(
            "only the school itself (or an administrator) keeps its contacts", field="urn"
        )


@router.get("")
async def school_contacts(urn: Urn, uow: UnitOfWorkDep, user: SignedIn) -> list[ContactPublic]:
    """The school's named contacts."""
    check_may_keep(user, urn)
    async with uow:
        found = await uow.read_models.contacts_of(urn)
    return [
        ContactPublic(contact=contact.value, name=name, email=email)
        for contact, (name, email) in sorted(found.items())
    ]


@router.put("/{contact}")
async def set_contact(
    urn: Urn, contact: SchoolContact, body: ContactUpdate, uow: UnitOfWorkDep, user: SignedIn
) -> ContactPublic:
    """Name one of the school's contacts and their email address."""
    check_may_keep(user, urn)
    async with uow:
        await uow.read_models.set_contact(urn, contact, name=body.name, email=body.email)
        await uow.commit()
    return ContactPublic(contact=contact.value, name=body.name, email=body.email)
