"""`GET /audit`: a service's audit trail, newest first, filtered by day, actor and object."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import Table, select

from shared.auth import Role
from shared.bounds import Day, Label, Line, Moment, PageSize
from shared.clock import in_utc, start_of
from shared.errors import Invalid
from shared.http import require
from shared.uow import UnitOfWork

AUDIT_READERS: dict[str, tuple[Role, ...]] = {
    "catalogue": (Role.ADMIN, Role.CATALOGUE_ADMIN),
    "orders": (Role.ADMIN, Role.FINANCE),
    "commissioning": (Role.ADMIN, Role.LA_OFFICER, Role.FINANCE),
    "evaluation": (Role.ADMIN, Role.EVALUATOR),
    "ledger": (Role.ADMIN, Role.FINANCE),
    "notifications": (Role.ADMIN,),
}
"""Who may read each service's audit: the company's admins everywhere, and the people who answer
for that service's records (finance for money, the LA for its contracts, and so on)."""


class AuditEntryPublic(BaseModel):
    at: datetime
    actor: str = Field(description="the token's subject, or 'system' for a worker's change")
    role: str
    action: str = Field(description="`<object type>.<verb>`, e.g. `contract.varied`")
    object_type: str
    object_id: str
    summary: str
    correlation_id: str | None = Field(description="the request (or event) that made it")
    event_id: str | None = Field(description="the event this change sent, if any")
    cause_event_id: str | None = Field(description="the event a worker's change answers")

    @field_validator("at")
    @classmethod
    def _utc(cls, at: datetime) -> datetime:
        return in_utc(at)


class AuditPagePublic(BaseModel):
    entries: list[AuditEntryPublic]
    has_more: bool = Field(description="older entries match: ask again with `before`")


def audit_router(service: str) -> APIRouter:
    router = APIRouter(tags=["audit"])

    @router.get("/audit", dependencies=[Depends(require(*AUDIT_READERS[service]))])
    async def audit(
        request: Request,
        since: Annotated[Day | None, Query(description="from this day (in England)")] = None,
        until: Annotated[
            Day | None, Query(description="to this day (in England), inclusive")
        ] = None,
        before: Annotated[
            Moment | None, Query(description="only entries before this moment (paging)")
        ] = None,
        actor: Line | None = None,
        object_type: Label | None = None,
        object_id: Annotated[str | None, Query(max_length=100, pattern=r"^[\w.:-]*$")] = None,
        limit: PageSize = 50,
    ) -> AuditPagePublic:
        """Who changed what in this service, newest first. Page back with `before` set to the
        last entry's `at`."""
        if since and until and since > until:
            raise Invalid("'since' must not be after 'until'", field="since")
        uow: UnitOfWork = request.app.state.unit_of_work()
        table = uow.tables.audit
        query = select(table).order_by(table.c.at.desc(), table.c.id.desc()).limit(limit + 1)
        for condition in _conditions(
            table,
            since=since,
            until=until,
            before=before,
            actor=actor,
            object_type=object_type,
            object_id=object_id,
        ):
            query = query.where(condition)
        async with uow:
            rows = (await uow.session.execute(query)).mappings().all()
        entries = [AuditEntryPublic.model_validate(dict(row)) for row in rows[:limit]]
        return AuditPagePublic(entries=entries, has_more=len(rows) > limit)

    return router


def _conditions(
    table: Table,
    *,
    since: date | None,
    until: date | None,
    before: datetime | None,
    actor: str | None,
    object_type: str | None,
    object_id: str | None,
) -> list[Any]:
    conditions: list[Any] = []
    if since:
        conditions.append(table.c.at >= start_of(since))
    if until:
        conditions.append(table.c.at < start_of(until + timedelta(days=1)))
    if before:
        conditions.append(table.c.at < in_utc(before))
    if actor:
        conditions.append(table.c.actor == actor)
    if object_type:
        conditions.append(table.c.object_type == object_type)
    if object_id:
        conditions.append(table.c.object_id == object_id)
    return conditions
