"""The school register read model, and the LA's categorisation of schools."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.commissioning.application import events_out
from services.commissioning.application.unit_of_work import CommissioningUnitOfWork
from services.commissioning.domain.categorisation import Categorisation, Category, categorise
from services.commissioning.domain.school import School
from shared.bus import Command
from shared.events import Envelope, SchoolRegisteredV1


async def record_registered_school(
    envelope: Envelope[SchoolRegisteredV1], *, uow: CommissioningUnitOfWork
) -> None:
    """Keep our copy of the register; the consumer commits it with the inbox row."""
    event = envelope.payload
    await uow.schools.put(
        School(
            urn=event.urn,
            name=event.name,
            phase=event.phase,
            establishment_type=event.establishment_type,
            la_code=event.la_code,
            town=event.town,
            postcode=event.postcode,
            version=event.version,
        )
    )


@dataclass(frozen=True)
class CategoriseSchool(Command["Categorisation"]):
    urn: int
    category: Category
    categorised_on: date
    reasons: str
    recorded_by: str


async def categorise_school(
    command: CategoriseSchool, *, uow: CommissioningUnitOfWork, today: date
) -> Categorisation:
    await uow.schools.get(command.urn, for_update=True)
    history = await uow.categorisations.history(command.urn)
    categorisation = categorise(
        urn=command.urn,
        category=command.category,
        on=command.categorised_on,
        reasons=command.reasons,
        recorded_by=command.recorded_by,
        latest=history[-1] if history else None,
        today=today,
    )
    await uow.categorisations.add(categorisation)
    uow.record(events_out.school_categorised(categorisation))
    return categorisation
