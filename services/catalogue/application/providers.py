"""Providers, their quality-assurance status, and the ratings schools give them."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.catalogue.domain.provider import Provider, ProviderKind, QaStatus
from shared.bus import Command
from shared.events import Envelope, ProviderFlaggedV1, RatingRecordedV1
from shared.measurements import format_rating


@dataclass(frozen=True)
class RegisterProvider(Command["Provider"]):
    name: str
    kind: ProviderKind
    designation: str
    expertise: tuple[str, ...]


@dataclass(frozen=True)
class SetQaStatus(Command["Provider"]):
    provider_id: UUID
    qa_status: QaStatus
    note: str


async def register_provider(command: RegisterProvider, *, uow: CatalogueUnitOfWork) -> Provider:
    provider = Provider.register(**command.__dict__)
    await uow.providers.add(provider)
    uow.audit(
        "provider.registered",
        object_type="provider",
        object_id=provider.id,
        summary=f"{provider.name} ({provider.kind.value})",
    )
    return provider


async def set_qa_status(command: SetQaStatus, *, uow: CatalogueUnitOfWork) -> Provider:
    status, note = command.qa_status, command.note
    provider = await uow.providers.get(command.provider_id, field="id", locked=True)
    provider.set_qa_status(status, note)
    await uow.providers.save(provider)
    uow.audit(
        "provider.qa_status_changed",
        object_type="provider",
        object_id=provider.id,
        summary=f"{provider.name}: {status.value} {note}".strip(),
    )
    return provider


async def on_provider_flagged(
    envelope: Envelope[ProviderFlaggedV1], *, uow: CatalogueUnitOfWork
) -> None:
    event = envelope.payload
    provider = await uow.providers.find(event.provider_id, locked=True)
    if provider is None:  # not one of ours
        return
    provider.flag_for_review(
        f"average rating {format_rating(event.average)} from {event.ratings} ratings fell "
        f"below {format_rating(event.threshold)} on {event.flagged_on.isoformat()}"
    )
    await uow.providers.save(provider)
    uow.audit(
        "provider.qa_status_changed",
        object_type="provider",
        object_id=provider.id,
        summary=f"{provider.name}: {provider.qa_status.value} {provider.qa_note}",
    )


async def on_rating_recorded(
    envelope: Envelope[RatingRecordedV1], *, uow: CatalogueUnitOfWork
) -> None:
    event = envelope.payload
    if event.service_id is not None:
        found = await uow.services.by_ids([event.service_id], locked=True)
        if event.service_id in found:  # a rating of a service another catalogue sold: ignore
            service = found[event.service_id]
            service.record_rating(event.service_average, event.service_ratings)
            await uow.services.save(service)
    if event.provider_id is not None:
        provider = await uow.providers.find(event.provider_id, locked=True)
        if provider is not None:
            provider.record_rating(event.provider_average, event.provider_ratings)
            await uow.providers.save(provider)
