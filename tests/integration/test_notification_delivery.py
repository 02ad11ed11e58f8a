"""Delivery: a mail server that is down is tried again until it takes the message; one that
refuses it for good (or an address no server could take) leaves the message failed, for an
administrator to see, as does an error neither, after a few tries; however slow the server, no
two workers send one message."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import uuid4

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Session
from aiosmtpd.smtp import Envelope as SmtpEnvelope

from services.notifications.adapters.mailers import SmtpMailer
from services.notifications.application.delivery import deliver_due
from services.notifications.config import Settings
from services.notifications.domain.message import Draft, Status
from services.notifications.domain.recipients import Recipient, StaffRole
from services.notifications.entrypoints.worker import jobs
from services.notifications.mail_server import MailFolder
from shared.auth import Role
from shared.events import (
    ApprovalRequestedV1,
    Envelope,
    ProviderFlaggedV1,
    SchoolContactChangedV1,
    SchoolContactRole,
)
from tests.support.databases import DatabaseFactory
from tests.support.nats_server import free_port
from tests.support.notifications import Notifications, running_notifications, smtp_server
from tests.support.platform import auth, eventually, settings_of

CATALOGUE_ADMINS = "catalogue@schools-company.example"


def flagged() -> Envelope[ProviderFlaggedV1]:
    return Envelope.of(
        ProviderFlaggedV1(
            provider_id=uuid4(), average=2.0, threshold=3.0, ratings=4, flagged_on=date(2027, 1, 5)
        )
    )


async def statuses(notifications: Notifications) -> list[tuple[Status, int]]:
    async with notifications.service.unit_of_work() as uow:
        kept = await uow.messages.for_recipients("staff:", limit=10)
    return [(message.status, message.attempts) for message in kept]


async def test_a_message_waits_out_a_mail_server_outage_and_is_delivered_when_it_returns(
    databases: DatabaseFactory, nats_url: str, tmp_path: Path
) -> None:
    port, folder = free_port(), tmp_path / "mail"
    async with running_notifications(databases, nats_url, folder, smtp_port=port) as running:
        await running.publish(flagged())

        async def tried_twice() -> bool:
            return any(s is Status.PENDING and n >= 2 for s, n in await statuses(running))

        await eventually(tried_twice)
        with smtp_server(folder, port=port):
            [delivered] = await running.mail_to(CATALOGUE_ADMINS)
            assert delivered["Subject"] == "A provider is flagged for a quality review"

            async def sent() -> list[tuple[Status, int]]:
                return [(s, n) for s, n in await statuses(running) if s is Status.SENT]

            [(_, attempts)] = await eventually(sent)  # recorded just after the mail arrives
            assert attempts >= 3


async def test_a_message_waiting_out_an_outage_goes_to_the_contact_named_meanwhile(
    databases: DatabaseFactory, nats_url: str, tmp_path: Path
) -> None:
    """The approver left while the mail server was down, and the school named another: the
    one who left is not asked to approve."""
    port, folder = free_port(), tmp_path / "mail"
    async with running_notifications(databases, nats_url, folder, smtp_port=port) as running:
        await running.publish(named("left.in.july@abbotslangley.example"))

        async def known(email: str) -> bool:
            async with running.service.unit_of_work() as uow:
                named = await uow.read_models.contacts_of(117083)
            return named.get(SchoolContactRole.APPROVER, ("", ""))[1] == email

        await eventually(lambda: known("left.in.july@abbotslangley.example"))
        await running.publish(approval_requested())

        async def waiting() -> bool:
            kept = await running.api.get("/messages", headers=auth(Role.SCHOOL, urn=117083))
            return [m["status"] for m in kept.json()] == ["pending"]

        await eventually(waiting)
        await running.publish(named("new.approver@abbotslangley.example"))
        await eventually(lambda: known("new.approver@abbotslangley.example"))
        with smtp_server(folder, port=port):
            [asked] = await running.mail_to("new.approver@abbotslangley.example")
        assert asked["Subject"] == "An order of £780.00 awaits your approval"
        assert [m["To"] for m in running.mail()] == ["new.approver@abbotslangley.example"]


def named(email: str) -> Envelope[SchoolContactChangedV1]:
    return Envelope.of(
        SchoolContactChangedV1(
            urn=117083, contact=SchoolContactRole.APPROVER, name="A. Person", email=email
        )
    )


class Refusing:
    async def handle_RCPT(
        self, _server: SMTP, _session: Session, _envelope: SmtpEnvelope, address: str, _o: list[str]
    ) -> str:
        return f"550 no mailbox {address}"


async def test_a_message_the_mail_server_refuses_is_failed_for_an_administrator_to_see(
    databases: DatabaseFactory, nats_url: str, tmp_path: Path
) -> None:
    refusing = Controller(Refusing(), hostname="127.0.0.1", port=free_port())
    refusing.start()
    try:
        async with running_notifications(
            databases, nats_url, tmp_path / "mail", smtp_port=refusing.port
        ) as running:
            await running.publish(flagged())

            async def failed() -> list[dict[str, object]]:
                answer = await running.api.get("/messages/failed", headers=auth(Role.ADMIN))
                return list(answer.json())

            [message] = await eventually(failed)
            assert message["status"] == "failed" and message["attempts"] == 1
            assert "550" in str(message["outcome"])
            assert message["template"] == "provider_flagged"
            not_admin = await running.api.get("/messages/failed", headers=auth(Role.FINANCE))
            assert not_admin.status_code == 403
    finally:
        refusing.stop()


async def test_workers_delivering_at_the_same_time_send_each_message_once(
    databases: DatabaseFactory, nats_url: str, tmp_path: Path
) -> None:
    port, folder = free_port(), tmp_path / "mail"
    with smtp_server(folder, port=port):
        async with running_notifications(databases, nats_url, folder, smtp_port=port) as running:
            service = running.service
            mailer = SmtpMailer(settings_of(service, Settings))

            async def another_worker() -> None:
                while True:
                    await deliver_due(service.bus, mailer, backoff_seconds=(0.1,), batch_size=3)
                    await asyncio.sleep(0)

            others = [asyncio.create_task(another_worker()) for _ in range(2)]
            try:
                for _ in range(12):
                    await running.publish(flagged())
                delivered = await running.mail_to(CATALOGUE_ADMINS, count=12)
                await asyncio.sleep(0.5)  # time enough for a second copy to arrive
            finally:
                for other in others:
                    other.cancel()
                await asyncio.gather(*others, return_exceptions=True)

            sent = [m for m in running.mail() if m["To"] == CATALOGUE_ADMINS]
            assert len(sent) == len(delivered) == 12
            assert len({message["Message-ID"] for message in sent}) == 12

            async def all_recorded() -> bool:
                return await statuses(running) == [(Status.SENT, 1)] * 10  # the newest ten

            await eventually(all_recorded)


SLOW_SECONDS = 1.0  # the mail server's answer to each message; a claim's lease is far shorter


class SlowMailFolder(MailFolder):
    async def handle_DATA(self, server: SMTP, session: Session, envelope: SmtpEnvelope) -> str:
        await asyncio.sleep(SLOW_SECONDS)
        return await super().handle_DATA(server, session, envelope)


async def test_workers_never_send_a_message_twice_however_slow_the_mail_server(
    databases: DatabaseFactory, nats_url: str, tmp_path: Path
) -> None:
    """A worker claimed a batch at once, for a lease that ran out while the slow server took the
    batch's first messages: another worker then claimed the rest and sent them too."""
    folder = tmp_path / "mail"
    slow = Controller(SlowMailFolder(folder), hostname="127.0.0.1", port=free_port())
    slow.start()
    try:
        async with running_notifications(
            databases, nats_url, folder, smtp_port=slow.port, deliver_claim_seconds=0.3
        ) as running:
            service = running.service
            settings = settings_of(service, Settings)
            [delivery] = [
                job
                for job in jobs(settings, SmtpMailer(settings), service.bus)
                if job.name == "delivery"
            ]
            others = [
                asyncio.create_task(delivery.run_forever(service="notifications")) for _ in range(2)
            ]
            try:
                for _ in range(4):
                    await running.publish(flagged())

                async def all_sent() -> bool:
                    return await statuses(running) == [(Status.SENT, 1)] * 4

                await eventually(all_sent)
                await asyncio.sleep(2 * SLOW_SECONDS)  # time enough for a second copy to arrive
            finally:
                for other in others:
                    other.cancel()
                await asyncio.gather(*others, return_exceptions=True)

            sent = [m for m in running.mail() if m["To"] == CATALOGUE_ADMINS]
            assert len({message["Message-ID"] for message in sent}) == 4
            assert len(sent) == 4
            assert await statuses(running) == [(Status.SENT, 1)] * 4
    finally:
        slow.stop()


