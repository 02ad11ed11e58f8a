"""Percentages as a finance reader reads them: to one decimal place ("19.9%"), worked out from
the whole numbers they compare (pence, schools), never from another rounded figure, and the
shares of one whole adding up to 100.0% on the page as their pence add up to the whole."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

PLACES = 1
_PER_PERCENT = 10  # tenths: 10 ** PLACES
_STEPS = 100 * _PER_PERCENT  # a whole, in tenths of a percent

Key = TypeVar("Key")


def percent(part: int, whole: int) -> float | None:
    """`part` as a percentage of `whole`, rounded half away from zero to one decimal place;
    None when the whole is nothing."""
    if not whole:
        return None
    return _steps(part, whole) / _PER_PERCENT


def shares(parts: Mapping[Key, int]) -> dict[Key, float | None]:
    """Each part as a percentage of their sum, to one decimal place, the shares adding up to
    exactly 100.0: each share is rounded down and the tenths left over go to the parts rounded
    down the most (largest remainder), so no share is off by more than a tenth. A part below
    nothing (a strand that gave back more than it earned) has no such sum to keep: each share
    is then rounded on its own."""
    whole = sum(parts.values())
    if not whole or any(pence < 0 for pence in parts.values()):
        return {key: percent(pence, whole) for key, pence in parts.items()}
    floors = {key: pence * _STEPS // whole for key, pence in parts.items()}
    left = _STEPS - sum(floors.values())
    by_remainder = sorted(parts, key=lambda key: -(parts[key] * _STEPS - floors[key] * whole))
    for key in by_remainder[:left]:
        floors[key] += 1
    return {key: steps / _PER_PERCENT for key, steps in floors.items()}


def format_percent(value: float) -> str:
    """'19.9%', '100.0%', '-2.5%': every percentage a person reads, on a page or in a file."""
    return f"{value:,.{PLACES}f}%"


def _steps(part: int, whole: int) -> int:
    """part / whole in tenths of a percent, half away from zero, in whole numbers throughout."""
    numerator, denominator = abs(part) * _STEPS, abs(whole)
    steps = (2 * numerator + denominator) // (2 * denominator)
    return -steps if (part < 0) != (whole < 0) else steps
