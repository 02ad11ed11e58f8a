from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import BindParameter, ColumnElement, and_, bindparam, delete, exists, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation.adapters.tables import (
    cancelled_orders,
    participations,
    withdrawn_participations,
)
from services.evaluation.domain.participation import Participation
from services.evaluation.domain.programme import Participant
from shared.upserts import dialect_of, ignoring_clashes, inserting_new

_ORDERS: BindParameter[UUID] = bindparam("order_ids", expanding=True)
CANCELLED_AMONG = select(cancelled_orders.c.order_id).where(
    cancelled_orders.c.order_id.in_(_ORDERS)
)
KNOWN_AMONG = select(participations.c.order_id, participations.c.service_id).where(
    participations.c.order_id.in_(_ORDERS)
)


class ParticipationRepository:
    """Participations are staged as they are found and written together (`flush`): a batch of
    events costs three statements, not three per event. Whatever reads or withdraws them first
    writes what is staged, so that it sees it."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session
        self._staged: list[list[Participation]] = []  # each event's, in the order applied

    async def add_all(self, found: list[Participation]) -> None:
        """Record each participation once; none for an order already cancelled."""
        self._staged.append(found)

    async def flush(self) -> None:
        """Write what is staged as each event's own statements would have: an event's
        participations for an order and service already recorded (by an earlier event, in the
        book or in this batch) are left out; one event's, for two schools of a trust, are not."""
        staged, self._staged = self._staged, []
        order_ids = {p.order_id for found in staged for p in found}
        if not order_ids:
            return
        among = {"order_ids": list(order_ids)}
        cancelled = set(await self._session.scalars(CANCELLED_AMONG, among))
        known = {tuple(row) for row in await self._session.execute(KNOWN_AMONG, among)}
        new: list[Participation] = []
        for found in staged:
            taken = [
                p
                for p in found
                if p.order_id not in cancelled and (p.order_id, p.service_id) not in known
            ]
            known |= {(p.order_id, p.service_id) for p in taken}
            new.extend(taken)
        if new:
            # another worker may have recorded one of them since it was looked for
            adding = ignoring_clashes(participations, dialect_of(self._session))
            await self._session.execute(adding, [vars(p) for p in new])  # flat: no deep copy

    async def withdraw(self, order_id: UUID, *, cancelled_on: date) -> None:
        """A cancelled order makes no participant, whenever its payment is heard of (a payment
        recorded concurrently is still left out, by `taking_part`)."""
        await self.flush()
        await self._session.execute(
            delete(participations).where(participations.c.order_id == order_id)
        )
        await self._session.execute(
            inserting_new(cancelled_orders, dialect_of(self._session)),
            {"order_id": order_id, "cancelled_on": cancelled_on},
        )

    async def withdraw_services(
        self, order_id: UUID, given_back: set[tuple[int, UUID]], *, on: date
    ) -> None:
        """These (URN, service) of the order were given back whole: those schools take no part
        in those services through it, whenever its payment or invoice is heard of."""
        await self._session.execute(
            inserting_new(withdrawn_participations, dialect_of(self._session)),
            [
                {"order_id": order_id, "urn": urn, "service_id": service, "withdrawn_on": on}
                for urn, service in sorted(given_back)
            ],
        )

    async def list(
        self, *, service_id: UUID | None = None, urn: int | None = None
    ) -> list[Participation]:
        await self.flush()
        query = (
            select(participations)
            .where(taking_part())
            .order_by(participations.c.since, participations.c.urn)
        )
        if service_id is not None:
            query = query.where(participations.c.service_id == service_id)
        if urn is not None:
            query = query.where(participations.c.urn == urn)
        rows = await self._session.execute(query)
        return [
            Participation(**{k: v for k, v in row._mapping.items() if k != "id"}) for row in rows
        ]

    async def buyers_of(self, service_ids: set[UUID]) -> tuple[Participant, ...]:
        """The schools taking part through an order of one of these services, earliest first."""
        if not service_ids:
            return ()
        await self.flush()
        rows = await self._session.execute(
            select(participations)
            .where(participations.c.service_id.in_(service_ids), taking_part())
            .order_by(participations.c.since)
        )
        return tuple(Participant(row.urn, row.school_name, "order", row.since) for row in rows)


def taking_part() -> ColumnElement[bool]:
    """Participations of orders not cancelled, nor of services given back whole: read-time, so
    that a payment and a cancellation (or a line given back) applied at the same moment by two
    consumers cannot leave a participant behind."""
    withdrawn = withdrawn_participations.c
    given_back = exists().where(
        and_(
            withdrawn.order_id == participations.c.order_id,
            withdrawn.urn == participations.c.urn,
            withdrawn.service_id == participations.c.service_id,
        )
    )
    return and_(participations.c.order_id.not_in(select(cancelled_orders.c.order_id)), ~given_back)
