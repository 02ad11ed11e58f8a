"""The schools register as the ledger learns it from `orders.school.registered.v1`, and the
names of what it posts about: services from the sales, contracts from
`commissioning.contract.signed.v1`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.ledger.adapters.tables import contract_names, schools, service_names
from services.ledger.domain.entries import SchoolPlace
from shared.events import ContractSignedV1, SchoolRegisteredV1
from shared.upserts import put


class Register:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def save(self, school: SchoolRegisteredV1) -> None:
        # A re-registration replaces the row: the newest entry of the register is the truth.
        kept = school.model_dump(include={"urn", "name", "phase", "la_code", "la_name", "version"})
        await put(self._session, schools, kept, unless_newer="version")

    async def name_contract(self, contract: ContractSignedV1) -> None:
        await put(
            self._session,
            contract_names,
            {
                "contract_id": str(contract.contract_id),
                "reference": contract.reference[:60],
                "title": contract.title[:200],
            },
        )

    async def contract_names(self) -> dict[str, tuple[str, str]]:
        """Contract id → (reference, title)."""
        rows = await self._session.execute(select(contract_names))
        return {contract_id: (reference, title) for contract_id, reference, title in rows}

    async def service_titles(self) -> dict[str, str]:
        rows = await self._session.execute(select(service_names))
        return {service_id: title for service_id, title in rows}

    async def schools_by_phase(self) -> Counter[str]:
        rows = await self._session.execute(select(schools.c.phase))
        return Counter(phase for (phase,) in rows)

    async def places(self, urns: Collection[int]) -> dict[int, SchoolPlace]:
        """URN → phase and LA, of those of these schools the register has."""
        if not urns:
            return {}
        rows = await self._session.execute(
            select(schools.c.urn, schools.c.phase, schools.c.la_code).where(schools.c.urn.in_(urns))
        )
        return {urn: SchoolPlace(phase, la_code) for urn, phase, la_code in rows}

    async def names(self) -> dict[int, tuple[str, str, str]]:
        """URN → (name, phase, LA name)."""
        rows = await self._session.execute(
            select(schools.c.urn, schools.c.name, schools.c.phase, schools.c.la_name)
        )
        return {urn: (name, phase, la) for urn, name, phase, la in rows}
