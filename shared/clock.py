"""Today's date and the moment, from one place: the system's clock, unless a test or a
demonstration sets the day (or the moment). Services read them through their `Clock` (the bus
hands handlers `today` and `now`), never by calling `date.today()` or `datetime.now()`."""

from __future__ import annotations

from datetime import UTC, date, datetime


class Clock:
    def __init__(self, today: date | None = None) -> None:
        self._fixed = today

    def today(self) -> date:
        if isinstance(self._fixed, datetime):
            return self._fixed.date()
        return self._fixed or date.today()

    def now(self) -> datetime:
        """This moment in UTC: the one set, or on a day set, that day at the present time."""
        if isinstance(self._fixed, datetime):
            return self._fixed
        moment = datetime.now(UTC)
        if self._fixed is None:
            return moment
        return datetime.combine(self._fixed, moment.timetz())

    def set(self, today: date | None) -> None:
        """Fix the day, or the moment if given a datetime (None: follow the system's clock)."""
        self._fixed = today
