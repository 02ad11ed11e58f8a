"""Evaluation use cases."""

from __future__ import annotations

from services.evaluation.application.unit_of_work import EvaluationUnitOfWork
from services.evaluation.domain.participation import Participation
from shared.events import Envelope, OrderPlacedV1


async def record_participation(
    uow: EvaluationUnitOfWork, envelope: Envelope[OrderPlacedV1]
) -> None:
    """Each line of a placed order makes its school a participant in that service."""
    event = envelope.payload
    await uow.participations.add_all(
        [
            Participation(
                urn=event.urn,
                school_name=event.school_name,
                phase=event.phase,
                service_id=line.service_id,
                service_title=line.title,
                order_id=event.order_id,
                since=event.placed_on,
            )
            for line in {line.service_id: line for line in event.lines}.values()
        ]
    )
