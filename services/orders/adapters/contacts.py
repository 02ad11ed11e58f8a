"""Each school's named contacts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.orders.adapters.tables import school_contacts
from shared.events import SchoolContactRole
from shared.upserts import put


class SchoolContacts:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def of(self, urn: int) -> dict[SchoolContactRole, tuple[str, str]]:
        found = await self._session.execute(
            select(school_contacts).where(school_contacts.c.urn == urn)
        )
        return {SchoolContactRole(row.contact): (row.name, row.email) for row in found}

    async def put(self, urn: int, contact: SchoolContactRole, *, name: str, email: str) -> None:
        row = {"urn": urn, "contact": contact.value, "name": name, "email": email}
        await put(self._session, school_contacts, row)
