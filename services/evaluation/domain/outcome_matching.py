"""Choosing a comparison group on what drives results: for each participating school, the
non-participating schools nearest to it in size, share of disadvantaged pupils and baseline
result, each chosen once; a mainstream school is compared only with mainstream schools, a special
school only with special schools.

Each characteristic is divided by its spread across the candidates, so that pupils (hundreds)
do not swamp percentages; the distance is the straight line between standardised profiles.
Schools without all three are not matched: their absence is reported, not guessed around.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from shared.errors import Invalid


@dataclass(frozen=True)
class Profile:
    urn: int
    pupils: float
    disadvantaged: float
    baseline: float
    mainstream: bool = True

    def features(self) -> tuple[float, float, float]:
        return (self.pupils, self.disadvantaged, self.baseline)


@dataclass(frozen=True)
class OutcomeMatch:
    participant: int
    comparison: int
    distance: float  # in standard deviations of the candidates' characteristics


def match_on_profiles(
    participants: list[Profile], candidates: list[Profile], *, per_participant: int
) -> list[OutcomeMatch]:
    if per_participant < 1:
        raise Invalid(
            "choose at least one comparison school per participant", field="per_participant"
        )
    taking_part = {p.urn for p in participants}
    kinds = {p.mainstream for p in participants}
    pool = {c.urn: c for c in candidates if c.urn not in taking_part and c.mainstream in kinds}
    if len(pool) < 2:
        raise Invalid("too few schools with results to match from")
    spreads = [
        statistics.pstdev(column) or 1.0
        for column in zip(*(c.features() for c in pool.values()), strict=True)
    ]

    def distance(a: Profile, b: Profile) -> float:
        return math.dist(
            [x / s for x, s in zip(a.features(), spreads, strict=True)],
            [y / s for y, s in zip(b.features(), spreads, strict=True)],
        )

    matches: list[OutcomeMatch] = []
    for _ in range(per_participant):  # each participant's nearest first, then its second, …
        for school in sorted(participants, key=lambda p: p.urn):
            if not pool:
                return matches
            alike = [c for c in pool.values() if c.mainstream == school.mainstream]
            if not alike:
                continue
            nearest = min(alike, key=lambda c: (distance(school, c), c.urn))
            del pool[nearest.urn]
            matches.append(OutcomeMatch(school.urn, nearest.urn, distance(school, nearest)))
    return matches
