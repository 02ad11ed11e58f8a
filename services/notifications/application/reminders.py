"""The messages the calendar brings: renewal windows, invoice reminders, offers about to lapse, warning notices
past their compliance date and programmes about to start without a baseline. Run by the
worker's scheduler on a timer; each reminder's key makes a second run, or a second worker,
find nothing left to send."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from services.notifications.application.offers import offers_drafted
from services.notifications.application.renewal_reminders import Calendar, send_renewal_reminders
from services.notifications.application.sending import Addressing, send_each
from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.config import Settings
from services.notifications.domain.dunning import reminder_key, reminder_text, stage_on
from services.notifications.domain.message import Draft
from services.notifications.domain.offers import about_to_lapse, lapsed
from services.notifications.domain.programmes import (
    baseline_alert_key,
    baseline_alert_text,
    baseline_due_soon,
)
from services.notifications.domain.recipients import Recipient, SchoolContact, StaffRole
from services.notifications.domain.warning_notices import compliance_alert_key, compliance_overdue
from shared.bus import Command
from shared.calendar import long_date


@dataclass(frozen=True)
class SendDueReminders(Command["int"]):
    """Keep every reminder due today that has not been sent."""


async def send_due_reminders(
    _command: SendDueReminders,
    *,
    uow: NotificationsUnitOfWork,
    today: date,
    now: datetime,
    addressing: Addressing,
    settings: Settings,
) -> int:
    """How many reminders are new (one that cannot be kept does not hold back the others)."""
    calendar = Calendar(
        renewal_opens_days_before=settings.renewal_opens_days_before,
        renewal_closes_days_after=settings.renewal_closes_days_after,
    )
    renewals = await send_renewal_reminders(
        uow, addressing, today=today, now=now, calendar=calendar
    )
    drafts = [
        *await _invoice_reminders(uow, addressing, today),
        *await _offer_reminders(uow, addressing, today, now),
        *await _compliance_alerts(uow, addressing, today),
        *await _baseline_alerts(uow, addressing, today),
    ]
    return renewals + await send_each(uow, addressing, *drafts, now=now)


async def _offer_reminders(
    uow: NotificationsUnitOfWork, addressing: Addressing, today: date, now: datetime
) -> list[Draft]:
    lapsing = [
        offer
        for offer in await uow.read_models.offers()
        if about_to_lapse(offer, today) and not lapsed(offer, now)
    ]
    return await offers_drafted(uow, addressing, lapsing, reminder=True)


async def _invoice_reminders(
    uow: NotificationsUnitOfWork, addressing: Addressing, today: date
) -> list[Draft]:
    drafts = []
    for listed in await uow.read_models.invoices():
        if stage_on(listed, today) is None:
            continue
        invoice = await uow.read_models.invoice(listed.invoice_id)  # read again, held
        stage = stage_on(invoice, today) if invoice else None
        if invoice is None or stage is None:
            continue
        subject, body = reminder_text(invoice, today)
        # A trust's invoice goes to the trust, its debtor, alone: one debt, one demand, not
        # one to each school, which might each pay it (one kept from before trusts had an
        # address goes to its first school's finance contact).
        debtor = (
            Recipient.trust(invoice.trust_code)
            if invoice.trust_code
            else Recipient.school(invoice.urn, SchoolContact.FINANCE)
        )
        drafts.append(
            Draft(
                key=reminder_key(stage, invoice.invoice_id),
                recipient=debtor,
                template=f"invoice_{stage.name.replace('-', '_')}",
                subject=subject,
                body=body,
                link=addressing.link("/orders"),
            )
        )
    return drafts


async def _compliance_alerts(
    uow: NotificationsUnitOfWork, addressing: Addressing, today: date
) -> list[Draft]:
    drafts = []
    for listed in await uow.read_models.notices():
        if not compliance_overdue(listed, today):
            continue
        # read again, held: a case moving on now withdraws the alert once it is kept, or the
        # alert finds the notice closed
        notice = await uow.read_models.notice(listed.case_id)
        if notice is None:
            continue
        drafts.append(
            Draft(
                key=compliance_alert_key(notice),
                recipient=Recipient.staff(StaffRole.LA_OFFICER),
                template="warning_notice_compliance_overdue",
                subject=f"{notice.school_name}: the warning notice's compliance date passed",
                body=(
                    f"The warning notice given to {notice.school_name} on "
                    f"{long_date(notice.issued_on)} asked for compliance by "
                    f"{long_date(notice.compliance_by)}; its case has not moved on since. "
                    "Decide whether to intervene, or record the school's progress."
                ),
                link=addressing.link(f"/cases/{notice.case_id}"),
            )
        )
    return drafts


async def _baseline_alerts(
    uow: NotificationsUnitOfWork, addressing: Addressing, today: date
) -> list[Draft]:
    drafts = []
    for listed in await uow.read_models.programmes_without_baseline():
        if not baseline_due_soon(listed, today):
            continue
        programme = await uow.read_models.programme_without_baseline(listed.programme_id)
        if programme is None:  # its baseline recorded meanwhile (read again, held, as above)
            continue
        subject, body = baseline_alert_text(programme, today)
        drafts.append(
            Draft(
                key=baseline_alert_key(programme),
                recipient=Recipient.staff(StaffRole.EVALUATOR),
                template="programme_without_baseline",
                subject=subject,
                body=body,
                link=addressing.link(f"/programmes/{programme.programme_id}"),
            )
        )
    return drafts
