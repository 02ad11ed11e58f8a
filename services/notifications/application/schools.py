"""The schools register and schools' named contacts, as orders announces them."""

from __future__ import annotations

from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.domain.recipients import Recipient
from shared.events import Envelope, SchoolContactChangedV1, SchoolRegisteredV1


async def contact_named(
    envelope: Envelope[SchoolContactChangedV1], *, uow: NotificationsUnitOfWork
) -> None:
    """The person a school named for a contact: what waits to go to the contact goes to them."""
    event = envelope.payload
    if await uow.read_models.set_contact(
        event.urn,
        event.contact,
        name=event.name,
        email=event.email,
        changed_at=envelope.occurred_at,
    ):
        await uow.messages.readdress(Recipient.school(event.urn, event.contact), event.email)


async def school_registered(
    envelope: Envelope[SchoolRegisteredV1], *, uow: NotificationsUnitOfWork
) -> None:
    """The register's trust for the school (one it has left no longer renews for it), and its
    name, which its trust's buyer reads it by."""
    event = envelope.payload
    await uow.read_models.school_registered(
        event.urn,
        name=event.name,
        trust_code=event.trust_code,
        version=event.version,
        announced_at=envelope.occurred_at,
    )
