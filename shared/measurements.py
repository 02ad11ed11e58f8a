"""A measured figure as a person reads it: a KPI's target and the actuals reported against it,
and schools' average rating of a service or a provider."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal


def format_measurement(value: float) -> str:
    """'94.999995', '95': exactly the figure given, never rounded, so an actual that missed
    its target by a hair never reads as the target itself. A whole number drops its '.0'."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def format_rating(average: float) -> str:
    """An average rating to two places, rounded down, and one where the second is nought:
    2.96, 2.4, 3.0. Never rounded up to a score it is below (2.96 is not "3.0")."""
    places = Decimal(str(average)).quantize(Decimal("0.01"), rounding=ROUND_FLOOR)
    return f"{places:.2f}" if places % Decimal("0.1") else f"{places:.1f}"
