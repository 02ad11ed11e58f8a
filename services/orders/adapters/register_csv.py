"""Reads a schools register extract: the DfE performance-tables layout (services/seed/data), or a
GIAS `edubasealldata` download. Only open establishments are kept; a bad row stops the import
with its line and column, so nothing is half-imported."""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

from pydantic import StringConstraints, TypeAdapter, ValidationError
from sqlalchemy import String

from services.orders.adapters.tables import schools
from services.orders.domain.school import School
from shared.bounds import ONE_LINE
from shared.csv_text import FittedRows, dict_rows, refusing_unreadable, whole_number
from shared.errors import Invalid
from shared.limits import COUNTS, URNS

# our field -> the column it comes from, per layout
PERFORMANCE_TABLES = {
    "urn": "urn",
    "name": "name",
    "la_code": "la_code",
    "la_name": "la_name",
    "establishment_type": "establishment_type",
    "type_group": "type_group",
    "phase": "phase",
    "pupils": "pupils",
    "postcode": "postcode",
    "town": "town",
}
GIAS = {
    "urn": "URN",
    "name": "EstablishmentName",
    "la_code": "LA (code)",
    "la_name": "LA (name)",
    "establishment_type": "TypeOfEstablishment (name)",
    "type_group": "EstablishmentTypeGroup (name)",
    "phase": "PhaseOfEducation (name)",
    "pupils": "NumberOfPupils",
    "postcode": "Postcode",
    "town": "Town",
}
GIAS_STATUS = "EstablishmentStatus (name)"
# read where the extract has them: a school belongs to at most one academy trust
TRUST_COLUMNS = {
    "trust_code": {"Trusts (code)", "trust_code"},
    "trust_name": {"Trusts (name)", "trust_name"},
}


def read_register(path: Path) -> list[School]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise Invalid(f"the file cannot be read ({error.strerror})", field="file") from error
    return parse_register(_text_of(raw))


def _text_of(raw: bytes) -> str:
    try:
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode"
            return raw.decode("utf-16")
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:  # GIAS publishes its CSV in Windows-1252
            return raw.decode("cp1252")
    except UnicodeDecodeError as error:
        raise Invalid(
            f"byte {error.start + 1} is not text in UTF-8, UTF-16 or Windows-1252", field="file"
        ) from error


def parse_register(text: str) -> list[School]:
    reader = dict_rows(text)
    with refusing_unreadable(reader):
        header = reader.fieldnames or []
        columns = GIAS if GIAS["urn"] in header else PERFORMANCE_TABLES
        missing = [column for column in columns.values() if column not in header]
        if missing:
            raise Invalid(f"line 1: missing column(s) {', '.join(missing)}", field="file")
        return list(_schools(reader, columns))


def _schools(reader: FittedRows, columns: dict[str, str]) -> Iterator[School]:
    first_line: dict[int, int] = {}
    for row in reader:
        if row.get(GIAS_STATUS, "Open") not in {"Open", "Open, but proposed to close"}:
            continue
        cells = _Row(row, reader.line)
        values = {field: cells.value(columns[field], read) for field, read in CELLS.items()}
        school = School(**(values | cells.trust()))
        if school.urn in first_line:
            raise cells.refused(
                columns["urn"], f"{school.urn} is on line {first_line[school.urn]} too"
            )
        first_line[school.urn] = cells.line
        yield school


class _Row:
    def __init__(self, row: dict[str, str], line: int) -> None:
        self._row = row
        self.line = line

    def value(self, column: str, read: Callable[[str], Any]) -> Any:
        try:
            return read((self._row.get(column) or "").strip())
        except ValueError as error:
            raise self.refused(column, str(error)) from error

    def trust(self) -> dict[str, str | None]:
        """The trust's code and name, or none (GIAS leaves both empty for a school in no trust)."""
        found = {
            field: next(
                (self.value(c, CELLS_OF_TRUST[field]) for c in columns if self._has(c)), None
            )
            for field, columns in TRUST_COLUMNS.items()
        }
        return found if found["trust_code"] else {"trust_code": None, "trust_name": None}

    def refused(self, column: str, problem: str) -> Invalid:
        return Invalid(f"line {self.line}, column {column}: {problem}", field="file")

    def _has(self, column: str) -> bool:
        return bool((self._row.get(column) or "").strip())


def _text(field: str, *, required: bool = False) -> Callable[[str], str]:
    """One line of text no longer than the schools table's column (the copies of the register
    other services keep from its event hold as much or more)."""
    column_type = schools.c[field].type
    assert isinstance(column_type, String) and column_type.length
    rule = TypeAdapter(Annotated[str, StringConstraints(max_length=column_type.length), ONE_LINE])

    def text(cell: str) -> str:
        if required and not cell:
            raise ValueError("a value is required")
        try:
            return rule.validate_python(cell)
        except ValidationError as error:
            raise ValueError(error.errors()[0]["msg"]) from None

    return text


def _optional_count(cell: str) -> int | None:
    return whole_number(cell, within=COUNTS) if cell else None


# our field -> how its cell is read
CELLS: dict[str, Callable[[str], Any]] = {
    "urn": lambda cell: whole_number(cell, within=URNS),
    "name": _text("name", required=True),
    "la_code": _text("la_code", required=True),
    "la_name": _text("la_name", required=True),
    "establishment_type": _text("establishment_type", required=True),
    "type_group": _text("type_group"),
    "phase": _text("phase", required=True),
    "pupils": _optional_count,
    "postcode": _text("postcode"),
    "town": _text("town"),
}
CELLS_OF_TRUST = {field: _text(field) for field in TRUST_COLUMNS}
