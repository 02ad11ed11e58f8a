"""The annual buy-back: a school that had subscriptions for last year and has not renewed is
told when the renewal window opens, and again a week before it closes; so is a trust that bought
subscriptions for its schools. A trust renews what it bought for the schools still in it, a
school the rest: what it bought itself, and what a trust it has since left bought for it. One
that becomes the renewer of more of them later (a school leaving its trust) is told of those
too. The window is the one orders enforces (`PLATFORM_RENEWAL_OPENS_DAYS_BEFORE`,
`…_CLOSES_DAYS_AFTER` the year's start)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from uuid import UUID

from services.notifications.domain.message import digest_of
from shared.calendar import long_date

LAST_WEEK = timedelta(days=7)


class Reminder(StrEnum):
    OPEN = "open"
    CLOSING = "closing"


SOME_SERVICE = UUID(int=0)  # a term kept before terms named their service

SchoolService = tuple[int, UUID]  # a service, for one school (what a trust buys for its schools)


@dataclass(frozen=True)
class Subscribers:
    """Who bought subscriptions one buy-back renews, and of which services: schools for
    themselves, trusts for theirs (each service for a school: a trust renews school by school,
    as orders offers it)."""

    schools: dict[int, set[UUID]]
    trusts: dict[str, set[SchoolService]]

    def not_renewed_in(self, year: Subscribers) -> Subscribers:
        """Of these (last year's, each under whoever renews it), those not yet bought for
        their school for `year`, under those who have any left. Bought by anyone counts — the
        school itself, or any trust for it — as orders offers a renewal: none is offered to be
        paid for twice. A service bought renews only itself, and only for its school."""
        bought = year.bought_for_each_school
        schools = {
            urn: left
            for urn, services in self.schools.items()
            if (left := {service for service in services if _due(urn, service, bought)})
        }
        trusts = {
            trust: due
            for trust, lines in self.trusts.items()
            if (due := {(urn, service) for urn, service in lines if _due(urn, service, bought)})
        }
        return Subscribers(schools=schools, trusts=trusts)

    @property
    def bought_for_each_school(self) -> dict[int, set[UUID]]:
        """The services bought for each school, whoever bought them."""
        found = {urn: set(services) for urn, services in self.schools.items()}
        for bought in self.trusts.values():
            for urn, service in bought:
                found.setdefault(urn, set()).add(service)
        return found

    @property
    def bought_for_by_trusts(self) -> set[int]:
        """The schools trusts bought these subscriptions for."""
        return {urn for bought in self.trusts.values() for urn, _ in bought}

    def by_who_renews(self, register: Mapping[int, str | None]) -> Subscribers:
        """Each subscription under whoever renews it, as orders offers it: a trust what it
        bought for the schools still in it; a school what it bought itself, and what a trust
        bought for it once the register (`register`: URN → its trust, None for none) says it
        has left that trust. A school the register has not announced counts as the trust's."""
        schools = {urn: set(bought) for urn, bought in self.schools.items()}
        trusts: dict[str, set[SchoolService]] = {}
        for trust, bought in self.trusts.items():
            for urn, service in bought:
                if register.get(urn, trust) == trust:
                    trusts.setdefault(trust, set()).add((urn, service))
                else:
                    schools.setdefault(urn, set()).add(service)
        return Subscribers(schools=schools, trusts=trusts)


def _due(urn: int, service: UUID, bought: Mapping[int, set[UUID]]) -> bool:
    """Not bought for the school for the year: one kept before services were (`SOME_SERVICE`)
    by no term for it at all."""
    bought_for_it = bought.get(urn, set())
    return not bought_for_it if service == SOME_SERVICE else service not in bought_for_it


def reminder_key(
    window: RenewalWindow,
    reminder: Reminder,
    *,
    told: Collection[SchoolService],
    telling: Collection[SchoolService],
) -> str:
    """A renewal reminder's occasion for its recipient: the year's first of its kind (`told`
    nothing yet), then each telling of subscriptions it had not been told of (`telling`:
    what a trust it has left bought for a school, say), named by them, so that every run that
    finds them finds the same occasion."""
    first = f"renewal-{reminder}:{window.year}"
    if not told:
        return first
    return f"{first}:{digest_of(f'{urn}:{service}' for urn, service in telling)}"


@dataclass(frozen=True)
class RenewalWindow:
    year_starts: date  # 1 September of the year being renewed for
    opens: date
    closes: date

    @property
    def year(self) -> str:
        start = self.year_starts.year
        return f"{start}/{(start + 1) % 100:02d}"

    @property
    def last_year_starts(self) -> date:
        return self.year_starts.replace(year=self.year_starts.year - 1)

    def reminder_on(self, today: date) -> Reminder:
        return Reminder.CLOSING if today >= self.closes - LAST_WEEK else Reminder.OPEN


def window_on(
    today: date, *, opens_days_before: int, closes_days_after: int
) -> RenewalWindow | None:
    """The renewal window open today, if one is."""
    for start_year in (today.year - 1, today.year, today.year + 1):
        starts = date(start_year, 9, 1)
        window = RenewalWindow(
            starts,
            starts - timedelta(days=opens_days_before),
            starts + timedelta(days=closes_days_after),
        )
        if window.opens <= today <= window.closes:
            return window
    return None


def renewal_text(
    window: RenewalWindow,
    reminder: Reminder,
    today: date,
    *,
    for_trust: bool = False,
    more: int = 0,
) -> tuple[str, str]:
    """`more`: how many of last year's subscriptions it was not told of before, now its to
    renew (0: its first reminder of the kind). Worded by the day it goes out: a closing
    reminder first sent late in the last week (the worker down, a renewal cancelled since, or
    more to renew) is not "in a week"."""
    closes = long_date(window.closes)
    if reminder is Reminder.OPEN:
        subject = (
            f"More subscriptions to renew for {window.year}"
            if more
            else f"Renew your subscriptions for {window.year}"
        )
        opening = f"Renewals for {window.year} are open until {closes}."
    else:
        subject = f"Renewals for {window.year} close on {closes}"
        days_left = (window.closes - today).days
        opening = f"Renewals for {window.year} close {_closing_in(days_left, closes)}."
    if more:
        them = "it" if more == 1 else "them"
        told = f"{_more_to_renew(more, for_trust)}, and has not renewed {them} yet: renew {them}"
    else:
        told = (
            f"{_who_bought(for_trust)} last year and has not yet renewed them all: renew those left"
        )
    body = f"{opening}\n\n{told} in one step, at next year's prices, on {_whose_page(for_trust)}."
    return subject, body


def _closing_in(days_left: int, closes: str) -> str:
    if days_left == LAST_WEEK.days:
        return f"in a week, on {closes}"
    if days_left > 1:
        return f"in {days_left} days, on {closes}"
    return f"tomorrow, {closes}" if days_left == 1 else f"today, {closes}"


def _more_to_renew(more: int, for_trust: bool) -> str:
    if for_trust:
        return f"Since we last wrote, the trust renews {more} more of last year's subscriptions"
    return (
        f"Since we last wrote, your school renews {more} more of last year's subscriptions "
        "(such as those a trust it has left bought for it)"
    )


def _who_bought(for_trust: bool) -> str:
    return (
        "The trust bought subscriptions for its schools"
        if for_trust
        else "Your school had subscriptions"  # its own, or bought by a trust it has left
    )


def _whose_page(for_trust: bool) -> str:
    return "the trust's renewal page" if for_trust else "the renewal page"
