"""Outcome measures and the values recorded against them, before (baseline) and after."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from shared.errors import Invalid


class Stage(StrEnum):
    BASELINE = "baseline"
    OUTCOME = "outcome"


class Group(StrEnum):
    PARTICIPANT = "participant"
    COMPARISON = "comparison"


@dataclass(frozen=True)
class Measure:
    id: UUID
    programme_id: UUID
    name: str
    unit: str


@dataclass(frozen=True)
class SchoolResult:
    """One school's value, e.g. its KS2 reading average scaled score."""

    urn: int
    stage: Stage
    value: float
    pupils: int | None = None

    def __post_init__(self) -> None:
        if not math.isfinite(self.value):
            raise Invalid("a value must be a finite number", field="value")
        if self.pupils is not None and self.pupils < 1:
            raise Invalid("pupils must be at least 1", field="pupils")


@dataclass(frozen=True)
class GroupResult:
    """A group summary reported by someone else: mean, SD and number of pupils."""

    group: Group
    stage: Stage
    mean: float
    sd: float
    n: int

    def __post_init__(self) -> None:
        if not (math.isfinite(self.mean) and math.isfinite(self.sd)):
            raise Invalid("mean and sd must be finite numbers", field="mean")
        if self.sd < 0:
            raise Invalid("a standard deviation cannot be negative", field="sd")
        if self.n < 2:
            raise Invalid("a group summary needs n of at least 2", field="n")


@dataclass(frozen=True)
class Results:
    schools: tuple[SchoolResult, ...] = ()
    groups: tuple[GroupResult, ...] = ()

    def has_baseline(self) -> bool:
        return any(r.stage is Stage.BASELINE for r in self.schools) or any(
            r.stage is Stage.BASELINE for r in self.groups
        )
