"""Each school's approval rule (none kept: no approval needed)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.orders.adapters.tables import approval_policies, orders
from services.orders.domain.approval import ApprovalPolicy
from services.orders.domain.states import OrderStatus
from shared.upserts import put

# Built once, not per call: SQLAlchemy then reuses their cache keys and compiled SQL.
OF_SCHOOL = select(approval_policies).where(approval_policies.c.urn == bindparam("urn"))


class ApprovalPolicies:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def of(self, urn: int) -> ApprovalPolicy:
        found = await self._session.execute(OF_SCHOOL, {"urn": urn})
        row = found.mappings().first()
        if row is None:
            return ApprovalPolicy()
        return ApprovalPolicy(
            spending_limit_pence=row["spending_limit_pence"],
            every_order=row["every_order"],
            approval_days=row["approval_days"],
        )

    async def put(self, urn: int, policy: ApprovalPolicy) -> None:
        await put(self._session, approval_policies, {"urn": urn, **policy.__dict__})

    async def lapsed(self, today: date) -> list[UUID]:
        """The ids of orders still awaiting approval after their last day."""
        found = await self._session.execute(
            select(orders.c.id).where(
                orders.c.status == OrderStatus.AWAITING_APPROVAL.value, orders.c.approve_by < today
            )
        )
        return list(found.scalars())
