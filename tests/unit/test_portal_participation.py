"""The evaluator's participants page lists and counts each school once per service: a school
that bought a package two years running was listed twice, and the service read "22 schools"
for the 11 its programme analysed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.portal.domain.participation import schools_by_service


@dataclass(frozen=True)
class Row:
    service_title: str
    school_name: str
    urn: int
    phase: str
    since: date


def test_a_school_taking_part_twice_is_one_school_since_it_first_took_part() -> None:
    package = "School improvement partner package (primary)"
    rows = [
        Row(package, "Ashwell Primary School", 117084, "Primary", date(2024, 9, 2)),
        Row(package, "Abbots Langley School", 117083, "Primary", date(2024, 9, 2)),
        Row(package, "Abbots Langley School", 117083, "Primary", date(2023, 9, 1)),
        Row("Phonics leadership", "Abbots Langley School", 117083, "Primary", date(2025, 1, 6)),
    ]
    assert schools_by_service(rows) == [
        ("Phonics leadership", [rows[3]]),
        (package, [rows[2], rows[0]]),
    ]
