"""A provider whose schools' average rating fell below the threshold: the catalogue
administrators are told, with the average as it is, never rounded up to the threshold it is
below (2.96 is not "3.0, below the 3.0")."""

from __future__ import annotations

from shared.measurements import format_rating


def flagged_text(*, average: float, ratings: int, threshold: float) -> tuple[str, str]:
    subject = "A provider is flagged for a quality review"
    body = (
        f"Schools rate this provider {format_rating(average)} on average over {ratings} ratings, "
        f"below the {format_rating(threshold)} that calls for a review of its quality assurance. "
        "Review it, and put it under review or suspend it if need be."
    )
    return subject, body
