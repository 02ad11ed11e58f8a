"""The annual buy-back: a school that had subscriptions for last year and has not renewed is
told when the renewal window opens, and again a week before it closes; so is a trust that bought
subscriptions for its schools. A trust renews what it bought for the schools still in it, a
school the rest: what it bought itself, and what a trust it has since left bought for it. The
window is the one orders enforces (`PLATFORM_RENEWAL_OPENS_DAYS_BEFORE`, `…_CLOSES_DAYS_AFTER`
the year's start)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TypeVar
from uuid import UUID

from shared.calendar import long_date

LAST_WEEK = timedelta(days=7)


class Reminder(StrEnum):
    OPEN = "open"
    CLOSING = "closing"


Buyer = TypeVar("Buyer", int, str)  # a school's URN, or a trust's code
SOME_SERVICE = UUID(int=0)  # a term kept before terms named their service

SchoolService = tuple[int, UUID]  # what a trust bought: a service, for one of its schools
Bought = TypeVar("Bought", UUID, SchoolService)


@dataclass(frozen=True)
class Subscribers:
    """Who bought subscriptions one buy-back renews, and of which services: schools for
    themselves, trusts for theirs (each service for a school: a trust renews school by school,
    as orders offers it)."""

    schools: dict[int, set[UUID]]
    trusts: dict[str, set[SchoolService]]

    def not_renewed_in(self, year: Subscribers) -> Subscribers:
        """Those of these (last year's) who have not yet bought every one of their services
        for `year`: a service bought for it renews only itself, and a trust's for one school
        only that school's."""
        return Subscribers(
            schools=_still_due(self.schools, year.schools),
            trusts=_still_due(self.trusts, year.trusts),
        )

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


def _still_due(
    last_year: dict[Buyer, set[Bought]], this_year: dict[Buyer, set[Bought]]
) -> dict[Buyer, set[Bought]]:
    return {
        buyer: bought
        for buyer, bought in last_year.items()
        if not _renewed(bought, this_year.get(buyer, set()))
    }


def _renewed(last_year: set[Bought], this_year: set[Bought]) -> bool:
    """Every service bought last year is bought for the year; one kept before services were
    (`SOME_SERVICE`) by any term bought for the year (for the same school, a trust's)."""
    bought_for = {_school(item) for item in this_year}
    return all(
        _school(item) in bought_for if _service(item) == SOME_SERVICE else item in this_year
        for item in last_year
    )


def _school(item: UUID | SchoolService) -> int | None:
    return item[0] if isinstance(item, tuple) else None


def _service(item: UUID | SchoolService) -> UUID:
    return item[1] if isinstance(item, tuple) else item


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
    window: RenewalWindow, reminder: Reminder, *, for_trust: bool = False
) -> tuple[str, str]:
    if reminder is Reminder.OPEN:
        subject = f"Renew your subscriptions for {window.year}"
        opening = f"Renewals for {window.year} are open until {long_date(window.closes)}."
    else:
        subject = f"Renewals for {window.year} close on {long_date(window.closes)}"
        opening = f"Renewals for {window.year} close in a week, on {long_date(window.closes)}."
    body = (
        f"{opening}\n\n{_who_bought(for_trust)} last year and has not yet renewed them all: "
        f"renew those left in one step, at next year's prices, on {_whose_page(for_trust)}."
    )
    return subject, body


def _who_bought(for_trust: bool) -> str:
    return (
        "The trust bought subscriptions for its schools"
        if for_trust
        else "Your school had subscriptions"  # its own, or bought by a trust it has left
    )


def _whose_page(for_trust: bool) -> str:
    return "the trust's renewal page" if for_trust else "the renewal page"
