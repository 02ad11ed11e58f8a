"""Outcome measures and the values recorded against them, before (baseline) and after."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID, uuid4

from shared.api.evaluation import Group as Group
from shared.api.evaluation import Stage as Stage
from shared.errors import Conflict, Invalid
from shared.limits import MAX_COUNT, MAX_MEASUREMENT, MIN_SPREAD, URNS


@dataclass(frozen=True)
class Measure:
    id: UUID
    programme_id: UUID
    name: str
    unit: str

    @classmethod
    def declare(
        cls, *, programme_id: UUID, name: str, unit: str, existing: Iterable[Measure]
    ) -> Measure:
        """A new measure, named once in its programme: the report and its CSV tell measures
        apart by name."""
        name = name.strip()
        if not name:
            raise Invalid("a measure needs a name", field="name")
        if any(m.name.casefold() == name.casefold() for m in existing):
            raise Conflict(f"this programme already has a measure named {name!r}", field="name")
        return cls(id=uuid4(), programme_id=programme_id, name=name, unit=unit)


@dataclass(frozen=True)
class SchoolResult:
    """One school's value, e.g. its KS2 reading average scaled score."""

    urn: int
    stage: Stage
    value: float
    pupils: int | None = None

    def __post_init__(self) -> None:
        if self.urn not in URNS:
            raise Invalid(f"a URN has six digits, not {self.urn}", field="urn")
        if not _human_sized(self.value):
            raise Invalid("a value must be a finite number of human size", field="value")
        if self.pupils is not None and not 1 <= self.pupils <= MAX_COUNT:
            raise Invalid(f"pupils must be from 1 to {MAX_COUNT:,}", field="pupils")

    @property
    def key(self) -> tuple[int, Stage]:
        return self.urn, self.stage


@dataclass(frozen=True)
class GroupResult:
    """A group summary reported by someone else: mean, SD and number of pupils."""

    group: Group
    stage: Stage
    mean: float
    sd: float
    n: int

    def __post_init__(self) -> None:
        if not (_human_sized(self.mean) and _human_sized(self.sd)):
            raise Invalid("mean and sd must be finite numbers of human size", field="mean")
        if self.sd < 0:
            raise Invalid("a standard deviation cannot be negative", field="sd")
        if not 2 <= self.n <= MAX_COUNT:
            raise Invalid(f"a group summary needs n from 2 to {MAX_COUNT:,}", field="n")

    @classmethod
    def reported(cls, *, group: Group, stage: Stage, mean: float, sd: float, n: int) -> GroupResult:
        """A summary someone records now: its SD a spread an effect size can be divided by (one
        stored before this rule may be smaller; its analysis then says it cannot be computed)."""
        result = cls(group, stage, mean, sd, n)
        if result.sd < MIN_SPREAD:
            raise Invalid(
                f"a standard deviation must be at least {MIN_SPREAD:.9f}: an effect size is "
                "divided by it",
                field="sd",
            )
        return result

    @property
    def key(self) -> tuple[Group, Stage]:
        return self.group, self.stage


@dataclass(frozen=True)
class Results:
    schools: tuple[SchoolResult, ...] = ()
    groups: tuple[GroupResult, ...] = ()

    def __post_init__(self) -> None:
        for field, rows in (("schools", self.schools), ("groups", self.groups)):
            seen: set[object] = set()
            for row in rows:
                if row.key in seen:
                    raise Invalid(f"two results for {describe(row)}: give one", field=field)
                seen.add(row.key)

    def has_baseline(self) -> bool:
        return any(r.stage is Stage.BASELINE for r in self.schools) or any(
            r.stage is Stage.BASELINE for r in self.groups
        )


def describe(row: SchoolResult | GroupResult) -> str:
    """'school 117083 at baseline', 'the comparison group at outcome'."""
    who = f"school {row.urn}" if isinstance(row, SchoolResult) else f"the {row.group} group"
    return f"{who} at {row.stage}"


def _human_sized(number: float) -> bool:
    return math.isfinite(number) and abs(number) <= MAX_MEASUREMENT
