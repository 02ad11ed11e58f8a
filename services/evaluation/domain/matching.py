"""Choosing a comparison group: for each participating school, the non-participating school of
the same phase whose size (pupils on roll) is nearest, each chosen once."""

from __future__ import annotations

from dataclasses import dataclass

from shared.errors import Invalid


@dataclass(frozen=True)
class RegisteredSchool:
    urn: int
    name: str
    phase: str
    pupils: int | None
    version: int = 0  # of its register entry (`SchoolRegisteredV1.version`): the newest is kept


@dataclass(frozen=True)
class Match:
    participant: int
    comparison: int
    size_gap: int


def match_by_phase_and_size(
    participants: list[RegisteredSchool], register: list[RegisteredSchool], *, per_participant: int
) -> list[Match]:
    if per_participant < 1:
        raise Invalid(
            "choose at least one comparison school per participant", field="per_participant"
        )
    taken = {school.urn for school in participants}
    pool = [s for s in register if s.urn not in taken and s.pupils is not None]
    matches: list[Match] = []
    # the largest schools first: they have the fewest near neighbours
    for school in sorted(participants, key=lambda s: -(s.pupils or 0)):
        if school.pupils is None:
            continue
        size = school.pupils
        nearest = sorted(
            (c for c in pool if c.phase == school.phase and c.urn not in taken),
            key=lambda c: (abs((c.pupils or 0) - size), c.urn),
        )[:per_participant]
        for candidate in nearest:
            taken.add(candidate.urn)
            matches.append(Match(school.urn, candidate.urn, abs((candidate.pupils or 0) - size)))
    return matches
