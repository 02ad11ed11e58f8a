"""Networks of schools and their maturity assessments."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation.adapters.tables import assessments, judgements, network_members, networks
from services.evaluation.domain.maturity import Assessment, Judgement, Perspective, Step


class Networks:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def add(self, *, network_id: UUID, name: str, kind: str, urns: list[int]) -> None:
        await self._session.execute(insert(networks).values(id=network_id, name=name, kind=kind))
        await self._session.execute(
            insert(network_members), [{"network_id": network_id, "urn": urn} for urn in urns]
        )

    async def get(self, network_id: UUID, *, for_update: bool = False) -> dict[str, object] | None:
        query = select(networks).where(networks.c.id == network_id)
        if for_update:  # serialises changes to one network (SQLite: BEGIN IMMEDIATE does it)
            query = query.with_for_update()
        row = (await self._session.execute(query)).first()
        if row is None:
            return None
        members = await self._session.execute(
            select(network_members.c.urn)
            .where(network_members.c.network_id == network_id)
            .order_by(network_members.c.urn)
        )
        return {**row._mapping, "urns": list(members.scalars())}

    async def all(self, *, urn: int | None = None) -> list[dict[str, object]]:
        query = select(networks.c.id).order_by(networks.c.name)
        if urn is not None:
            query = query.join(network_members).where(network_members.c.urn == urn)
        found = [await self.get(i) for i in (await self._session.execute(query)).scalars()]
        return [network for network in found if network]

    async def put_assessment(self, assessment: Assessment) -> list[tuple[UUID, str]]:
        """The assessment, replacing any of the network's for the same date and perspective;
        the id and assessor of each it replaced."""
        replaced = (
            await self._session.execute(
                select(assessments.c.id, assessments.c.assessor).where(
                    assessments.c.network_id == assessment.network_id,
                    assessments.c.assessed_on == assessment.assessed_on,
                    assessments.c.perspective == assessment.perspective.value,
                )
            )
        ).all()
        if replaced:
            ids = [row.id for row in replaced]
            await self._session.execute(
                delete(judgements).where(judgements.c.assessment_id.in_(ids))
            )
            await self._session.execute(delete(assessments).where(assessments.c.id.in_(ids)))
        await self._add_assessment(assessment)
        return [(row.id, row.assessor) for row in replaced]

    async def _add_assessment(self, assessment: Assessment) -> None:
        await self._session.execute(
            insert(assessments).values(
                id=assessment.id,
                network_id=assessment.network_id,
                perspective=assessment.perspective.value,
                assessor=assessment.assessor,
                assessed_on=assessment.assessed_on,
            )
        )
        await self._session.execute(
            insert(judgements),
            [
                {
                    "assessment_id": assessment.id,
                    "dimension": j.dimension,
                    "step": int(j.step),
                    "evidence": j.evidence,
                }
                for j in assessment.judgements
            ],
        )

    async def assessments(self, network_id: UUID) -> list[Assessment]:
        rows = (
            await self._session.execute(
                select(assessments)
                .where(assessments.c.network_id == network_id)
                .order_by(assessments.c.assessed_on, assessments.c.id)
            )
        ).all()
        found = []
        for row in rows:
            given = await self._session.execute(
                select(judgements).where(judgements.c.assessment_id == row.id)
            )
            found.append(
                Assessment(
                    id=row.id,
                    network_id=row.network_id,
                    perspective=Perspective(row.perspective),
                    assessor=row.assessor,
                    assessed_on=row.assessed_on,
                    judgements=tuple(
                        Judgement(j.dimension, Step(j.step), j.evidence) for j in given
                    ),
                )
            )
        return found
