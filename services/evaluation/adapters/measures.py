"""Measures and the results recorded against them."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation.adapters.tables import group_results, measures, school_results
from services.evaluation.domain.measure import (
    Group,
    GroupResult,
    Measure,
    Results,
    SchoolResult,
    Stage,
)
from services.evaluation.domain.readiness import Baselines


class Measures:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def add(self, measure: Measure) -> None:
        await self._session.execute(
            insert(measures).values(
                id=measure.id,
                programme_id=measure.programme_id,
                name=measure.name,
                unit=measure.unit,
            )
        )

    async def of(self, programme_id: UUID) -> list[Measure]:
        rows = await self._session.execute(
            select(measures)
            .where(measures.c.programme_id == programme_id)
            .order_by(measures.c.name)
        )
        return [Measure(**row._mapping) for row in rows]

    async def put_results(self, measure_id: UUID, results: Results) -> None:
        """A school's or group's value for a stage replaces any earlier one."""
        for school in results.schools:
            await self._session.execute(
                delete(school_results).where(
                    school_results.c.measure_id == measure_id,
                    school_results.c.urn == school.urn,
                    school_results.c.stage == school.stage.value,
                )
            )
        for group in results.groups:
            await self._session.execute(
                delete(group_results).where(
                    group_results.c.measure_id == measure_id,
                    group_results.c.group == group.group.value,
                    group_results.c.stage == group.stage.value,
                )
            )
        if results.schools:
            await self._session.execute(
                insert(school_results),
                [
                    {
                        "measure_id": measure_id,
                        "urn": s.urn,
                        "stage": s.stage.value,
                        "value": s.value,
                        "pupils": s.pupils,
                    }
                    for s in results.schools
                ],
            )
        if results.groups:
            await self._session.execute(
                insert(group_results),
                [
                    {
                        "measure_id": measure_id,
                        "group": g.group.value,
                        "stage": g.stage.value,
                        "mean": g.mean,
                        "sd": g.sd,
                        "n": g.n,
                    }
                    for g in results.groups
                ],
            )

    async def results(self, measure_id: UUID, *, urn: int | None = None) -> Results:
        school_query = select(school_results).where(school_results.c.measure_id == measure_id)
        if urn is not None:
            school_query = school_query.where(school_results.c.urn == urn)
        schools = await self._session.execute(school_query.order_by(school_results.c.urn))
        groups: list[GroupResult] = []
        if urn is None:  # a group summary is nobody's own data: only staff see it
            rows = await self._session.execute(
                select(group_results).where(group_results.c.measure_id == measure_id)
            )
            groups = [GroupResult(Group(r.group), Stage(r.stage), r.mean, r.sd, r.n) for r in rows]
        return Results(
            schools=tuple(SchoolResult(r.urn, Stage(r.stage), r.value, r.pupils) for r in schools),
            groups=tuple(groups),
        )

    async def baselines(self, measure_ids: list[UUID]) -> dict[str, Baselines]:
        """By measure, the schools with a baseline value and the groups with a baseline summary."""
        urns: dict[str, set[int]] = {}
        groups: dict[str, set[Group]] = {}
        if measure_ids:
            schools = await self._session.execute(
                select(school_results.c.measure_id, school_results.c.urn).where(
                    school_results.c.measure_id.in_(measure_ids),
                    school_results.c.stage == Stage.BASELINE.value,
                )
            )
            for measure_id, urn in schools:
                urns.setdefault(str(measure_id), set()).add(urn)
            summaries = await self._session.execute(
                select(group_results.c.measure_id, group_results.c.group).where(
                    group_results.c.measure_id.in_(measure_ids),
                    group_results.c.stage == Stage.BASELINE.value,
                )
            )
            for measure_id, group in summaries:
                groups.setdefault(str(measure_id), set()).add(Group(group))
        return {
            measure_id: Baselines(
                frozenset(urns.get(measure_id, ())), frozenset(groups.get(measure_id, ()))
            )
            for measure_id in urns.keys() | groups.keys()
        }
