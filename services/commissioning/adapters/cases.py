"""Cases for schools causing concern, with their stages and visit notes."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.commissioning.adapters.tables import case_stages, cases, visit_notes
from services.commissioning.domain.case import Case, Stage, StageEntry, VisitNote
from shared.errors import NotFound


class CaseRepository:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def add(self, case: Case) -> None:
        await self._session.execute(
            insert(cases).values(
                id=case.id,
                contract_id=case.contract_id,
                urn=case.urn,
                opened_on=case.opened_on,
                summary=case.summary,
                stage=case.stage.value,
            )
        )
        await self.save(case)

    async def get(self, case_id: UUID, *, for_update: bool = False) -> Case:
        query = select(cases).where(cases.c.id == case_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).first()
        if row is None:
            raise NotFound(f"no case {case_id}", field="case_id")
        return await self._case(row._mapping)

    async def find(
        self, *, urn: int | None = None, contract_id: UUID | None = None, open_only: bool = False
    ) -> list[Case]:
        query = select(cases).order_by(cases.c.opened_on, cases.c.id)
        if urn is not None:
            query = query.where(cases.c.urn == urn)
        if contract_id is not None:
            query = query.where(cases.c.contract_id == contract_id)
        if open_only:
            query = query.where(cases.c.stage != Stage.CLOSED.value)
        return [await self._case(row._mapping) for row in await self._session.execute(query)]

    async def save(self, case: Case) -> None:
        await self._session.execute(
            update(cases).where(cases.c.id == case.id).values(stage=case.stage.value)
        )
        stored = int(
            await self._session.scalar(select(func.count()).where(case_stages.c.case_id == case.id))
            or 0
        )
        for position, entry in enumerate(case.stages[stored:], start=stored):
            await self._session.execute(
                insert(case_stages).values(
                    case_id=case.id, position=position, **{**asdict(entry), "stage": entry.stage}
                )
            )
        known = set(
            (
                await self._session.scalars(
                    select(visit_notes.c.id).where(visit_notes.c.case_id == case.id)
                )
            ).all()
        )
        for visit in case.visits:
            if visit.id not in known:
                await self._session.execute(
                    insert(visit_notes).values(case_id=case.id, **asdict(visit))
                )

    async def _case(self, row: Any) -> Case:
        stages = await self._session.execute(
            select(case_stages)
            .where(case_stages.c.case_id == row["id"])
            .order_by(case_stages.c.position)
        )
        visits = await self._session.execute(
            select(visit_notes)
            .where(visit_notes.c.case_id == row["id"])
            .order_by(visit_notes.c.visited_on, visit_notes.c.id)
        )
        return Case(
            id=row["id"],
            contract_id=row["contract_id"],
            urn=row["urn"],
            opened_on=row["opened_on"],
            summary=row["summary"],
            stages=[_entry(stage._mapping) for stage in stages],
            visits=[
                VisitNote(**{k: v for k, v in visit._mapping.items() if k != "case_id"})
                for visit in visits
            ],
        )


def _entry(row: Any) -> StageEntry:
    return StageEntry(
        stage=Stage(row["stage"]),
        entered_on=row["entered_on"],
        grounds=row["grounds"],
        required_action=row["required_action"],
        compliance_by=row["compliance_by"],
        outcome=row["outcome"],
    )
