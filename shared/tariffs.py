"""Tariffs: how a service's price for one school is worked out, as data.

The catalogue stores them as JSON, answers them on its API, and reads and writes them in its
CSV; the portal shows and edits them from the same models. Each kind is told apart by `kind`.
What a tariff charges one school is the catalogue's rule (services/catalogue/domain/tariff.py);
these models only hold a tariff's terms and refuse terms that cannot make sense.
"""

from __future__ import annotations

from typing import Annotated, Literal

from annotated_types import Ge, Le
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationInfo,
    field_validator,
    model_validator,
)

from shared.bounds import Count, Items, Pence
from shared.limits import MAX_PER_PUPIL_PENCE

PerPupilPence = Annotated[int, Ge(0), Le(MAX_PER_PUPIL_PENCE)]
PHASES_PRICED = ("nursery", "primary", "secondary", "all-through", "special")
"""The phases a tariff by phase can give a rate for, as the catalogue names a school's phase."""


class _Terms(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Flat(_Terms):
    """One price for every school."""

    kind: Literal["flat"] = "flat"
    pence: Pence


class Band(_Terms):
    """The price for schools with at least `from_pupils` on roll (up to the next band's start)."""

    from_pupils: Count
    pence: Pence


class BandedByPupils(_Terms):
    """A price for each band of pupils on roll; the first band starts at 0, the last has no end."""

    kind: Literal["banded_by_pupils"] = "banded_by_pupils"
    bands: Annotated[tuple[Band, ...], Items] = Field(min_length=1)

    @field_validator("bands")
    @classmethod
    def _contiguous(cls, bands: tuple[Band, ...]) -> tuple[Band, ...]:
        if bands[0].from_pupils != 0:
            raise ValueError("the first band must start at 0 pupils")
        starts = [band.from_pupils for band in bands]
        if starts != sorted(set(starts)):
            raise ValueError("each band must start above the one before")
        return bands


class _Limits(_Terms):
    minimum_pence: Pence = 0
    maximum_pence: Pence | None = None

    @field_validator("maximum_pence")
    @classmethod
    def _ordered(cls, maximum: int | None, info: ValidationInfo) -> int | None:
        if maximum is not None and maximum < info.data.get("minimum_pence", 0):
            raise ValueError("the maximum cannot be below the minimum")
        return maximum


class PerPupil(_Limits):
    """A rate per pupil on roll, raised to the minimum and capped at the maximum."""

    kind: Literal["per_pupil"] = "per_pupil"
    per_pupil_pence: PerPupilPence


class FlatPlusPerPupil(_Terms):
    """A fixed part every school pays, plus a rate per pupil on roll."""

    kind: Literal["flat_plus_per_pupil"] = "flat_plus_per_pupil"
    pence: Pence
    per_pupil_pence: PerPupilPence


class PerPupilByPhase(_Limits):
    """A rate per pupil that depends on the school's phase; a phase without a rate is not sold."""

    kind: Literal["per_pupil_by_phase"] = "per_pupil_by_phase"
    primary_pence: PerPupilPence | None = None
    secondary_pence: PerPupilPence | None = None
    all_through_pence: PerPupilPence | None = None  # primary and secondary in one school
    special_pence: PerPupilPence | None = None
    nursery_pence: PerPupilPence | None = None

    @model_validator(mode="after")
    def _some_rate(self) -> PerPupilByPhase:
        if all(self.rate_for(phase) is None for phase in PHASES_PRICED):
            raise ValueError("give a rate for at least one phase")
        return self

    def rate_for(self, phase: str) -> int | None:
        if phase not in PHASES_PRICED:
            return None
        rate: int | None = getattr(self, f"{phase.replace('-', '_')}_pence")
        return rate


class DayRate(_Terms):
    """A price a day; half a day costs `half_day_pence`, or half the day rate when not given."""

    kind: Literal["day_rate"] = "day_rate"
    pence: Pence
    half_day_pence: Pence | None = None


KINDS = (Flat, BandedByPupils, PerPupil, FlatPlusPerPupil, PerPupilByPhase, DayRate)
Tariff = Annotated[
    Flat | BandedByPupils | PerPupil | FlatPlusPerPupil | PerPupilByPhase | DayRate,
    Field(discriminator="kind"),
]
TARIFF_KINDS = tuple(str(kind.model_fields["kind"].default) for kind in KINDS)
tariff_adapter: TypeAdapter[Tariff] = TypeAdapter(Tariff)


class Prices(_Terms):
    """A service's tariff for each kind of school. Maintained schools in the home LA pay
    `maintained`; academies `academy`; schools outside the LA, independent schools and colleges
    `out_of_area`. A missing tariff means the maintained one."""

    maintained: Tariff
    academy: Tariff | None = None
    out_of_area: Tariff | None = None
