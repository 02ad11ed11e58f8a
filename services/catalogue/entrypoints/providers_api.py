"""Providers: who delivers, their designation and expertise, and their QA status."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from services.catalogue.application import providers, views
from services.catalogue.entrypoints.deps import BusDep, CatalogueAdmin, SignedIn, UnitOfWorkDep
from services.catalogue.entrypoints.schemas import ProviderPublic
from shared.api.catalogue import ProviderCreate, QaStatusCreate
from shared.bounds import Label

router = APIRouter(prefix="/providers", tags=["providers"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def register_provider(body: ProviderCreate, bus: BusDep, _: CatalogueAdmin) -> ProviderPublic:
    """Add a provider to the register of expertise (approved until reviewed)."""
    return ProviderPublic.of(await bus.handle(providers.RegisterProvider(**body.model_dump())))


@router.get("")
async def list_providers(
    uow: UnitOfWorkDep, _: SignedIn, expertise: Label | None = None
) -> list[ProviderPublic]:
    """The register of expertise, optionally only those expert in one area."""
    found = await views.providers(uow)
    wanted = (expertise or "").lower()
    return [
        ProviderPublic.of(provider)
        for provider in found
        if not wanted or any(wanted in area.lower() for area in provider.expertise)
    ]


@router.get("/{provider_id}")
async def get_provider(provider_id: UUID, uow: UnitOfWorkDep, _: SignedIn) -> ProviderPublic:
    """One provider, with its QA status and average rating."""
    return ProviderPublic.of(await views.provider(uow, provider_id))


@router.put("/{provider_id}/qa-status")
async def set_qa_status(
    provider_id: UUID, body: QaStatusCreate, bus: BusDep, _: CatalogueAdmin
) -> ProviderPublic:
    """Approve, put under review or suspend a provider (a suspended one's services can't sell)."""
    command = providers.SetQaStatus(provider_id, body.qa_status, body.note)
    return ProviderPublic.of(await bus.handle(command))
