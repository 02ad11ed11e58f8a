"""Catalogue use cases: each loads, asks the aggregate, records events and commits."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.catalogue.domain.service import Service, ServiceType
from shared.errors import Conflict
from shared.events import ServicePublishedV1
from shared.money import VatRate


@dataclass(frozen=True)
class CreateService:
    code: str
    title: str
    description: str
    service_type: ServiceType
    category: str
    unit_price_pence: int
    vat_rate: VatRate


async def create_service(uow: CatalogueUnitOfWork, command: CreateService) -> Service:
    if await uow.services.code_taken(command.code):
        raise Conflict(f"service code {command.code!r} is already in use", field="code")
    service = Service.draft(**command.__dict__)
    await uow.services.add(service)
    await uow.commit()
    return service


async def publish_service(uow: CatalogueUnitOfWork, service_id: UUID) -> Service:
    service = await uow.services.get(service_id)
    service.publish()
    await uow.services.save(service)
    uow.record(published(service))
    await uow.commit()
    return service


def published(service: Service) -> ServicePublishedV1:
    return ServicePublishedV1(
        service_id=service.id,
        code=service.code,
        title=service.title,
        service_type=service.service_type.value,
        category=service.category,
        unit_price_pence=service.unit_price_pence,
        vat_rate=service.vat_rate,
        price_version=service.price_version,
    )
