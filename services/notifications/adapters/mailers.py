"""Handing a message to a mail service: any SMTP server, or GOV.UK Notify. Each says whether a
failure is worth retrying (TemporaryFailure) or not (PermanentFailure)."""

from __future__ import annotations

import asyncio
import io
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Protocol
from uuid import UUID

from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.utils import prepare_upload

from services.notifications.config import Settings
from services.notifications.domain.message import Attachment, PermanentFailure, TemporaryFailure


@dataclass(frozen=True)
class Outgoing:
    message_id: UUID
    to: str
    template: str
    subject: str
    body: str
    link: str
    attachments: tuple[Attachment, ...]


class Mailer(Protocol):
    async def send(self, message: Outgoing) -> str:
        """Deliver it; the mail service's reference for it."""
        ...


class SmtpMailer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def send(self, message: Outgoing) -> str:
        return await asyncio.to_thread(self._send, message)

    def _send(self, message: Outgoing) -> str:
        email = EmailMessage()
        email["From"] = self.settings.mail_from
        email["To"] = message.to
        email["Subject"] = message.subject
        # The same on every attempt, so a mail client shows a message sent again as one.
        domain = parseaddr(self.settings.mail_from)[1].rpartition("@")[2] or "localhost"
        email["Message-ID"] = f"<{message.message_id}@{domain}>"
        email["X-Template"] = message.template
        email.set_content(f"{message.body}\n\n{message.link}\n")
        for attachment in message.attachments:
            maintype, subtype = attachment.media_type.split("/", 1)
            email.add_attachment(
                attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename
            )
        settings = self.settings
        try:
            with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
                if settings.smtp_starttls:
                    smtp.starttls()
                if settings.smtp_username:
                    smtp.login(settings.smtp_username, settings.smtp_password)
                try:
                    smtp.send_message(email)
                except smtplib.SMTPNotSupportedError as error:
                    # An address not in ASCII, to a server without SMTPUTF8: no retry cures it.
                    raise PermanentFailure(f"the mail server cannot take it: {error}") from error
        except smtplib.SMTPRecipientsRefused as error:
            raise PermanentFailure(f"recipient refused: {error.recipients}") from error
        except smtplib.SMTPResponseException as error:
            if 500 <= error.smtp_code < 600:
                raise PermanentFailure(f"SMTP {error.smtp_code}: {error.smtp_error!r}") from error
            raise TemporaryFailure(f"SMTP {error.smtp_code}: {error.smtp_error!r}") from error
        except (OSError, smtplib.SMTPException) as error:
            raise TemporaryFailure(f"SMTP server unreachable: {error}") from error
        return str(email["Message-ID"])


class NotifyMailer:
    """GOV.UK Notify: one email template per message template, filled from the message."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.client = NotificationsAPIClient(  # type: ignore[no-untyped-call]
            settings.notify_api_key, base_url=settings.notify_base_url
        )

    async def send(self, message: Outgoing) -> str:
        return await asyncio.to_thread(self._send, message)

    async def aclose(self) -> None:
        """Let go of the HTTP connections the client keeps open."""
        self.client.request_session.close()

    def _send(self, message: Outgoing) -> str:
        template_id = self.settings.notify_template_ids.get(message.template)
        if not template_id:
            raise PermanentFailure(f"no GOV.UK Notify template id set for {message.template!r}")
        personalisation: dict[str, object] = {
            "subject": message.subject,
            "body": message.body,
            "link": message.link,
        }
        for attachment in message.attachments[:1]:
            personalisation["attachment"] = prepare_upload(  # type: ignore[no-untyped-call]
                io.BytesIO(attachment.content), filename=attachment.filename
            )
        try:
            sent = self.client.send_email_notification(  # type: ignore[no-untyped-call]
                email_address=message.to,
                template_id=template_id,
                personalisation=personalisation,
                reference=str(message.message_id),
            )
        except HTTPError as error:
            if error.status_code in (429,) or error.status_code >= 500:
                raise TemporaryFailure(f"GOV.UK Notify {error}") from error
            raise PermanentFailure(f"GOV.UK Notify {error}") from error
        except OSError as error:
            raise TemporaryFailure(f"GOV.UK Notify unreachable: {error}") from error
        return str(sent["id"])


def mailer(settings: Settings) -> Mailer:
    return NotifyMailer(settings) if settings.delivery == "notify" else SmtpMailer(settings)
