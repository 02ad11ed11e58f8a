"""A school on the register (imported from DfE/GIAS extracts): who can buy, and what it is."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


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
    # its entry's version (announced with it, see `SchoolRegisteredV1`); not part of what the
    # school is, so an extract's unchanged row equals the one kept
    version: int = field(default=0, compare=False)

    def entered_after(self, kept: School | None, *, at: datetime) -> School | None:
        """This extract's entry of the school `at` this moment; None when it changes nothing.

        Its version is the moment in microseconds since 1970, or one past the kept entry's if
        that is not already more. Counted from the kept rows alone, versions began again at 1
        when orders' database was rebuilt empty while the other services kept their copies,
        which then ignored every later change as older than theirs; the clock goes on counting
        across a rebuild, and the kept entry's version keeps them rising if the clock steps back.
        """
        if kept == self:
            return None
        counted = (at - _EPOCH) // timedelta(microseconds=1)
        return replace(self, version=max(counted, kept.version + 1 if kept else 1))

    def in_trust(self, trust_code: str | None) -> bool:
        return trust_code is not None and self.trust_code == trust_code
