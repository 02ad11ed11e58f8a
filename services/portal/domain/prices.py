"""Prices a catalogue admin should look at twice before saving."""

from __future__ import annotations

from shared.money import format_pounds as pounds

# A price outside these bounds is more often a slip (pence typed as pounds, a zero too many)
# than meant, so the admin is asked to confirm it.
LOWEST_USUAL_PENCE = 100
HIGHEST_USUAL_PENCE = 5_000_000  # £50,000, well above any one school's price in the catalogue


def unusual(amounts_pence: tuple[int, ...]) -> list[int]:
    """The amounts a person should confirm: below £1 or above the usual ceiling."""
    return [a for a in amounts_pence if not LOWEST_USUAL_PENCE <= a <= HIGHEST_USUAL_PENCE]


def why_unusual(pence: int) -> str:
    if pence < LOWEST_USUAL_PENCE:
        return f"{pounds(pence)} is less than {pounds(LOWEST_USUAL_PENCE)}"
    return f"{pounds(pence)} is more than {pounds(HIGHEST_USUAL_PENCE)}"
