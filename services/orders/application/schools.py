"""The schools register, loaded from the register extract."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.orders.application import events_out
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.domain.school import School
from shared.bus import Command


@dataclass(frozen=True)
class ImportSchools(Command["int"]):
    register: list[School]
    # each school new or changed is announced to the other services by
    # `orders.school.registered.v1` (the demo seed loads every service's copy directly instead)
    announce: bool = True


async def import_schools(command: ImportSchools, *, uow: OrdersUnitOfWork, now: datetime) -> int:
    """Load a register; how many schools it holds. Each school new or changed is entered at a
    version above its kept one (the rows kept are locked, so two imports at once count on from
    each other)."""
    kept = await uow.schools.all(for_update=True)
    entered = [
        entry
        for school in command.register
        if (entry := school.entered_after(kept.get(school.urn), at=now)) is not None
    ]
    await uow.schools.replace(entered)
    if command.announce:
        for school in entered:
            uow.record(events_out.school_registered(school))
    return len(command.register)
