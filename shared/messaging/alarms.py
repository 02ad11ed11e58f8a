"""Events that cannot move, reported loudly: deliveries no handler could apply are parked in the
dead-letter table (never dropped), outbox rows NATS keeps refusing are counted; both show in the
service's /readyz and in an error log naming the event."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db import Sessions
from shared.messaging.tables import DEAD_LETTER_NAME_LENGTH, MessagingTables

log = logging.getLogger(__name__)


def _storable(text: str, length: int | None = None) -> str:
    """Text the dead-letter table keeps whatever the message held: a NUL (which PostgreSQL's
    text refuses) written out, and no longer than its column. A parking the database refused
    would leave the message, and every one fetched with it, coming back for ever."""
    written = text.replace("\x00", "\\x00")
    return written[:length] if length else written


# A row refused this many times is set aside, so that it no longer holds back the rows behind it.
OUTBOX_ALARM_ATTEMPTS = 3


async def park(
    sessions: Sessions,
    tables: MessagingTables,
    *,
    event_id: str,
    subject: str,
    consumer: str,
    deliveries: int,
    error: str,
    body: str,
) -> None:
    async with sessions() as session:
        await session.execute(
            insert(tables.dead_letters).values(
                event_id=_storable(event_id, DEAD_LETTER_NAME_LENGTH),
                subject=_storable(subject, DEAD_LETTER_NAME_LENGTH),
                consumer=_storable(consumer, DEAD_LETTER_NAME_LENGTH),
                deliveries=deliveries,
                error=_storable(error),
                body=_storable(body),
                parked_at=datetime.now(UTC),
            )
        )
        await session.commit()
    log.error(
        "event %s (%s) parked in dead_letters for %s after %d deliveries: %s",
        event_id,
        subject,
        consumer,
        deliveries,
        error,
    )


async def delivery_alarms(engine: AsyncEngine, tables: MessagingTables) -> list[str]:
    """What /readyz reports as degraded: parked events and outbox rows NATS keeps refusing."""
    outbox = tables.outbox
    async with engine.connect() as connection:
        parked = await connection.scalar(select(func.count()).select_from(tables.dead_letters))
        refused = await connection.scalar(
            select(func.count()).where(
                outbox.c.sent_at.is_(None), outbox.c.attempts >= OUTBOX_ALARM_ATTEMPTS
            )
        )
    alarms = []
    if parked:
        alarms.append(f"{parked} event(s) parked in dead_letters: no handler could apply them")
    if refused:
        alarms.append(f"{refused} outbox event(s) refused by NATS: they are not being published")
    return alarms
