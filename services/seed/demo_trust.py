"""The demo's academy trust. The register carried in the repository (DfE performance tables)
has no trust fields, so the demo makes one up on real academies: it is not a real trust, and
these schools are not in it. A register that names trusts (a GIAS extract's "Trusts (code)"
and "Trusts (name)") is seeded with its own trusts instead."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from services.orders.adapters.register_csv import read_register
from services.orders.domain.school import School

DEMO_TRUST_CODE = "DEMO-1"
DEMO_TRUST_NAME = "Demo Academy Trust (made up)"
DEMO_TRUST_SCHOOLS = (
    136609,  # Sandringham School, secondary academy, St Albans
    138205,  # Fleetville Junior School, primary academy, St Albans
    138206,  # Fleetville Infant and Nursery School, primary academy, St Albans
)
DEMO_TRUST_DISCOUNT_PERCENT = 5


def seed_register(path: Path) -> list[School]:
    """The register as the demo seeds it: the extract, with the demo trust where it has none."""
    register = read_register(path)
    if any(school.trust_code for school in register):
        return register
    return [
        replace(school, trust_code=DEMO_TRUST_CODE, trust_name=DEMO_TRUST_NAME)
        if school.urn in DEMO_TRUST_SCHOOLS
        else school
        for school in register
    ]
