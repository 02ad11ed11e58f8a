"""What the catalogue knows of a school to price it (fed by the orders register's events)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

ACADEMY_WORDS = ("academy", "free school", "university technical college", "studio school")
# the performance tables' groups, and a GIAS extract's (which names every maintained school's)
MAINTAINED_TYPE_GROUPS = {
    "maintained school",
    "voluntary aided school",
    "local authority maintained schools",
}
PHASE_NAMES = {
    "primary and secondary": "all-through",
    "middle deemed primary": "primary",
    "middle deemed secondary": "secondary",
}
MAINTAINED_SPECIAL = {"community special school", "foundation special school"}


class Funding(StrEnum):
    MAINTAINED = "maintained"
    ACADEMY = "academy"
    OTHER = "other"  # independent schools, colleges, non-maintained special schools


@dataclass(frozen=True)
class School:
    urn: int
    name: str
    la_code: str
    type_group: str
    establishment_type: str
    phase: str
    pupils: int | None
    trust_code: str | None = None  # the academy trust it belongs to, if any
    version: int = 0  # of its register entry (`SchoolRegisteredV1.version`): the newest is kept

    @property
    def funding(self) -> Funding:
        kind = self.establishment_type.lower()
        group = self.type_group.lower()
        if any(word in kind or word in group for word in ACADEMY_WORDS):
            return Funding.ACADEMY
        if group in MAINTAINED_TYPE_GROUPS or kind in MAINTAINED_SPECIAL:
            return Funding.MAINTAINED
        return Funding.OTHER

    @property
    def pricing_phase(self) -> str:
        """The phase a tariff by phase prices: special and nursery schools by their type, the
        others by the register's phase ('all-through' for primary and secondary)."""
        kind = f"{self.type_group} {self.establishment_type}".lower()
        if "special" in kind:
            return "special"
        if "nursery" in kind or self.phase.lower() == "nursery":
            return "nursery"
        return PHASE_NAMES.get(self.phase.lower(), self.phase.lower())

    def in_area(self, home_la_code: str) -> bool:
        return self.la_code == home_la_code
