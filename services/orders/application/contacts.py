"""A school names its contacts; each change is announced, so that notifications write to the
person a message concerns."""

from __future__ import annotations

from services.orders.application.unit_of_work import OrdersUnitOfWork
from shared.events import SchoolContactChangedV1, SchoolContactRole


async def name_contact(
    uow: OrdersUnitOfWork, urn: int, contact: SchoolContactRole, *, name: str, email: str
) -> None:
    await uow.schools.get(urn)  # an unknown school is refused
    await uow.contacts.put(urn, contact, name=name, email=email)
    uow.record(SchoolContactChangedV1(urn=urn, contact=contact, name=name, email=email))
    await uow.commit()
