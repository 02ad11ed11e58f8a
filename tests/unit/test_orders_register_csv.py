"""The schools register file: every cell bounded as the schools table and the register's event
hold it, a school listed once, and any bad cell refused by its line and column."""

from __future__ import annotations

import pytest

from services.orders.adapters.register_csv import parse_register
from shared.errors import Invalid

HEADER = "urn,name,la_code,la_name,establishment_type,type_group,phase,pupils,postcode,town"
GIAS_HEADER = (
    "URN,EstablishmentName,LA (code),LA (name),TypeOfEstablishment (name),"
    "EstablishmentTypeGroup (name),PhaseOfEducation (name),NumberOfPupils,Postcode,Town,"
    "EstablishmentStatus (name),Trusts (code),Trusts (name)"
)
CELLS = {
    "urn": "117083",
    "name": "Abbots Langley School",
    "la_code": "919",
    "la_name": "Hertfordshire",
    "establishment_type": "Community school",
    "type_group": "Local authority maintained schools",
    "phase": "Primary",
    "pupils": "415",
    "postcode": "WD5 0BQ",
    "town": "Abbots Langley",
}


def register(**changes: str) -> str:
    row = {**CELLS, **changes}
    return f"{HEADER}\n{','.join(row[column] for column in HEADER.split(','))}\n"


def test_a_row_within_every_bound_is_read() -> None:
    (school,) = parse_register(register())

    assert (school.urn, school.pupils, school.postcode) == (117083, 415, "WD5 0BQ")


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"urn": "99999999999"}, "line 2, column urn: '99999999999' is outside 100000-999999"),
        ({"urn": "\u00b2"}, "line 2, column urn: '\u00b2' is not a whole number"),
        ({"pupils": "99999999999"}, "line 2, column pupils: '99999999999' is outside 0-1000000"),
        ({"postcode": "W" * 30}, "line 2, column postcode: String should have at most 10"),
        ({"la_code": "9" * 11}, "line 2, column la_code: String should have at most 10"),
        ({"phase": "P" * 41}, "line 2, column phase: String should have at most 40"),
        ({"name": "N" * 201}, "line 2, column name: String should have at most 200"),
        ({"town": "T" * 101}, "line 2, column town: String should have at most 100"),
        ({"type_group": "G" * 61}, "line 2, column type_group: String should have at most 60"),
        ({"name": ""}, "line 2, column name: a value is required"),
    ],
)
def test_a_cell_its_column_cannot_hold_is_refused_by_line_and_column(
    changes: dict[str, str], problem: str
) -> None:
    with pytest.raises(Invalid) as refused:
        parse_register(register(**changes))

    assert refused.value.field == "file"
    assert refused.value.message.startswith(problem)


def test_a_school_listed_twice_is_refused_at_its_second_line() -> None:
    text = register() + register(name="Abbots Langley School again").splitlines()[1] + "\n"

    with pytest.raises(Invalid) as refused:
        parse_register(text)

    assert refused.value.message == "line 3, column urn: 117083 is on line 2 too"


def test_a_trust_code_longer_than_its_column_is_refused_by_its_gias_column() -> None:
    row = (
        "136609,Sandringham School,919,Hertfordshire,Academy converter,Academies,Secondary,"
        f"1817,AL4 9NX,St Albans,Open,{'4' * 21},Alban Learning Trust"
    )

    with pytest.raises(Invalid) as refused:
        parse_register(f"{GIAS_HEADER}\n{row}\n")

    assert refused.value.message.startswith("line 2, column Trusts (code): String should have")
