"""The EEF's conversion of an effect size into months of additional progress.

Source: EEF Teaching and Learning Toolkit, "About the Toolkits: attainment" — effect sizes are
taken to the nearest two decimal places; a negative effect converts to the same number of
months, negative. The Toolkit's effect sizes are over pupils' spread: an effect over the
spread between schools is not converted.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

# (highest effect size in the band, months): 0.02-0.09 is one month, 0.96 and above twelve.
BANDS: tuple[tuple[Decimal, int], ...] = tuple(
    (Decimal(upper), months)
    for upper, months in (
        ("0.01", 0),
        ("0.09", 1),
        ("0.18", 2),
        ("0.26", 3),
        ("0.35", 4),
        ("0.44", 5),
        ("0.52", 6),
        ("0.61", 7),
        ("0.69", 8),
        ("0.78", 9),
        ("0.87", 10),
        ("0.95", 11),
    )
)
MOST_MONTHS = 12


def to_two_places(effect_size: float) -> Decimal:
    # via str so that 0.015 rounds as written, not as its binary neighbour 0.01499…
    return Decimal(str(effect_size)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def months_progress(effect_size: float) -> int:
    rounded = to_two_places(effect_size)
    size = abs(rounded)
    months = next((m for upper, m in BANDS if size <= upper), MOST_MONTHS)
    return -months if rounded < 0 else months


class Spread(StrEnum):
    """What an effect size was divided by. The EEF's months are calibrated on effect sizes over
    the spread of pupils' results; the spread between schools' means or gains is far narrower,
    so the same difference over it looks many times larger."""

    PUPILS = "the spread of pupils' results"
    SCHOOLS = "the spread between schools"


NOT_CONVERTED = "not converted: the effect is between schools, not pupils"


def months_over(effect_size: float, spread: Spread) -> int | None:
    """Months' progress only for an effect standardised by pupils' spread."""
    return months_progress(effect_size) if spread is Spread.PUPILS else None
