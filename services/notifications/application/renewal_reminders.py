"""The buy-back's reminders, on the calendar's timer: when the renewal window opens and a week
before it closes, each school and trust with last year's subscriptions still to renew is told;
and one that becomes the renewer of more of them later in the window (a school that leaves its
trust renews what the trust bought for it) is told of those, once, however many runs or workers
find them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from services.notifications.application.sending import Addressing, send_each
from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.domain.message import Draft
from services.notifications.domain.recipients import Recipient, SchoolContact
from services.notifications.domain.renewals import (
    SchoolService,
    Subscribers,
    reminder_key,
    renewal_text,
    window_on,
)


@dataclass(frozen=True)
class Calendar:
    renewal_opens_days_before: int
    renewal_closes_days_after: int


@dataclass(frozen=True)
class RenewalReminder:
    draft: Draft
    telling: set[SchoolService]  # what it tells its recipient of, not told before


async def send_renewal_reminders(
    uow: NotificationsUnitOfWork,
    addressing: Addressing,
    *,
    today: date,
    now: datetime,
    calendar: Calendar,
) -> int:
    """How many are new. What each tells of is remembered with it, in its savepoint: one whose
    occasion had a message already (another worker's, with the same key) tells nothing more."""
    window = window_on(
        today,
        opens_days_before=calendar.renewal_opens_days_before,
        closes_days_after=calendar.renewal_closes_days_after,
    )
    if window is None:
        return 0
    reminder = window.reminder_on(today)
    last_year = await uow.read_models.subscribers(window.last_year_starts)
    this_year = await uow.read_models.subscribers(window.year_starts)
    register = await uow.read_models.trusts_of(last_year.bought_for_by_trusts)
    due = last_year.by_who_renews(register).not_renewed_in(this_year)
    told = await uow.read_models.renewals_told(window.year, reminder)
    reminders = {}
    for recipient, page, for_trust, lines in _who_renews(due):
        told_before = told.get(recipient.key, set())
        telling = lines - told_before
        if not telling:
            continue
        more = len(telling) if told_before else 0
        subject, body = renewal_text(window, reminder, today, for_trust=for_trust, more=more)
        draft = Draft(
            key=reminder_key(window, reminder, told=told_before, telling=telling),
            recipient=recipient,
            template=f"renewal_{reminder}",
            subject=subject,
            body=body,
            link=addressing.link(page),
        )
        reminders[recipient.key] = RenewalReminder(draft, telling)

    async def remember(draft: Draft) -> None:
        telling = reminders[draft.recipient.key].telling
        await uow.read_models.told_of_renewals(draft.recipient.key, window.year, reminder, telling)

    drafts = [found.draft for found in reminders.values()]
    return await send_each(uow, addressing, *drafts, now=now, kept=remember)


def _who_renews(due: Subscribers) -> list[tuple[Recipient, str, bool, set[SchoolService]]]:
    """Each recipient with subscriptions still to renew, its renewal page, whether it is a
    trust, and those subscriptions (each service for a school)."""
    to_schools = [
        (
            Recipient.school(urn, SchoolContact.BUSINESS_MANAGER),
            "/renewal",
            False,
            {(urn, service) for service in services},
        )
        for urn, services in sorted(due.schools.items())
    ]
    to_trusts = [
        (Recipient.trust(code), "/trust/renewal", True, lines)
        for code, lines in sorted(due.trusts.items())
    ]
    return to_schools + to_trusts
