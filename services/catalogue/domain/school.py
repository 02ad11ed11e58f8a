"""What the catalogue knows of a school to price it (fed by the orders register's events)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

ACADEMY_WORDS = ("academy", "free school", "university technical college", "studio school")
MAINTAINED_TYPE_GROUPS = {"maintained school", "voluntary aided school"}
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

    @property
    def funding(self) -> Funding:
        kind = self.establishment_type.lower()
        group = self.type_group.lower()
        if any(word in kind or word in group for word in ACADEMY_WORDS):
            return Funding.ACADEMY
        if group in MAINTAINED_TYPE_GROUPS or kind in MAINTAINED_SPECIAL:
            return Funding.MAINTAINED
        return Funding.OTHER

    def in_area(self, home_la_code: str) -> bool:
        return self.la_code == home_la_code
