"""A school as commissioning knows it: from the register the orders service publishes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class School:
    urn: int
    name: str
    phase: str
    establishment_type: str
    la_code: str
    town: str
    postcode: str
    version: int = 0  # of its register entry (`SchoolRegisteredV1.version`): the newest is kept
