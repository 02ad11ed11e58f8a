"""Who hears of an order line's course places, and the message each is sent: the school's
business manager and, on a trust's order, the trust's buyer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from services.notifications.application.sending import Addressing, send
from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.domain.message import Draft
from services.notifications.domain.offers import Reader
from services.notifications.domain.recipients import Recipient, SchoolContact


async def tell_of_line(
    uow: NotificationsUnitOfWork,
    addressing: Addressing,
    urn: int,
    trust_code: str | None,
    *,
    key: str,
    template: str,
    subject: str,
    text: Callable[[Reader, str | None], str],
    cause: UUID,
    now: datetime,
) -> None:
    """News of an order line's places to each who hears of them (`readers_of_line`): `text`
    given who reads it and the register's name of the school."""
    names = await uow.read_models.school_names([urn])
    await send(
        uow,
        addressing,
        *(
            Draft(
                key=key,
                recipient=recipient,
                template=template,
                subject=subject,
                body=text(reader, names.get(urn)),
                link=addressing.link(page),
                cause_event_id=cause,
            )
            for recipient, reader, page in readers_of_line(urn, trust_code)
        ),
        now=now,
    )


def readers_of_line(urn: int, trust_code: str | None) -> list[tuple[Recipient, Reader, str]]:
    """Who hears of an order line's places, as whom, and the bookings page that shows them:
    the school's business manager; on a trust's order (`trust_code`) the trust's buyer too, who
    booked the places and pays for them."""
    school = Recipient.school(urn, SchoolContact.BUSINESS_MANAGER)
    readers = [(school, Reader.TRUSTS_SCHOOL if trust_code else Reader.SCHOOL, "/bookings")]
    if trust_code:
        readers.append((Recipient.trust(trust_code), Reader.TRUST, "/trust/bookings"))
    return readers
