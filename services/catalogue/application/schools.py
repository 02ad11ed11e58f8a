"""The catalogue's read model of the schools register, fed by orders' events."""

from __future__ import annotations

from dataclasses import dataclass

from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.catalogue.domain.school import School
from shared.bus import Command
from shared.events import Envelope, SchoolRegisteredV1


@dataclass(frozen=True)
class RegisterSchools(Command["int"]):
    """Load the register directly (local run, seeding): the same rows the events carry."""

    register: list[SchoolRegisteredV1]


async def on_school_registered(
    envelope: Envelope[SchoolRegisteredV1], *, uow: CatalogueUnitOfWork
) -> None:
    await uow.schools.put(school_of(envelope.payload))


async def register_schools(command: RegisterSchools, *, uow: CatalogueUnitOfWork) -> int:
    await uow.schools.put(*map(school_of, command.register))
    return len(command.register)


def school_of(event: SchoolRegisteredV1) -> School:
    return School(
        urn=event.urn,
        name=event.name,
        la_code=event.la_code,
        type_group=event.type_group,
        establishment_type=event.establishment_type,
        phase=event.phase,
        pupils=event.pupils,
        trust_code=event.trust_code,
        version=event.version,
    )
