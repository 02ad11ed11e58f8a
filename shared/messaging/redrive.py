"""Re-driving parked events: each dead letter applied again by the subscription that parked it,
once a person has put right what stopped it. The inbox keeps it exactly once (an event applied
since, by a redelivery or an earlier re-drive, is not applied again), and a letter's row goes
only once its event is applied; one that fails again stays, with what failed said."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select

from shared.db import Sessions, read_session
from shared.messaging.consumer import Subscription, apply_once
from shared.messaging.tables import MessagingTables


@dataclass(frozen=True)
class Redriven:
    letter: int  # the dead letter's id
    event_id: str
    subject: str
    cleared: bool  # applied now or before, and its row removed
    said: str

    def line(self) -> str:
        return f"dead letter {self.letter} ({self.subject} {self.event_id}): {self.said}"


async def redrive(
    sessions: Sessions,
    tables: MessagingTables,
    subscriptions: Sequence[Subscription],
    *,
    letter: int | None = None,
) -> list[Redriven]:
    """Re-drive every dead letter, oldest first, or only the one whose id is `letter`."""
    dead_letters = tables.dead_letters
    query = select(dead_letters).order_by(dead_letters.c.id)
    if letter is not None:
        query = query.where(dead_letters.c.id == letter)
    async with read_session(sessions) as session:
        letters = (await session.execute(query)).all()
    by_durable = {subscription.durable: subscription for subscription in subscriptions}
    outcomes = []
    for row in letters:
        said = await _reapply(by_durable.get(row.consumer), row.consumer, row.body)
        cleared = said in {APPLIED, APPLIED_BEFORE}
        if cleared:
            async with sessions() as session:
                await session.execute(delete(dead_letters).where(dead_letters.c.id == row.id))
                await session.commit()
        outcomes.append(Redriven(row.id, row.event_id, row.subject, cleared, said))
    return outcomes


APPLIED = "applied, and removed"
APPLIED_BEFORE = "applied before (the inbox has it), so not again; removed"


async def _reapply(subscription: Subscription | None, consumer: str, body: str) -> str:
    if subscription is None:
        return f"left: this service subscribes no {consumer}"
    try:
        envelope = subscription.envelope(body.encode())
    except ValueError as error:
        return f"left: its body is not a {subscription.event_type.__name__}: {error}"
    try:
        applied = await apply_once(
            envelope, uow_factory=subscription.uow_factory, apply=subscription.apply
        )
    except Exception as error:
        return f"left: it failed again: {error!r}"
    return APPLIED if applied else APPLIED_BEFORE
