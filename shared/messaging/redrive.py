"""Re-driving parked events: each dead letter applied again by the subscription that parked it,
once a person has put right what stopped it. The inbox keeps it exactly once (an event applied
since, by a redelivery or an earlier re-drive, is not applied again), and a letter's row goes
only once its event is applied; one that fails again stays, with what failed said. A letter no
re-drive could ever apply (a body that is not the event, a subscription the service no longer
has) is dropped only when asked: it would otherwise keep the alarm up for ever."""

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
    cleared: bool  # applied now or before, or dropped as never appliable, and its row removed
    said: str

    def line(self) -> str:
        return f"dead letter {self.letter} ({self.subject} {self.event_id}): {self.said}"


@dataclass(frozen=True)
class _Outcome:
    said: str
    applied: bool = False  # now or before
    appliable: bool = True  # False: no re-drive could ever apply it


async def redrive(
    sessions: Sessions,
    tables: MessagingTables,
    subscriptions: Sequence[Subscription],
    *,
    letter: int | None = None,
    drop_unappliable: bool = False,
) -> list[Redriven]:
    """Re-drive every dead letter, oldest first, or only the one whose id is `letter`; with
    `drop_unappliable`, remove the letters no re-drive could ever apply."""
    dead_letters = tables.dead_letters
    query = select(dead_letters).order_by(dead_letters.c.id)
    if letter is not None:
        query = query.where(dead_letters.c.id == letter)
    async with read_session(sessions) as session:
        letters = (await session.execute(query)).all()
    by_durable = {subscription.durable: subscription for subscription in subscriptions}
    outcomes = []
    for row in letters:
        outcome = await _reapply(by_durable.get(row.consumer), row.consumer, row.body)
        dropped = drop_unappliable and not outcome.appliable
        cleared = outcome.applied or dropped
        said = _said(outcome, dropped=dropped)
        if cleared:
            async with sessions() as session:
                await session.execute(delete(dead_letters).where(dead_letters.c.id == row.id))
                await session.commit()
        outcomes.append(Redriven(row.id, row.event_id, row.subject, cleared, said))
    return outcomes


def _said(outcome: _Outcome, *, dropped: bool) -> str:
    if outcome.applied:
        return outcome.said
    if dropped:
        return f"dropped, never applied: {outcome.said}"
    if not outcome.appliable:
        return f"left: {outcome.said} (no re-drive can apply it: --drop-unappliable removes it)"
    return f"left: {outcome.said}"


APPLIED = "applied, and removed"
APPLIED_BEFORE = "applied before (the inbox has it), so not again; removed"


async def _reapply(subscription: Subscription | None, consumer: str, body: str) -> _Outcome:
    if subscription is None:
        return _Outcome(f"this service subscribes no {consumer}", appliable=False)
    try:
        envelope = subscription.envelope(body.encode())
    except ValueError as error:
        name = subscription.event_type.__name__
        return _Outcome(f"its body is not a {name}: {error}", appliable=False)
    try:
        applied = await apply_once(
            envelope, uow_factory=subscription.uow_factory, apply=subscription.apply
        )
    except Exception as error:
        return _Outcome(f"it failed again: {error!r}")
    return _Outcome(APPLIED if applied else APPLIED_BEFORE, applied=True)