async def test_a_message_failing_in_a_way_neither_temporary_nor_permanent_fails_after_a_few_tries(
    databases: DatabaseFactory, nats_url: str, tmp_path: Path
) -> None:
    """Its subject of two lines (kept before subjects were held to one) cannot be put in a
    mail: not an outage to wait out, nor a refusal. It was claimed again each time its claim
    ran out, for ever, and never listed as failed; now it is tried a few times, then failed
    for an administrator to see and to send again."""
    folder = tmp_path / "mail"
    with smtp_server(folder) as smtp:
        async with running_notifications(
            databases, nats_url, folder, smtp_port=smtp.port
        ) as running:
            async with running.service.unit_of_work() as uow:
                await uow.messages.add(
                    Draft(
                        key="two-lines",
                        recipient=Recipient.staff(StaffRole.ADMIN),
                        template="provider_flagged",
                        subject="A provider is flagged\nfor a quality review",
                        body="Ratings fell below the threshold.",
                        link="http://portal.test/providers",
                    ),
                    email="platform-admin@schools-company.example",
                    now=running.service.clock.now(),
                )
                await uow.commit()

            async def failed() -> list[dict[str, object]]:
                answer = await running.api.get("/messages/failed", headers=auth(Role.ADMIN))
                return list(answer.json())

            [message] = await eventually(failed)
            assert message["attempts"] == 5
            assert "linefeed" in str(message["outcome"])
            [listed] = (await running.api.get("/messages", headers=auth(Role.ADMIN))).json()
            assert listed["status"] == "failed"
            await running.publish(flagged())  # the others still go
            await running.mail_to(CATALOGUE_ADMINS)
            assert [m["To"] for m in running.mail()] == [CATALOGUE_ADMINS]

            sent_again = f"/messages/{message['id']}/retry"  # its few tries are had again
            assert (await running.api.post(sent_again, headers=auth(Role.ADMIN))).is_success

            async def failed_again() -> list[dict[str, object]]:
                return [m for m in await failed() if m["attempts"] == 10]

            await eventually(failed_again)


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        # A server that does not offer SMTPUTF8, as many do not: no retry makes it take this.
        ("prïya.shah@abbotslangley.example", "SMTPUTF8"),
        # Kept before such addresses were refused: it would have gone to both.
        ("bursar@abbotslangley.example,someone@elsewhere.example", "not one email address"),
    ],
    ids=["not-ascii", "two-addresses"],
)
async def test_an_address_no_mail_server_takes_fails_the_message_at_once(
    databases: DatabaseFactory, nats_url: str, tmp_path: Path, address: str, refused: str
) -> None:
    folder = tmp_path / "mail"
    plain = Controller(
        MailFolder(folder), hostname="127.0.0.1", port=free_port(), enable_SMTPUTF8=False
    )
    plain.start()
    try:
        async with running_notifications(
            databases, nats_url, folder, smtp_port=plain.port
        ) as running:
            # Kept as named: the contract now refuses the second, as the orders API always did.
            async with running.service.unit_of_work() as uow:
                await uow.read_models.set_contact(
                    117083,
                    SchoolContactRole.APPROVER,
                    name="Priya Shah",
                    email=address,
                    changed_at=datetime.now(UTC),
                )
                await uow.commit()
            await running.publish(approval_requested())

            async def failed() -> list[dict[str, object]]:
                answer = await running.api.get("/messages/failed", headers=auth(Role.ADMIN))
                return list(answer.json())

            [message] = await eventually(failed)
            assert message["attempts"] == 1
            assert refused in str(message["outcome"])
            assert running.mail() == []
    finally:
        plain.stop()


def approval_requested() -> Envelope[ApprovalRequestedV1]:
    return Envelope.of(
        ApprovalRequestedV1(
            order_id=uuid4(),
            placed_on=date(2027, 1, 4),
            approve_by=date(2027, 1, 9),
            gross_pence=78_000,
            titles=("Governance review",),
            urn=117083,
            school_name="Abbots Langley School",
            phase="Primary",
            la_code="919",
        )
    )
