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
    trust_code: str | None = None  # the academy trust it belongs to (GIAS "Trusts (code)")
    trust_name: str | None = None

    def in_trust(self, trust_code: str | None) -> bool:
        return trust_code is not None and self.trust_code == trust_code
