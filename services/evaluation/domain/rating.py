"""Quality assurance of inputs: a school rates what was delivered to it, once per delivery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from shared.api.evaluation import HIGHEST_SCORE, LONGEST_COMMENT, LOWEST_SCORE
from shared.errors import Conflict, Invalid, NotFound


class AlreadyRated(Conflict):
    def __init__(self) -> None:
        super().__init__("this delivery has already been rated", field="invitation_id")


@dataclass
class Invitation:
    """A delivery the school may rate: an order line fulfilled or a deployment completed."""

    id: UUID
    urn: int
    source: str  # "order" | "deployment"
    source_id: UUID
    title: str
    service_id: UUID | None
    provider_id: UUID | None
    invited_on: date
    rated: bool = False


@dataclass(frozen=True)
class Rating:
    id: UUID
    invitation_id: UUID
    urn: int
    service_id: UUID | None
    provider_id: UUID | None
    score: int
    comment: str
    rated_on: date


def rate(invitation: Invitation, *, urn: int, score: int, comment: str, on: date) -> Rating:
    if invitation.urn != urn:
        raise NotFound("no such delivery to rate")
    if invitation.rated:
        raise AlreadyRated()
    if not LOWEST_SCORE <= score <= HIGHEST_SCORE:
        raise Invalid(f"a score is from {LOWEST_SCORE} to {HIGHEST_SCORE}", field="score")
    if len(comment) > LONGEST_COMMENT:
        raise Invalid(f"a comment is at most {LONGEST_COMMENT} characters", field="comment")
    invitation.rated = True
    return Rating(
        id=uuid4(),
        invitation_id=invitation.id,
        urn=urn,
        service_id=invitation.service_id,
        provider_id=invitation.provider_id,
        score=score,
        comment=comment.strip(),
        rated_on=on,
    )


@dataclass(frozen=True)
class Average:
    mean: float | None
    count: int

    @classmethod
    def of(cls, scores: list[int]) -> Average:
        """The exact mean: the threshold is judged on it, and whoever shows it rounds it down
        (rounded here to 3.0, 2.995 would neither be flagged nor read as below 3.0)."""
        return cls(sum(scores) / len(scores) if scores else None, len(scores))


def falls_below(before: Average, after: Average, *, threshold: float, minimum: int) -> bool:
    """Flag a provider once, when its average crosses below the threshold with enough ratings."""
    if after.mean is None or after.count < minimum or after.mean >= threshold:
        return False
    was_below = before.mean is not None and before.count >= minimum and before.mean < threshold
    return not was_below
