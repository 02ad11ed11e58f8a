"""A school on the register (imported from DfE/GIAS extracts): who can buy, and what it is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class School:
    urn: int
    name: str
    la_code: str
    la_name: str
    establishment_type: str
    type_group: str
    phase: str
    pupils: int | None
    postcode: str
    town: str
