"""A provider flagged for review: the catalogue administrators are told."""

from __future__ import annotations

from datetime import datetime

from services.notifications.application.sending import Addressing, send
from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.domain.message import Draft
from services.notifications.domain.quality import flagged_text
from services.notifications.domain.recipients import Recipient, StaffRole
from shared.events import Envelope, ProviderFlaggedV1


async def provider_flagged(
    envelope: Envelope[ProviderFlaggedV1],
    *,
    uow: NotificationsUnitOfWork,
    addressing: Addressing,
    now: datetime,
) -> None:
    event = envelope.payload
    subject, body = flagged_text(
        average=event.average, ratings=event.ratings, threshold=event.threshold
    )
    await send(
        uow,
        addressing,
        Draft(
            key=f"provider-flagged:{event.provider_id}:{event.flagged_on}",
            recipient=Recipient.staff(StaffRole.CATALOGUE_ADMIN),
            template="provider_flagged",
            subject=subject,
            body=body,
            link=addressing.link(f"/providers/{event.provider_id}"),
            cause_event_id=envelope.event_id,
        ),
        now=now,
    )
