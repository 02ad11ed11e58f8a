"""Keeping messages: a subject built from long names still fits its column (PostgreSQL refuses
one that does not), one reminder the database refuses does not hold back the others, and a
message kept as failed for want of an address goes once the address is known."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import date
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import select, text

from services.notifications.adapters.messages import Messages
from services.notifications.adapters.tables import messages
from services.notifications.domain.message import Draft
from shared.auth import Role
from shared.events import (
    ApprovalRequestedV1,
    Envelope,
    ProgrammeCreatedV1,
    SchoolContactChangedV1,
    SchoolContactRole,
    SessionCancelledV1,
    WarningNoticeIssuedV1,
)
from tests.support.databases import DatabaseFactory
from tests.support.events import invoice_raised
from tests.support.notifications import Notifications, running_notifications, smtp_server
from tests.support.platform import auth, eventually

ABBOTS_LANGLEY = 117083
FINANCE = "finance.117083@schools.example"
LA_OFFICERS = "la-officers@schools-company.example"
EVALUATORS = "evaluation@schools-company.example"
SUBJECT_WIDTH = 200  # the messages table's subject column
# The longest names and titles the event contracts allow (shared.bounds.Line: 200 characters).
LONG_SCHOOL = ("The Abbots Langley Church of England Voluntary Aided Primary School " * 3)[:200]
LONG_TITLE = ("Phonics and early reading for teachers new to key stage one " * 4)[:200]


@pytest.fixture
async def notifications(
    databases: DatabaseFactory, nats_url: str, tmp_path: Path
) -> AsyncIterator[Notifications]:
    folder = tmp_path / "mail"
    with smtp_server(folder) as smtp:
        async with running_notifications(
            databases, nats_url, folder, smtp_port=smtp.port, school_email_pattern=""
        ) as running:
            yield running


def assert_shortened(subject: str, starting: str) -> None:
    """The subject fills its column, ends with an ellipsis, and begins as it was written."""
    assert len(subject) == SUBJECT_WIDTH, subject
    assert subject.endswith("…")
    assert subject.startswith(starting[:40])


async def named(notifications: Notifications, *contacts: SchoolContactRole) -> None:
    for contact in contacts:
        await notifications.publish(
            Envelope.of(
                SchoolContactChangedV1(
                    urn=ABBOTS_LANGLEY,
                    contact=contact,
                    name="A Person",
                    email=f"{contact.value}.117083@schools.example",
                )
            )
        )

    async def known() -> bool:
        async with notifications.service.unit_of_work() as uow:
            return len(await uow.read_models.contacts_of(ABBOTS_LANGLEY)) == len(contacts)

    await eventually(known)


async def test_messages_about_the_longest_names_are_kept_and_sent_with_their_subject_shortened(
    notifications: Notifications,
) -> None:
    await named(
        notifications,
        SchoolContactRole.BUSINESS_MANAGER,
        SchoolContactRole.HEADTEACHER,
        SchoolContactRole.CHAIR_OF_GOVERNORS,
    )
    notifications.service.clock.set(date(2027, 1, 11))
    await notifications.publish(
        Envelope.of(
            SessionCancelledV1(
                session_id=uuid4(),
                service_id=uuid4(),
                title=LONG_TITLE,
                starts_on=date(2027, 2, 3),
                minimum_places=8,
                places_booked=3,
                booked_urns=(ABBOTS_LANGLEY,),
            )
        )
    )
    await notifications.publish(warning_notice(LONG_SCHOOL, compliance_by=date(2027, 2, 26)))

    [cancelled] = await notifications.mail_to("business_manager.117083@schools.example")
    assert_shortened(cancelled["Subject"], f"Cancelled: {LONG_TITLE}")
    for contact in ("headteacher", "chair_of_governors"):
        [notice] = await notifications.mail_to(f"{contact}.117083@schools.example")
        assert_shortened(notice["Subject"], f"Warning notice to {LONG_SCHOOL}")
        assert LONG_SCHOOL in text_of(notice)  # in full


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None, "the message has no plain-text part"
    return " ".join(str(body.get_content()).split())


def warning_notice(school_name: str, *, compliance_by: date) -> Envelope[WarningNoticeIssuedV1]:
    return Envelope.of(
        WarningNoticeIssuedV1(
            case_id=uuid4(),
            urn=ABBOTS_LANGLEY,
            school_name=school_name,
            issued_on=date(2026, 10, 1),
            grounds="Unacceptably low standards of performance in Key Stage 2 reading",
            required_action="Adopt the reading recovery plan and report on it each half term",
            compliance_by=compliance_by,
        )
    )


async def test_reminders_about_the_longest_names_go_with_every_other_reminder_due(
    notifications: Notifications,
) -> None:
    """PostgreSQL refused the first reminder whose subject outgrew its column, and with it the
    whole run: no invoice was chased and no renewal reminded of, run after run."""
    await named(notifications, SchoolContactRole.FINANCE)
    # 170 characters: the notice itself fits ("Warning notice to …"); its lapse did not.
    notice = warning_notice(LONG_SCHOOL[:170], compliance_by=date(2026, 11, 20))
    programme = Envelope.of(
        ProgrammeCreatedV1(programme_id=uuid4(), title=LONG_TITLE, starts_on=date(2026, 12, 10))
    )
    for envelope in (notice, programme, invoice_raised()):  # the invoice is due on 2 December
        await notifications.publish(envelope)

    async def all_kept() -> bool:
        async with notifications.service.unit_of_work() as uow:
            models = uow.read_models
            return bool(
                await models.notices()
                and await models.programmes_without_baseline()
                and await models.invoices()
            )

    await eventually(all_kept)
    notifications.service.clock.set(date(2026, 12, 2))

    await notifications.mail_titled(FINANCE, "Invoice INV-900001 is due today")
    [lapsed] = await notifications.mail_to(LA_OFFICERS)
    assert_shortened(lapsed["Subject"], LONG_SCHOOL)
    [baseline] = await notifications.mail_to(EVALUATORS)
    assert_shortened(baseline["Subject"], LONG_TITLE)


async def test_a_reminder_the_database_refuses_is_logged_and_the_others_are_still_sent(
    notifications: Notifications, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    await named(notifications, SchoolContactRole.FINANCE)
    programme = Envelope.of(
        ProgrammeCreatedV1(
            programme_id=uuid4(), title="Maths mastery", starts_on=date(2026, 12, 10)
        )
    )
    for envelope in (programme, invoice_raised()):
        await notifications.publish(envelope)

    async def both_kept() -> bool:
        async with notifications.service.unit_of_work() as uow:
            models = uow.read_models
            return bool(await models.programmes_without_baseline() and await models.invoices())

    await eventually(both_kept)
    keep = Messages.add

    async def refusing_the_programmes(self: Messages, draft: Draft, **kwargs: Any) -> bool:
        if draft.template == "programme_without_baseline":  # a row the database refuses
            await self.session.execute(text("INSERT INTO messages (id) VALUES (NULL)"))
        return await keep(self, draft, **kwargs)

    monkeypatch.setattr(Messages, "add", refusing_the_programmes)
    with caplog.at_level(logging.ERROR, logger="services.notifications"):
        notifications.service.clock.set(date(2026, 12, 2))  # the worker's reminders run
        await notifications.mail_titled(FINANCE, "Invoice INV-900001 is due today")
    refused = [r for r in caplog.records if "baseline-missing:" in r.getMessage()]
    assert refused and all(r.levelno == logging.ERROR and r.exc_info for r in refused)
    assert not [m for m in notifications.mail() if m["To"] == EVALUATORS]

    monkeypatch.setattr(Messages, "add", keep)  # a later run keeps what the database takes now
    await notifications.mail_to(EVALUATORS)


async def test_a_message_failed_for_want_of_an_address_is_sent_again_once_the_school_names_one(
    notifications: Notifications,
) -> None:
    order_id = uuid4()
    await notifications.publish(
        Envelope.of(
            ApprovalRequestedV1(
                order_id=order_id,
                placed_on=date(2027, 1, 4),
                approve_by=date(2027, 1, 9),
                gross_pence=78_000,
                titles=("Governance review",),
                urn=ABBOTS_LANGLEY,
                school_name="Abbots Langley School",
                phase="Primary",
                la_code="919",
            )
        )
    )
    admin = auth(Role.ADMIN)

    async def failed() -> list[dict[str, Any]]:
        return list((await notifications.api.get("/messages/failed", headers=admin)).json())

    [message] = await eventually(failed)
    assert message["outcome"] == "no email address for school:117083:approver"
    still_none = await notifications.api.post(f"/messages/{message['id']}/retry", headers=admin)
    assert still_none.json()["status"] == "failed"  # nothing to send it to yet

    await named(notifications, SchoolContactRole.APPROVER)
    again = await notifications.api.post(f"/messages/{message['id']}/retry", headers=admin)
    assert again.json()["status"] in ("pending", "sent"), again.json()
    [told] = await notifications.mail_to("approver.117083@schools.example")
    assert told["Subject"] == "An order of £780.00 awaits your approval"
    async with notifications.service.unit_of_work() as uow:
        kept = await uow.session.scalar(select(messages.c.email))
    assert kept == "approver.117083@schools.example"
    assert await failed() == []
