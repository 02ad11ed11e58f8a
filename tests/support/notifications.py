"""Notifications running in the test process against real NATS and a real database, delivering
by SMTP to a real server (aiosmtpd) that keeps each message as a file the test reads."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import nats
from aiosmtpd.controller import Controller
from sqlalchemy import delete

from services.notifications import mail_server
from services.notifications.adapters.tables import messaging
from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.bootstrap import service as notifications_service
from services.notifications.config import Settings
from shared.events import Envelope
from shared.messaging.streams import ensure_streams
from shared.messaging.worker import Worker
from shared.service import Service
from tests.support.databases import DatabaseFactory
from tests.support.platform import eventually, reset_streams

QUIET_DAY = date(2026, 10, 15)
"""The notifications' day until a test sets its own: before the tests' invoices are issued,
after the renewal window of 2026/27 has closed, and before any other reminder falls due."""


@dataclass
class Notifications:
    service: Service[NotificationsUnitOfWork]
    worker: Worker
    api: httpx.AsyncClient
    folder: Path
    nats_url: str

    def mail(self) -> list[EmailMessage]:
        return mail_server.read_folder(self.folder)

    async def mail_to(self, address: str, *, count: int = 1) -> list[EmailMessage]:
        """Wait until `count` messages to `address` arrived; those messages."""

        async def arrived() -> list[EmailMessage]:
            found = [message for message in self.mail() if message["To"] == address]
            return found if len(found) >= count else []

        return await eventually(arrived)

    async def mail_titled(self, address: str, subject: str) -> EmailMessage:
        """Wait until a message with this subject arrived for `address`; that message. (The
        order of arrival is not asked: a slow worker may send two reminders in one pass.)"""

        async def arrived() -> list[EmailMessage]:
            return [
                message
                for message in self.mail()
                if message["To"] == address and message["Subject"] == subject
            ]

        return (await eventually(arrived))[0]

    async def forget_applied(self) -> None:
        """Empty the inbox, as a replay of the stream finds it: an event applied already comes
        to the handlers again."""
        async with self.service.unit_of_work() as uow:
            await uow.session.execute(delete(messaging.inbox))
            await uow.commit()

    async def publish(self, envelope: Envelope[Any], *, msg_id: str | None = None) -> None:
        """Publish to JetStream as a producer's relay does (its own message id by default)."""
        connection = await nats.connect(self.nats_url)
        try:
            await connection.jetstream().publish(
                envelope.type,
                envelope.model_dump_json().encode(),
                headers={"Nats-Msg-Id": msg_id or str(envelope.event_id)},
            )
        finally:
            await connection.close()


@contextlib.asynccontextmanager
async def running_notifications(
    databases: DatabaseFactory, nats_url: str, folder: Path, *, smtp_port: int, **settings: Any
) -> AsyncIterator[Notifications]:
    await reset_streams(nats_url)
    await ensure_streams(nats_url)
    service = notifications_service(
        Settings(
            database_url=await databases.new("notifications"),
            nats_url=nats_url,
            environment="test",
            smtp_port=smtp_port,
            deliver_every_seconds=0.05,
            remind_every_seconds=0.05,
            delivery_backoff_seconds=[0.1, 0.2],
            portal_url="http://portal.test",
            **settings,
        )
    )
    await service.migrate()
    # Reminders run every 0.05 s from the worker's start, each on the day it read when it began.
    # On the system's own day a test's invoice may be due for a reminder already, and a run
    # begun before the test set its day would send it as the invoice arrived.
    service.clock.set(QUIET_DAY)
    worker = service.worker()
    await worker.start()
    api = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=service.api()), base_url="http://notifications"
    )
    try:
        yield Notifications(service, worker, api, folder, nats_url)
    finally:
        await api.aclose()
        await worker.stop()
        await service.engine.dispose()


@contextlib.contextmanager
def smtp_server(folder: Path, *, port: int = 0) -> Any:
    controller: Controller = mail_server.start(folder, port=port)
    try:
        yield controller
    finally:
        controller.stop()
