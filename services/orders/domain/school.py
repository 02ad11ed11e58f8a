"""A school on the register (imported from DfE/GIAS extracts): who can buy, and what it is."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


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
    # how many times its entry has changed (announced with it, see `SchoolRegisteredV1`);
    # not part of what the school is, so an extract's unchanged row equals the one kept
    version: int = field(default=0, compare=False)

    def entered_after(self, kept: School | None) -> School | None:
        """This extract's entry of the school, one version on from the one kept; None when it
        changes nothing."""
        if kept == self:
            return None
        return replace(self, version=kept.version + 1 if kept else 1)

    def in_trust(self, trust_code: str | None) -> bool:
        return trust_code is not None and self.trust_code == trust_code
