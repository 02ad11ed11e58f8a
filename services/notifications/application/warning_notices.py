"""The LA's warning notices: the headteacher and chair of governors are sent the notice,
and the officer's alert that the case stayed put is withdrawn once it moves on."""

from __future__ import annotations

from datetime import datetime

from services.notifications.adapters.letters import render_letter
from services.notifications.application.sending import Addressing, send
from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.domain.message import Attachment, Draft
from services.notifications.domain.recipients import Recipient, SchoolContact
from services.notifications.domain.warning_notices import (
    WarningNotice,
    compliance_alert_key,
    notice_email,
    notice_letter,
)
from shared.clock import business_day
from shared.events import CaseMovedV1, Envelope, WarningNoticeIssuedV1


async def warning_notice_issued(
    envelope: Envelope[WarningNoticeIssuedV1],
    *,
    uow: NotificationsUnitOfWork,
    addressing: Addressing,
    now: datetime,
) -> None:
    event = envelope.payload
    notice = WarningNotice(**event.model_dump(include=set(WarningNotice.__dataclass_fields__)))
    await uow.read_models.open_notice(notice)
    letter = Attachment(f"warning-notice-{notice.urn}.pdf", render_letter(notice_letter(notice)))
    body = notice_email(notice, business_day(now))
    await send(
        uow,
        addressing,
        *(
            Draft(
                key=f"warning-notice:{notice.case_id}:{notice.issued_on}",
                recipient=Recipient.school(notice.urn, contact),
                template="warning_notice",
                subject=f"Warning notice to {notice.school_name}",
                body=body,
                link=addressing.link("/messages"),
                cause_event_id=envelope.event_id,
                attachments=(letter,),
            )
            for contact in (SchoolContact.HEADTEACHER, SchoolContact.CHAIR_OF_GOVERNORS)
        ),
        now=now,
    )


async def case_moved(envelope: Envelope[CaseMovedV1], *, uow: NotificationsUnitOfWork) -> None:
    """A case moved on from its warning notice (or closed): the officer's alert that it stayed
    put, not sent yet, is withdrawn."""
    if envelope.payload.stage == "warning_notice":
        return
    notice = await uow.read_models.notice(envelope.payload.case_id)
    await uow.read_models.close_notice(envelope.payload.case_id)
    if notice is not None:
        await uow.messages.withdraw(
            [compliance_alert_key(notice)], why="withdrawn: the case moved on"
        )
