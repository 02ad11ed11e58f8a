"""A message not sent yet when its news changes (the mail server down for hours, say) is withdrawn,
never to go: an approval asked of an order since cancelled, a place offered since taken, an
invoice's reminder of what was owed before a payment (sent again with what is owed now), an
officer's alert of a case unmoved since it moved on, an evaluator's of a programme without a
baseline once one is recorded."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import select

from services.notifications.adapters.tables import messages
from services.notifications.application.delivery import ClaimNext, RecordOutcome
from services.notifications.domain.message import Status
from shared.clock import Clock
from shared.events import (
    BaselineRecordedV1,
    CaseMovedV1,
    Envelope,
    Event,
    PlaceOfferAcceptedV1,
    PlaceOfferedV1,
    ProgrammeCreatedV1,
    ProviderFlaggedV1,
)
from tests.integration.test_notifications import (
    ABBOTS_LANGLEY,
    approval_answered,
    approval_requested,
    place_offered,
    settled,
    text_of,
    warning_notice,
)
from tests.support.databases import DatabaseFactory
from tests.support.events import invoice_raised
from tests.support.nats_server import free_port
from tests.support.notifications import Notifications, running_notifications, smtp_server
from tests.support.platform import eventually

CATALOGUE_ADMINS = "catalogue@schools-company.example"


@dataclass
class MailServerDown:
    """Notifications running while its mail server is down, until `back` starts it."""

    notifications: Notifications
    port: int
    folder: Path

    async def waiting(self, template: str) -> None:
        """Wait until a message of this template was tried, and waits for the server."""

        async def tried() -> bool:
            async with self.notifications.service.unit_of_work() as uow:
                kept = await uow.messages.for_recipients("", limit=50)
            return any(
                m.template == template and m.status is Status.PENDING and m.attempts >= 1
                for m in kept
            )

        await eventually(tried)

    async def statuses_of(self, template: str) -> list[str]:
        async with self.notifications.service.unit_of_work() as uow:
            found = await uow.session.scalars(
                select(messages.c.status).where(messages.c.template == template)
            )
        return sorted(found)

    async def withdrawn(self, template: str) -> None:
        """Wait until the one message of this template is withdrawn."""

        async def only_withdrawn() -> bool:
            return await self.statuses_of(template) == ["withdrawn"]

        await eventually(only_withdrawn)

    async def never_sent(self, template: str, *, still_true: tuple[str, ...] = ()) -> None:
        """The message of this template, withdrawn, is not sent once the server is back; those
        of the templates `still_true`, waiting with it, are."""
        await self.withdrawn(template)
        with smtp_server(self.folder, port=self.port):
            await self.sent_after_its_return()
            await eventually(self.none_waiting)
        sent = sorted(m["X-Template"] for m in self.notifications.mail())
        assert sent == sorted(["provider_flagged", *still_true])

    async def none_waiting(self) -> bool:
        async with self.notifications.service.unit_of_work() as uow:
            found = await uow.session.scalars(
                select(messages.c.id).where(messages.c.status == Status.PENDING)
            )
        return not list(found)

    async def sent_after_its_return(self) -> None:
        """The server back, a message made since has arrived."""
        await self.notifications.publish(
            Envelope.of(
                ProviderFlaggedV1(
                    provider_id=uuid4(),
                    average=2.0,
                    threshold=3.0,
                    ratings=4,
                    flagged_on=date(2027, 1, 5),
                )
            )
        )
        await self.notifications.mail_to(CATALOGUE_ADMINS)


@pytest.fixture
async def down(
    databases: DatabaseFactory, nats_url: str, tmp_path: Path
) -> AsyncIterator[MailServerDown]:
    port, folder = free_port(), tmp_path / "mail"
    async with running_notifications(databases, nats_url, folder, smtp_port=port) as running:
        yield MailServerDown(running, port, folder)


async def test_an_approval_not_sent_when_the_order_is_cancelled_never_goes(
    down: MailServerDown,
) -> None:
    order_id = uuid4()
    await down.notifications.publish(approval_requested(order_id))
    await down.waiting("approval_requested")

    await down.notifications.publish(approval_answered(order_id, "cancelled"))

    await down.never_sent("approval_requested")
    # nor is it on the approver's Messages page: it was never so
    async with down.notifications.service.unit_of_work() as uow:
        assert await uow.messages.for_recipients("school:117083:", limit=50) == []


EXPIRES_AT = datetime(2027, 3, 10, 9, 30, tzinfo=UTC)


def closing(offer: PlaceOfferedV1, answer: str) -> Envelope[Event]:
    """The school took the places, or its order (whose one line was offered them) was
    cancelled."""
    if answer == "accepted":
        return Envelope.of(
            PlaceOfferAcceptedV1(
                **offer.model_dump(include={"order_id", "line_id", "session_id", "urn"})
            )
        )
    cancelled = approval_answered(offer.order_id, "cancelled").payload
    [line] = invoice_raised().payload.lines
    offered = line.model_copy(update={"line_id": offer.line_id, "service_type": "course"})
    return Envelope.of(cancelled.model_copy(update={"lines": (offered,)}))


@pytest.mark.parametrize("answer", ["accepted", "order cancelled"])
async def test_an_offer_not_sent_when_its_places_are_taken_or_its_order_cancelled_never_goes(
    down: MailServerDown, answer: str
) -> None:
    offer = place_offered(EXPIRES_AT)
    await down.notifications.publish(offer)
    await down.waiting("place_offered")

    await down.notifications.publish(closing(offer.payload, answer))

    await down.never_sent("place_offered")


async def test_a_reminder_not_sent_when_a_part_payment_arrives_goes_for_what_is_left(
    down: MailServerDown,
) -> None:
    raised = invoice_raised()  # £1,200.00, due 2 December 2026
    down.notifications.service.clock.set(date(2026, 12, 2))
    await down.notifications.publish(raised)
    await down.waiting("invoice_due_today")

    await down.notifications.publish(settled(raised, 60_000, outstanding_pence=60_000))

    async def drafted_again_for_what_is_left() -> bool:
        async with down.notifications.service.unit_of_work() as uow:
            kept = await uow.messages.for_recipients("school:117083:finance", limit=5)
        return [(m.status, "£600.00 of invoice" in m.body) for m in kept] == [
            (Status.PENDING, True)
        ]

    await eventually(drafted_again_for_what_is_left)
    with smtp_server(down.folder, port=down.port):
        [due] = await down.notifications.mail_to("finance.117083@schools.example")
        await down.sent_after_its_return()
    assert len([m for m in down.notifications.mail() if m["To"] == due["To"]]) == 1
    assert due["Subject"] == "Invoice INV-900001 is due today"
    assert " ".join(text_of(due).split()).startswith(
        "Abbots Langley School: £600.00 of invoice INV-900001 (£1,200.00 including any VAT) "
        "is still owed; it is due today, 2 December 2026."
    )


async def test_a_reminder_not_sent_when_the_invoice_is_paid_never_goes(
    down: MailServerDown,
) -> None:
    raised = invoice_raised()
    down.notifications.service.clock.set(date(2026, 12, 2))
    await down.notifications.publish(raised)
    await down.waiting("invoice_due_today")

    await down.notifications.publish(settled(raised, 120_000, outstanding_pence=0))

    await down.never_sent("invoice_due_today")


@pytest.mark.parametrize("stage", ["action_plan_received", "closed"])
async def test_an_officers_alert_not_sent_when_the_case_moves_on_never_goes(
    down: MailServerDown, stage: str
) -> None:
    """The compliance date passed with the case unmoved, while the mail server was down; the
    case moved on before the alert went. The notice's own letters, still true, go."""
    case_id = uuid4()
    notice = warning_notice(case_id)  # compliance by 26 February 2027
    down.notifications.service.clock.set(notice.payload.issued_on)
    await down.notifications.publish(notice)
    await down.waiting("warning_notice")
    down.notifications.service.clock.set(date(2027, 2, 27))
    await down.waiting("warning_notice_compliance_overdue")

    await down.notifications.publish(
        Envelope.of(
            CaseMovedV1(
                case_id=case_id, urn=ABBOTS_LANGLEY, stage=stage, moved_on=date(2027, 2, 27)
            )
        )
    )

    await down.never_sent(
        "warning_notice_compliance_overdue", still_true=("warning_notice", "warning_notice")
    )


