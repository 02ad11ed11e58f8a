"""The day something happened is on or before the day it is recorded."""

from __future__ import annotations

from datetime import date

from shared.errors import Invalid


def refuse_future(day: date, *, today: date, refusal: str, field: str) -> None:
    """Refuse a day after today for something recorded as done: a year typed wrong (2062 for
    2026) would count it as done from now on, and hold back every date that must follow it."""
    if day > today:
        raise Invalid(refusal, field=field)


def refuse_before(day: date, *, earliest: date, refusal: str, field: str) -> None:
    """Refuse a day before the first it can have happened on (money given back before it was
    asked for): it would be booked in a period before its cause."""
    if day < earliest:
        raise Invalid(refusal, field=field)
