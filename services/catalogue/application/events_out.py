"""The events the catalogue announces about its services, carrying what consumers need."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.catalogue.application.quoting import components_of
from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.catalogue.domain.bundle import base_price
from services.catalogue.domain.service import Service
from shared.events import ServicePublishedV1, ServiceRetiredV1, ServiceUpdatedV1


async def record_changes(uow: CatalogueUnitOfWork, service: Service, *, today: date) -> None:
    """Announce what happened to a service in this transaction; a draft's changes stay quiet,
    kept only in the audit trail."""
    changes = set(service.changes)
    service.changes.clear()
    if "retired" in changes:
        uow.record(
            ServiceRetiredV1(
                service_id=service.id,
                code=service.code,
                retired_on=today,
                revision=service.revision,
            )
        )
    elif "published" in changes:
        uow.record(ServicePublishedV1(**await _state(uow, service, today)))
    elif changes and service.status.value == "published":
        uow.record(ServiceUpdatedV1(**await _state(uow, service, today)), summary=_listed(changes))
    elif changes:
        uow.audit(
            "service.changed", object_type="service", object_id=service.id, summary=_listed(changes)
        )


def _listed(changes: set[str]) -> str:
    return "changed: " + ", ".join(sorted(changes))


async def _base_price(uow: CatalogueUnitOfWork, service: Service, today: date) -> int:
    """A bundle's base price is its parts' base prices less its discount."""
    if not service.details.components:
        return service.prices_on(today).headline_pence
    return base_price(service, await components_of(uow, service), on=today)


async def _state(uow: CatalogueUnitOfWork, service: Service, today: date) -> dict[str, Any]:
    provider = await uow.providers.find(service.details.provider_id)
    current = service.prices_on(today)
    return {
        "service_id": service.id,
        "code": service.code,
        "title": service.title,
        "service_type": service.service_type.value,
        "category": service.details.category,
        "unit_price_pence": await _base_price(uow, service, today),
        "vat_rate": current.vat_rate,
        "price_version": current.version,
        "description": service.details.description,
        "provider_id": provider.id if provider else None,
        "provider_name": provider.name if provider else None,
        "phases": service.details.phases,
        "academic_years": service.details.academic_years,
        "prices": current.prices,
        "price_effective_from": current.effective_from,
        "price_year": current.year,
        "revision": service.revision,
    }
