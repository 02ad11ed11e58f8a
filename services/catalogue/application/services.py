"""Catalogue use cases for services: each loads, asks the aggregate and records events (the
bus commits)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import partial
from typing import Any
from uuid import UUID

from services.catalogue.application import events_out
from services.catalogue.application.quoting import components_of
from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.catalogue.domain.bundle import check_bundle
from services.catalogue.domain.provider import Provider
from services.catalogue.domain.service import CodeTaken, Details, Service, ServiceType
from shared.bus import Command
from shared.errors import Invalid
from shared.money import VatRate
from shared.tariffs import Prices


@dataclass(frozen=True)
class CreateService(Command["Listed"]):
    code: str
    service_type: ServiceType
    details: Details
    prices: Prices
    vat_rate: VatRate


@dataclass(frozen=True)
class PublishService(Command["Listed"]):
    service_id: UUID


@dataclass(frozen=True)
class RetireService(Command["Listed"]):
    service_id: UUID


@dataclass(frozen=True)
class ReviseService(Command["Listed"]):
    """Only the details given change."""

    service_id: UUID
    given: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RepriceService(Command["Listed"]):
    service_id: UUID
    prices: Prices
    vat_rate: VatRate
    effective_from: date | None = None  # today unless given


@dataclass(frozen=True)
class Listed:
    """A service as the catalogue lists it: with its provider (and a bundle's parts)."""

    service: Service
    provider: Provider | None
    components: list[Service] = field(default_factory=list)


async def create_service(
    command: CreateService, *, uow: CatalogueUnitOfWork, today: date
) -> Listed:
    service = await add_service(uow, command, today=today)
    return await listed(uow, service)


async def publish_service(
    command: PublishService, *, uow: CatalogueUnitOfWork, today: date
) -> Listed:
    return await _change(uow, command.service_id, Service.publish, today=today)


async def retire_service(
    command: RetireService, *, uow: CatalogueUnitOfWork, today: date, now: datetime
) -> Listed:
    return await _change(uow, command.service_id, partial(Service.retire, at=now), today=today)


async def revise_service(
    command: ReviseService, *, uow: CatalogueUnitOfWork, today: date, now: datetime
) -> Listed:
    def revise(service: Service) -> None:
        service.revise(replace(service.details, **command.given), at=now)

    return await _change(uow, command.service_id, revise, today=today)


async def reprice_service(
    command: RepriceService, *, uow: CatalogueUnitOfWork, today: date
) -> Listed:
    def reprice(service: Service) -> None:
        service.reprice(
            command.prices,
            command.vat_rate,
            effective_from=command.effective_from or today,
            today=today,
        )

    return await _change(uow, command.service_id, reprice, today=today)


async def listed(uow: CatalogueUnitOfWork, service: Service) -> Listed:
    provider = await uow.providers.find(service.details.provider_id)
    return Listed(service, provider, await components_of(uow, service))


async def add_service(uow: CatalogueUnitOfWork, command: CreateService, *, today: date) -> Service:
    if await uow.services.code_taken(command.code):
        raise CodeTaken(command.code)
    service = Service.draft(**command.__dict__, today=today)
    await check_references(uow, service, today=today)
    await uow.services.add(service)
    uow.audit(
        "service.created",
        object_type="service",
        object_id=service.id,
        summary=f"{service.code}: {service.title} (draft)",
    )
    return service


async def _change(
    uow: CatalogueUnitOfWork, service_id: UUID, change: Callable[[Service], None], *, today: date
) -> Listed:
    service = await uow.services.get(service_id, locked=True)
    await apply_change(uow, service, change, today=today)
    return await listed(uow, service)


async def apply_change(
    uow: CatalogueUnitOfWork, service: Service, change: Callable[[Service], None], *, today: date
) -> None:
    change(service)
    await check_references(uow, service, today=today)
    await uow.services.save(service)
    await events_out.record_changes(uow, service, today=today)


async def check_references(uow: CatalogueUnitOfWork, service: Service, *, today: date) -> None:
    """The provider and a bundle's parts must exist, and the parts go together (see
    domain/bundle.py)."""
    if service.details.provider_id is not None:
        await uow.providers.get(service.details.provider_id)
    if service.service_type is not ServiceType.BUNDLE:
        return
    found = await uow.services.by_ids(list(service.details.components))
    missing = [part_id for part_id in service.details.components if part_id not in found]
    if missing:
        raise Invalid(f"no service {missing[0]} to put in a bundle", field="components")
    check_bundle(service, [found[part_id] for part_id in service.details.components], today=today)
