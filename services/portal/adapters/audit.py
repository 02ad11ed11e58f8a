"""Every service's audit trail, as the signed-in user may read them, merged newest first."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from services.portal.adapters.http import ApiClient
from shared.audit_api import AUDIT_READERS, AuditEntryPublic, AuditPagePublic
from shared.auth import Role


class AuditRow(AuditEntryPublic):
    service: str


@dataclass(frozen=True)
class AuditFilters:
    actor: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    since: date | None = None
    until: date | None = None
    before: datetime | None = None

    def query(self) -> dict[str, Any]:
        return {
            name: value.isoformat() if isinstance(value, date | datetime) else value
            for name, value in self.__dict__.items()
            if value
        }


def audited_for(role: Role) -> tuple[str, ...]:
    """The services whose audit trail this role may read."""
    return tuple(name for name, readers in AUDIT_READERS.items() if role in readers)


class AuditApi:
    def __init__(self, apis: Mapping[str, ApiClient]) -> None:
        self._apis = apis

    async def merged(
        self, services: tuple[str, ...], filters: AuditFilters, *, limit: int
    ) -> tuple[list[AuditRow], bool]:
        """The newest `limit` entries of all `services` together, and whether older ones match:
        each service gives its newest `limit`, so the merge holds every one that can show."""
        pages = await asyncio.gather(
            *(self._apis[name].get("/audit", limit=limit, **filters.query()) for name in services)
        )
        rows = [
            AuditRow(service=name, **entry.model_dump())
            for name, page in zip(services, pages, strict=True)
            for entry in AuditPagePublic.model_validate(page).entries
        ]
        rows.sort(key=lambda row: row.at, reverse=True)
        more = len(rows) > limit or any(page["has_more"] for page in pages)
        return rows[:limit], more
