"""Deliveries a school may rate, and the ratings given."""

from __future__ import annotations

from dataclasses import asdict
from uuid import UUID

from sqlalchemy import insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation.adapters.tables import rating_invitations, ratings
from services.evaluation.domain.rating import AlreadyRated, Average, Invitation, Rating
from shared.fitting import fitted
from shared.unique import taken_as


class Ratings:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def invite(self, invitations: list[Invitation]) -> None:
        """Keep these deliveries to rate. A title longer than its column (a deployment's, built
        around its provider's name) is shortened to fit: PostgreSQL refuses it whole."""
        if invitations:
            title = rating_invitations.c.title
            await self._session.execute(
                insert(rating_invitations),
                [asdict(i) | {"title": fitted(i.title, title)} for i in invitations],
            )

    async def invitations(self, *, urn: int | None, unrated_only: bool) -> list[Invitation]:
        query = select(rating_invitations).order_by(rating_invitations.c.invited_on)
        if urn is not None:
            query = query.where(rating_invitations.c.urn == urn)
        if unrated_only:
            query = query.where(rating_invitations.c.rated.is_(False))
        return [Invitation(**row._mapping) for row in await self._session.execute(query)]

    async def invitation(self, invitation_id: UUID) -> Invitation | None:
        row = (
            await self._session.execute(
                select(rating_invitations).where(rating_invitations.c.id == invitation_id)
            )
        ).first()
        return Invitation(**row._mapping) if row else None

    async def add(self, rating: Rating) -> None:
        async with taken_as(AlreadyRated):  # by the same school's rating sent a moment before
            await self._session.execute(insert(ratings).values(**asdict(rating)))
        await self._session.execute(
            update(rating_invitations)
            .where(rating_invitations.c.id == rating.invitation_id)
            .values(rated=True)
        )

    async def hold_averages(self, invitation: Invitation) -> None:
        """Lock every invitation to rate the invitation's service or provider, in one order
        (SQLite's writers queue already): two ratings of either given at once are then counted
        one after the other, and the second's averages count the first."""
        rated = [
            column == value
            for column, value in (
                (rating_invitations.c.service_id, invitation.service_id),
                (rating_invitations.c.provider_id, invitation.provider_id),
            )
            if value is not None
        ]
        if rated:
            await self._session.execute(
                select(rating_invitations.c.id)
                .where(or_(*rated))
                .order_by(rating_invitations.c.id)
                .with_for_update()
            )

    async def average(
        self, *, service_id: UUID | None = None, provider_id: UUID | None = None
    ) -> Average:
        column, value = (
            (ratings.c.service_id, service_id)
            if service_id is not None
            else (ratings.c.provider_id, provider_id)
        )
        if value is None:
            return Average(None, 0)
        scores = await self._session.execute(select(ratings.c.score).where(column == value))
        return Average.of(list(scores.scalars()))

    async def list(self, *, urn: int | None) -> list[Rating]:
        query = select(ratings).order_by(ratings.c.rated_on)
        if urn is not None:
            query = query.where(ratings.c.urn == urn)
        return [Rating(**row._mapping) for row in await self._session.execute(query)]
