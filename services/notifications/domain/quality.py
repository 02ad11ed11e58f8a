"""A provider whose schools' average rating fell below the threshold: the catalogue
administrators are told, with the average as it is, never rounded up to the threshold it is
below (2.96 is not "3.0, below the 3.0")."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal


def flagged_text(*, average: float, ratings: int, threshold: float) -> tuple[str, str]:
    subject = "A provider is flagged for a quality review"
    body = (
        f"Schools rate this provider {_score(average)} on average over {ratings} ratings, "
        f"below the {_score(threshold)} that calls for a review of its quality assurance. "
        "Review it, and put it under review or suspend it if need be."
    )
    return subject, body


def _score(value: float) -> str:
    """To two places, rounded down, and one where the second is nought: 2.96, 2.4, 3.0."""
    places = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_FLOOR)
    return f"{places:.2f}" if places % Decimal("0.1") else f"{places:.1f}"
