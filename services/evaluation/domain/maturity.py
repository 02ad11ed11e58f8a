"""Partnership maturity: a network of schools assessed, by itself or by peers, against the six
drivers of school partnership and Hargreaves' four maturity criteria ("A self-improving school
system: towards maturity", 2012), each on his four-step scale, with evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from shared.api.evaluation import Perspective as Perspective
from shared.api.evaluation import Step as Step
from shared.dates import refuse_future
from shared.errors import Invalid

DRIVERS = (
    "purpose",
    "relationships",
    "leadership",
    "workforce and joint practice development",
    "systems",
    "evaluation and challenge",
)
CRITERIA = (
    "joint practice development",
    "social capital",
    "collective moral purpose",
    "evaluation and challenge",
)
DIMENSIONS = tuple(f"driver: {d}" for d in DRIVERS) + tuple(f"criterion: {c}" for c in CRITERIA)


@dataclass(frozen=True)
class Judgement:
    dimension: str
    step: Step
    evidence: str


@dataclass(frozen=True)
class Assessment:
    id: UUID
    network_id: UUID
    perspective: Perspective
    assessor: str
    assessed_on: date
    judgements: tuple[Judgement, ...]

    @classmethod
    def record(
        cls,
        *,
        network_id: UUID,
        perspective: Perspective,
        assessor: str,
        assessed_on: date,
        judgements: list[Judgement],
        today: date,
    ) -> Assessment:
        """The latest assessment by date stands for the network's maturity now, so one dated
        after today would stand for it until that day came, whatever was assessed meanwhile."""
        refuse_future(
            assessed_on,
            today=today,
            refusal="an assessment cannot be dated after today",
            field="assessed_on",
        )
        given = [j.dimension for j in judgements]
        missing = [d for d in DIMENSIONS if d not in given]
        unknown = sorted(set(given) - set(DIMENSIONS))
        if missing or unknown or len(given) != len(set(given)):
            raise Invalid(
                f"judge each of the ten dimensions once (missing {missing}, unknown {unknown})",
                field="judgements",
            )
        if not assessor.strip():
            raise Invalid("say who assessed", field="assessor")
        order = {d: i for i, d in enumerate(DIMENSIONS)}
        return cls(
            id=uuid4(),
            network_id=network_id,
            perspective=perspective,
            assessor=assessor.strip(),
            assessed_on=assessed_on,
            judgements=tuple(sorted(judgements, key=lambda j: order[j.dimension])),
        )


@dataclass(frozen=True)
class Trend:
    dimension: str
    points: tuple[tuple[date, Perspective, Step], ...]
    # latest minus earliest step from the latest's perspective; None while that perspective
    # has judged it once only (a peer's "developing" after a self-assessed "beginning" is not
    # a change of zero: the two were never compared)
    change: int | None


def standing(assessments: list[Assessment]) -> list[Assessment]:
    """One assessment for each date and perspective, oldest first: a second one for the same
    date and perspective is recorded as a correction replacing the first. Of two that a database
    kept from before that rule, the later in the order given stands."""
    latest = {(a.assessed_on, a.perspective): a for a in assessments}
    return [latest[key] for key in sorted(latest)]


def trends(assessments: list[Assessment]) -> list[Trend]:
    ordered = standing(assessments)
    result = []
    for dimension in DIMENSIONS:
        points = tuple(
            (a.assessed_on, a.perspective, j.step)
            for a in ordered
            for j in a.judgements
            if j.dimension == dimension
        )
        change = None
        if points:
            latest = points[-1]
            same = [p for p in points if p[1] is latest[1]]
            change = latest[2] - same[0][2] if len(same) > 1 else None
        result.append(Trend(dimension, points, change))
    return result
