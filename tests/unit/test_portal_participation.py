"""The evaluator's participants page lists and counts each school once per service: a school
that bought a package two years running was listed twice, and the service read "22 schools"
for the 11 its programme analysed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from services.portal.domain.participation import schools_by_service

PACKAGE, PHONICS = uuid4(), uuid4()


@dataclass(frozen=True)
class Row:
    service_id: UUID
    service_title: str
    school_name: str
    urn: int
    phase: str
    since: date


def test_a_school_taking_part_twice_is_one_school_since_it_first_took_part() -> None:
    package = "School improvement partner package (primary)"
    rows = [
        Row(PACKAGE, package, "Ashwell Primary School", 117084, "Primary", date(2024, 9, 2)),
        Row(PACKAGE, package, "Abbots Langley School", 117083, "Primary", date(2024, 9, 2)),
        Row(PACKAGE, package, "Abbots Langley School", 117083, "Primary", date(2023, 9, 1)),
        Row(
            PHONICS,
            "Phonics leadership",
            "Abbots Langley School",
            117083,
            "Primary",
            date(2025, 1, 6),
        ),
    ]
    assert schools_by_service(rows) == [
        ("Phonics leadership", [rows[3]]),
        (package, [rows[2], rows[0]]),
    ]


def test_a_service_renamed_since_is_one_service_under_its_latest_title() -> None:
    before, after = "Phonics leadership", "Phonics leadership (Year 1 and 2)"
    package = "School improvement partner package (primary)"
    rows = [
        Row(PHONICS, after, "Ashwell Primary School", 117084, "Primary", date(2025, 9, 1)),
        Row(PHONICS, before, "Abbots Langley School", 117083, "Primary", date(2024, 9, 2)),
        Row(PHONICS, after, "Abbots Langley School", 117083, "Primary", date(2025, 9, 1)),
        Row(PACKAGE, package, "Bushey Heath Primary School", 117088, "Primary", date(2025, 1, 6)),
    ]
    assert schools_by_service(rows) == [(after, [rows[1], rows[0]]), (package, [rows[3]])]
