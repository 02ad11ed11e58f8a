"""Today's date and the moment, from one place: the system's clock, unless a test or a
demonstration sets the day (or the moment). Services read them through their `Clock` (the bus
hands handlers `today` and `now`), never by calling `date.today()` or `datetime.now()`.

The day is England's, whatever zone the machine keeps. A day decides an order's and an
invoice's date, when an invoice falls due, which month and financial year a posting belongs to,
and when income is earned; its people live by England's days. Containers keep UTC, and from the
last Sunday in March to the last in October England is an hour ahead of it: on such a machine an
order placed at 00:30 on 1 April was dated 31 March and booked in the year before. Moments (when
something happened) are kept in UTC, and shown to people as England's clocks show them
(`in_england`); the day of a moment is `business_day(moment)`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

ENGLAND = ZoneInfo("Europe/London")


def in_utc(moment: datetime) -> datetime:
    """The moment in UTC; one without a zone is UTC already (SQLite keeps times without their
    zone, and every time the platform stores is UTC)."""
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def in_england(moment: datetime) -> datetime:
    """The moment as England's clocks show it: what a person is shown."""
    return in_utc(moment).astimezone(ENGLAND)


def time_and_day(moment: datetime) -> str:
    """The moment in words, as England's clocks show it: "00:30 on 5 June 2026"."""
    return f"{in_england(moment):%H:%M on %-d %B %Y}"


def business_day(moment: datetime) -> date:
    """The day in England at that moment."""
    return in_england(moment).date()


def start_of(day: date) -> datetime:
    """The moment (in UTC) that day begins in England."""
    return datetime.combine(day, time(), tzinfo=ENGLAND).astimezone(UTC)


def _system_moment() -> datetime:
    return datetime.now(UTC)


class Clock:
    def __init__(
        self, today: date | None = None, *, system: Callable[[], datetime] = _system_moment
    ) -> None:
        self._fixed = today
        self._system = system  # this moment, in UTC

    def today(self) -> date:
        if isinstance(self._fixed, datetime):
            return business_day(self._fixed)
        return self._fixed or business_day(self._system())

    def now(self) -> datetime:
        """This moment in UTC: the one set, or on a day set, that day at England's present time
        of day (so that the moment falls on the day set there too)."""
        if isinstance(self._fixed, datetime):
            return self._fixed
        moment = self._system()
        if self._fixed is None:
            return moment
        time_in_england = moment.astimezone(ENGLAND).time()
        return datetime.combine(self._fixed, time_in_england, tzinfo=ENGLAND).astimezone(UTC)

    def set(self, today: date | None) -> None:
        """Fix the day, or the moment if given a datetime (None: follow the system's clock)."""
        self._fixed = today
