"""Today's date, from one place: the system's calendar, unless a test or a demonstration sets
the day. Services read it through their `Clock`, never by calling `date.today()` themselves."""

from __future__ import annotations

from datetime import date


class Clock:
    def __init__(self, today: date | None = None) -> None:
        self._fixed = today

    def today(self) -> date:
        return self._fixed or date.today()

    def set(self, today: date | None) -> None:
        """Fix the day (None: follow the system's calendar again)."""
        self._fixed = today
