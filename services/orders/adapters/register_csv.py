"""Reads a schools register extract: the DfE performance-tables layout (services/seed/data), or a
GIAS `edubasealldata` download. Only open establishments are kept; a bad row stops the import
with its line and column, so nothing is half-imported."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from services.orders.domain.school import School
from shared.csv_text import dict_rows, refusing_unreadable
from shared.errors import Invalid

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

T = TypeVar("T")


def read_register(path: Path) -> list[School]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:  # GIAS publishes its CSV in Windows-1252
        text = raw.decode("cp1252")
    return parse_register(text)


def parse_register(text: str) -> list[School]:
    reader = dict_rows(text)
    with refusing_unreadable(reader):
        header = reader.fieldnames or []
        columns = GIAS if GIAS["urn"] in header else PERFORMANCE_TABLES
        missing = [column for column in columns.values() if column not in header]
        if missing:
            raise Invalid(f"line 1: missing column(s) {', '.join(missing)}", field="file")
        return list(_schools(reader, columns))


def _schools(reader: csv.DictReader[str], columns: dict[str, str]) -> Iterator[School]:
    for row in reader:
        line = reader.line_num
        if row.get(GIAS_STATUS, "Open") not in {"Open", "Open, but proposed to close"}:
            continue
        value = _Row(row, columns, line).value
        yield School(
            urn=value("urn", _whole_number),
            name=value("name", _required),
            la_code=value("la_code", _required),
            la_name=value("la_name", _required),
            establishment_type=value("establishment_type", _required),
            type_group=value("type_group", str),
            phase=value("phase", _required),
            pupils=value("pupils", _optional_number),
            postcode=value("postcode", str),
            town=value("town", str),
            **_trust(row),
        )


class _Row:
    def __init__(self, row: dict[str, str], columns: dict[str, str], line: int) -> None:
        self._row = row
        self._columns = columns
        self._line = line

    def value(self, field: str, convert: Callable[[str], T]) -> T:
        column = self._columns[field]
        try:
            return convert((self._row.get(column) or "").strip())
        except ValueError as error:
            raise Invalid(f"line {self._line}, column {column}: {error}", field="file") from error


def _trust(row: dict[str, str]) -> dict[str, str | None]:
    """The trust's code and name, or none (GIAS leaves both empty for a school in no trust)."""
    found = {
        field: next((row[c].strip() for c in columns if (row.get(c) or "").strip()), None)
        for field, columns in TRUST_COLUMNS.items()
    }
    return found if found["trust_code"] else {"trust_code": None, "trust_name": None}


def _required(text: str) -> str:
    if not text:
        raise ValueError("a value is required")
    return text


def _whole_number(text: str) -> int:
    if not text.isdigit():
        raise ValueError(f"{text!r} is not a whole number")
    return int(text)


def _optional_number(text: str) -> int | None:
    return _whole_number(text) if text else None
