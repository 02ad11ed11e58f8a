"""What evaluation keeps of other services' facts: the schools register, support deployments
and the ledger's postings for programmes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from datetime import date
from uuid import UUID

from sqlalchemy import insert, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation.adapters.tables import cost_postings, deployments, schools
from services.evaluation.domain.cost import CostPosting
from services.evaluation.domain.matching import RegisteredSchool
from services.evaluation.domain.programme import Participant
from shared.errors import Invalid
from shared.upserts import put


class SchoolRegister:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def put(self, school: RegisteredSchool) -> None:
        await put(self._session, schools, asdict(school), unless_newer="version")

    async def require(self, urns: Iterable[int]) -> None:
        """Refuse URNs the register does not hold: a comparison or a network is of real schools."""
        wanted = set(urns)
        unknown = sorted(wanted - {s.urn for s in await self.find(wanted)})
        if unknown:
            raise Invalid(f"not on the schools register: {unknown}", field="urns")

    async def find(self, urns: Iterable[int] | None = None) -> list[RegisteredSchool]:
        query = select(schools).order_by(schools.c.urn)
        if urns is not None:
            query = query.where(schools.c.urn.in_(list(urns)))
        rows = await self._session.execute(query)
        return [RegisteredSchool(**row._mapping) for row in rows]


class Deployments:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def add(self, **values: object) -> None:
        await self._session.execute(insert(deployments).values(**values))

    async def supported(self, case_ids: set[UUID]) -> list[tuple[UUID, int, date]]:
        """(contract, URN, completed on) of every deployment under these cases."""
        if not case_ids:
            return []
        rows = await self._session.execute(
            select(deployments.c.contract_id, deployments.c.urn, deployments.c.completed_on)
            .where(deployments.c.case_id.in_(case_ids))
            .order_by(deployments.c.completed_on)
        )
        return [(row.contract_id, row.urn, row.completed_on) for row in rows]

    async def participants(self, case_ids: set[UUID]) -> list[Participant]:
        supported = await self.supported(case_ids)
        names = {
            s.urn: s.name
            for s in await SchoolRegister(self._session).find({urn for _, urn, _ in supported})
        }
        return [
            Participant(urn, names.get(urn, f"URN {urn}"), "deployment", on)
            for _, urn, on in supported
        ]


class CostPostings:
    """Postings are staged and written together (`flush`), one statement a batch; a read of
    them writes what is staged first."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session
        self._staged: list[dict[str, object]] = []

    async def add_all(self, rows: list[dict[str, object]]) -> None:
        self._staged.extend(rows)

    async def flush(self) -> None:
        staged, self._staged = self._staged, []
        if staged:
            await self._session.execute(insert(cost_postings), staged)

    async def linked(self, *, service_ids: set[UUID], contract_ids: set[UUID]) -> list[CostPosting]:
        """Each with the case of the deployment it was booked for, when evaluation knows it."""
        await self.flush()
        conditions = [cost_postings.c.service_id.in_(service_ids)] if service_ids else []
        if contract_ids:
            conditions.append(cost_postings.c.contract_id.in_(contract_ids))
        if not conditions:
            return []
        booked_for = deployments.c.event_id == cost_postings.c.source_event_id
        rows = await self._session.execute(
            select(cost_postings, deployments.c.case_id)
            .select_from(cost_postings.outerjoin(deployments, booked_for))
            .where(or_(*conditions))
        )
        return [
            CostPosting(
                account=row.account,
                amount_pence=row.amount_pence,
                urn=row.urn,
                service_id=row.service_id,
                contract_id=row.contract_id,
                case_id=row.case_id,
                posted_on=row.posted_on,
            )
            for row in rows
        ]
