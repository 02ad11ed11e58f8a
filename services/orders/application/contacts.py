"""A school names its contacts; each change is announced, so that notifications write to the
person a message concerns."""

from __future__ import annotations

from dataclasses import dataclass

from services.orders.application.unit_of_work import OrdersUnitOfWork
from shared.bus import Command
from shared.events import SchoolContactChangedV1, SchoolContactRole


@dataclass(frozen=True)
class NameContact(Command[None]):
    urn: int
    contact: SchoolContactRole
    name: str
    email: str


async def name_contact(command: NameContact, *, uow: OrdersUnitOfWork) -> None:
    await uow.schools.get(command.urn)  # an unknown school is refused
    await uow.contacts.put(command.urn, command.contact, name=command.name, email=command.email)
    uow.record(SchoolContactChangedV1(**command.__dict__))
