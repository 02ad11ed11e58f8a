"""Published school results, the measures each programme tracks, and its outcome matches."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation.adapters.tables import outcome_matches, published_results, tracked_measures
from services.evaluation.domain.outcome_analysis import TrackedMeasure
from services.evaluation.domain.outcome_matching import OutcomeMatch
from services.evaluation.domain.published_results import PublishedMeasure, PublishedResult

CHUNK = 500  # keeps each IN list and insert well inside every driver's parameter limit


class PublishedResults:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def put(self, results: list[PublishedResult]) -> None:
        """A file's figures replace any earlier ones for the same schools, measures and years."""
        keys = sorted({(r.measure.value, r.year) for r in results})
        urns = sorted({r.urn for r in results})
        for measure, year in keys:
            for start in range(0, len(urns), CHUNK):
                await self._session.execute(
                    delete(published_results).where(
                        published_results.c.measure == measure,
                        published_results.c.year == year,
                        published_results.c.urn.in_(urns[start : start + CHUNK]),
                    )
                )
        rows = [
            {
                "measure": r.measure.value,
                "year": r.year,
                "urn": r.urn,
                "value": r.value,
                "cohort": r.cohort,
                "marker": r.marker,
                "mainstream": r.mainstream,
            }
            for r in results
        ]
        for start in range(0, len(rows), CHUNK):
            await self._session.execute(insert(published_results), rows[start : start + CHUNK])

    async def of(
        self,
        *,
        measures: Iterable[PublishedMeasure],
        years: Iterable[int] | None = None,
        urns: Iterable[int] | None = None,
    ) -> list[PublishedResult]:
        query = select(published_results).where(
            published_results.c.measure.in_([m.value for m in measures])
        )
        if years is not None:
            query = query.where(published_results.c.year.in_(list(years)))
        if urns is not None:
            query = query.where(published_results.c.urn.in_(list(urns)))
        rows = await self._session.execute(
            query.order_by(published_results.c.urn, published_results.c.year)
        )
        return [
            PublishedResult(
                r.urn,
                PublishedMeasure(r.measure),
                r.year,
                r.value,
                r.cohort,
                r.marker,
                r.mainstream,
            )
            for r in rows
        ]

    async def track(self, programme_id: UUID, tracked: list[TrackedMeasure]) -> None:
        await self._session.execute(
            delete(tracked_measures).where(tracked_measures.c.programme_id == programme_id)
        )
        if tracked:
            await self._session.execute(
                insert(tracked_measures),
                [
                    {
                        "programme_id": programme_id,
                        "measure": t.measure.value,
                        "baseline_year": t.baseline_year,
                        "outcome_year": t.outcome_year,
                    }
                    for t in tracked
                ],
            )

    async def tracked(self, programme_id: UUID) -> list[TrackedMeasure]:
        rows = await self._session.execute(
            select(tracked_measures).where(tracked_measures.c.programme_id == programme_id)
        )
        found = [
            TrackedMeasure(PublishedMeasure(r.measure), r.baseline_year, r.outcome_year)
            for r in rows
        ]
        order = list(PublishedMeasure)
        return sorted(found, key=lambda t: order.index(t.measure))

    async def save_matches(
        self, programme_id: UUID, matches: list[OutcomeMatch], *, baseline_year: int
    ) -> None:
        await self._session.execute(
            delete(outcome_matches).where(outcome_matches.c.programme_id == programme_id)
        )
        if matches:
            await self._session.execute(
                insert(outcome_matches),
                [
                    {
                        "programme_id": programme_id,
                        "comparison": m.comparison,
                        "participant": m.participant,
                        "distance": m.distance,
                        "baseline_year": baseline_year,
                    }
                    for m in matches
                ],
            )

    async def matches(self, programme_id: UUID) -> tuple[list[OutcomeMatch], int | None]:
        rows = list(
            await self._session.execute(
                select(outcome_matches)
                .where(outcome_matches.c.programme_id == programme_id)
                .order_by(outcome_matches.c.participant, outcome_matches.c.distance)
            )
        )
        found = [OutcomeMatch(r.participant, r.comparison, r.distance) for r in rows]
        return found, (rows[0].baseline_year if rows else None)