async def test_an_evaluators_alert_not_sent_when_the_baseline_is_recorded_never_goes(
    down: MailServerDown,
) -> None:
    programme_id = uuid4()
    down.notifications.service.clock.set(date(2027, 4, 6))  # 14 days before it starts
    await down.notifications.publish(
        Envelope.of(
            ProgrammeCreatedV1(
                programme_id=programme_id, title="Maths mastery", starts_on=date(2027, 4, 20)
            )
        )
    )
    await down.waiting("programme_without_baseline")

    await down.notifications.publish(
        Envelope.of(BaselineRecordedV1(programme_id=programme_id, measure_id=uuid4()))
    )

    await down.never_sent("programme_without_baseline")


async def test_a_message_withdrawn_while_a_worker_tries_it_is_not_tried_again(
    down: MailServerDown,
) -> None:
    """The worker had it in hand when the order was cancelled: the mail server, still down,
    did not take it, and it is not tried again."""
    order_id = uuid4()
    await down.notifications.publish(approval_requested(order_id))
    await down.waiting("approval_requested")
    later = down.notifications.service.bus_on(Clock(datetime(2100, 1, 1, tzinfo=UTC)))
    claimed = await later.handle(ClaimNext(timedelta(hours=1)))  # ahead of the worker's own
    assert claimed is not None

    await down.notifications.publish(approval_answered(order_id, "cancelled"))

    await down.withdrawn("approval_requested")
    refused = {
        "status": Status.PENDING,
        "attempts": claimed.attempts,
        "outcome": "SMTP server unreachable",
        "next_attempt_at": datetime(2100, 1, 1, tzinfo=UTC),
    }
    message_id = claimed.outgoing.message_id
    assert await later.handle(RecordOutcome(message_id, claimed.claim, refused))
    assert await down.statuses_of("approval_requested") == ["withdrawn"]
