"""Programmes kept until their baseline is recorded, for the evaluators' alert."""

from __future__ import annotations

from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.domain.programmes import ProgrammeWithoutBaseline, baseline_alert_key
from shared.events import BaselineRecordedV1, Envelope, ProgrammeCreatedV1


async def programme_created(
    envelope: Envelope[ProgrammeCreatedV1], *, uow: NotificationsUnitOfWork
) -> None:
    event = envelope.payload
    await uow.read_models.await_baseline(
        ProgrammeWithoutBaseline(event.programme_id, event.title, event.starts_on)
    )


async def baseline_recorded(
    envelope: Envelope[BaselineRecordedV1], *, uow: NotificationsUnitOfWork
) -> None:
    """The evaluator's alert that the programme has none, not sent yet, is withdrawn."""
    programme = await uow.read_models.programme_without_baseline(envelope.payload.programme_id)
    await uow.read_models.baseline_recorded(envelope.payload.programme_id)
    if programme is not None:
        await uow.messages.withdraw(
            [baseline_alert_key(programme)], why="withdrawn: a baseline was recorded"
        )
