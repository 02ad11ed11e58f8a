from __future__ import annotations

from dataclasses import asdict
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.catalogue.adapters.tables import services
from services.catalogue.domain.service import Service, ServiceType, Status
from shared.errors import NotFound
from shared.money import VatRate


class ServiceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, service: Service) -> None:
        await self._session.execute(insert(services).values(**asdict(service)))

    async def save(self, service: Service) -> None:
        values = asdict(service)
        await self._session.execute(
            update(services).where(services.c.id == values.pop("id")).values(**values)
        )

    async def get(self, service_id: UUID) -> Service:
        row = (
            await self._session.execute(select(services).where(services.c.id == service_id))
        ).first()
        if row is None:
            raise NotFound(f"no service {service_id}", field="service_id")
        return _service(row._mapping)

    async def code_taken(self, code: str) -> bool:
        found = await self._session.execute(select(services.c.id).where(services.c.code == code))
        return found.first() is not None

    async def list(self, *, status: Status | None = None) -> list[Service]:
        query = select(services).order_by(services.c.code)
        if status is not None:
            query = query.where(services.c.status == status.value)
        return [_service(row._mapping) for row in await self._session.execute(query)]


def _service(row: object) -> Service:
    values = dict(row)  # type: ignore[call-overload]
    return Service(
        **{
            **values,
            "service_type": ServiceType(values["service_type"]),
            "vat_rate": VatRate(values["vat_rate"]),
            "status": Status(values["status"]),
        }
    )
