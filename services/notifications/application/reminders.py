"""The messages the calendar brings: invoice reminders, offers about to lapse and warning
notices past their compliance date. Run by the
worker's scheduler on a timer; each reminder's key makes a second run, or a second worker,
find nothing left to send."""

from __future__ import annotations

from datetime import date

from services.notifications.application.events_in import offer_draft
from services.notifications.application.sending import Addressing, send
from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.domain.dunning import reminder_text, stage_on
from services.notifications.domain.message import Draft
from services.notifications.domain.offers import about_to_lapse
from services.notifications.domain.recipients import Recipient, SchoolContact, StaffRole
from services.notifications.domain.warning_notices import compliance_overdue


async def send_due_reminders(
    uow: NotificationsUnitOfWork, addressing: Addressing, *, today: date
) -> int:
    """Keep every reminder due today that has not been sent; how many are new."""
    drafts: list[Draft] = []
    for invoice in await uow.read_models.invoices():
        stage = stage_on(invoice, today)
        if stage is None:
            continue
        subject, body = reminder_text(invoice, stage)
        drafts.append(
            Draft(
                key=f"invoice-{stage.name}:{invoice.invoice_id}",
                recipient=Recipient.school(invoice.urn, SchoolContact.FINANCE),
                template=f"invoice_{stage.name.replace('-', '_')}",
                subject=subject,
                body=body,
                link=addressing.link("/orders"),
            )
        )
    for offer in await uow.read_models.offers():
        if about_to_lapse(offer, today):
            drafts.append(offer_draft(offer, addressing, reminder=True))
    for notice in await uow.read_models.notices():
        if compliance_overdue(notice, today):
            drafts.append(
                Draft(
                    key=f"compliance-overdue:{notice.case_id}:{notice.compliance_by}",
                    recipient=Recipient.staff(StaffRole.LA_OFFICER),
                    template="warning_notice_compliance_overdue",
                    subject=f"{notice.school_name}: the warning notice's compliance date passed",
                    body=(
                        f"The warning notice given to {notice.school_name} on "
                        f"{notice.issued_on:%d %B %Y} asked for compliance by "
                        f"{notice.compliance_by:%d %B %Y}; its case has not moved on since. "
                        "Decide whether to intervene, or record the school's progress."
                    ),
                    link=addressing.link(f"/cases/{notice.case_id}"),
                )
            )
    return await send(uow, addressing, *drafts)
