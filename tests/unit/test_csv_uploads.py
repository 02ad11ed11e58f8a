"""Every CSV a person uploads is read with the line endings a spreadsheet may write, and one
the csv module cannot read is refused by its line, as a bad file, never as a server error."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest

from services.catalogue.adapters.catalogue_csv import COLUMNS, read_catalogue
from services.evaluation.domain.ks2_file import read_ks2_file
from services.evaluation.domain.results_csv import BadRows, read_results
from services.orders.adapters.register_csv import parse_register
from services.seed.catalogue import CATALOGUE_CSV
from services.seed.files import SCHOOLS_CSV
from shared.errors import Invalid

KS2_HEADER = "RECTYPE,URN,SCHNAME,TELIG,PTRWM_EXP"
OVERSIZED = "x" * 200_000  # above the csv module's limit for one cell, within the upload's

READERS: dict[str, Callable[[str], Any]] = {
    "catalogue": read_catalogue,
    "results": read_results,
    "ks2": lambda text: read_ks2_file(text, year=2025),
    "register": parse_register,
}


def test_the_register_reads_the_same_with_carriage_returns_alone() -> None:
    text = SCHOOLS_CSV.read_text(encoding="utf-8-sig")

    assert parse_register(text.replace("\n", "\r")) == parse_register(text)


def test_results_read_the_same_with_each_line_ending() -> None:
    text = "urn,stage,value\n117083,baseline,41\n117083,outcome,47\n"

    read = {ending: read_results(text.replace("\n", ending)) for ending in ("\n", "\r\n", "\r")}

    assert read["\r"] == read["\r\n"] == read["\n"]
    assert len(read["\r"].schools) == 2


def test_a_ks2_file_with_carriage_returns_alone_is_read() -> None:
    text = f"{KS2_HEADER}\r1,117083,Abbots Langley School,59,56%\r"

    (result,) = read_ks2_file(text, year=2025)

    assert (result.urn, result.value) == (117083, 56)


HEADERS = {
    "catalogue": ",".join(COLUMNS),
    "results": "urn,stage,value",
    "ks2": KS2_HEADER,
    "register": SCHOOLS_CSV.read_text(encoding="utf-8-sig").splitlines()[0],
}


@pytest.mark.parametrize("reader", READERS, ids=list(READERS))
def test_a_cell_the_csv_module_cannot_read_is_refused_by_its_line(reader: str) -> None:
    text = f'{HEADERS[reader]}\n"{OVERSIZED}",2,3\n'

    with pytest.raises(Invalid) as refused:
        READERS[reader](text)

    assert refused.value.field == "file"
    assert "line 2" in refused.value.message
    assert "not readable as CSV" in refused.value.message
    if reader in {"results", "ks2"}:
        assert isinstance(refused.value, BadRows)
        assert [problem.line for problem in refused.value.problems] == [2]


@pytest.mark.parametrize("reader", READERS, ids=list(READERS))
def test_a_row_with_cells_past_the_header_is_refused_by_its_line(reader: str) -> None:
    """A comma typed in a cell not in quotes: each cell after it would be read from the next
    column, and the last dropped (or, in results, the server fail)."""
    columns = HEADERS[reader].count(",") + 1
    text = f"{HEADERS[reader]}\n{',' * columns}moved along\n"

    refused = refusal(reader, text)

    assert f"line 2: {columns + 1} cells where the header names {columns} columns" in refused


@pytest.mark.parametrize("reader", READERS, ids=list(READERS))
def test_a_column_named_twice_is_refused_at_the_header(reader: str) -> None:
    """Otherwise the one to the right would be read and the other silently passed over."""
    first = HEADERS[reader].split(",")[0]
    text = f"{HEADERS[reader]},{first.upper()}\n"

    assert f"line 1: the header names the column {first.lower()!r} twice" in refusal(reader, text)


def test_empty_cells_past_the_header_are_nothing() -> None:
    read = read_results("urn,stage,value\n117083,baseline,41,,\n")

    assert [school.value for school in read.schools] == [41]


@pytest.mark.parametrize("value", ["4_1", "\u0664\u0661", "1,234", "\u00a341"])
def test_a_result_python_would_read_otherwise_than_typed_is_a_bad_row(value: str) -> None:
    with pytest.raises(BadRows) as refused:
        read_results(f'urn,stage,value\n117083,baseline,"{value}"\n')

    assert refused.value.problems[0].message == f"value: {value!r} is not valid"


@pytest.mark.parametrize("urn", ["117_083", "\u0661\u0661\u0667\u0660\u0668\u0663"])
def test_a_urn_python_would_read_otherwise_than_typed_is_a_bad_row(urn: str) -> None:
    with pytest.raises(BadRows) as refused:
        read_results(f"urn,stage,value\n{urn},baseline,41\n")

    assert refused.value.problems[0].message == f"urn: {urn!r} is not valid"


# one row each reader accepts, under its header
ROWS = {
    "results": "117083,baseline,41",
    "ks2": "1,117083,Abbots Langley School,59,56%",
}


def _header_and_row(reader: str) -> tuple[str, str]:
    if reader in ROWS:
        return HEADERS[reader], ROWS[reader]
    sheet = {"catalogue": CATALOGUE_CSV, "register": SCHOOLS_CSV}[reader]
    header, row = sheet.read_text(encoding="utf-8-sig").splitlines()[:2]
    return header, row


def _with_note(line: str, note: str) -> str:
    """The CSV line with one more cell, a note in quotes, which may hold line breaks."""
    cells = next(csv.reader([line]))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL).writerow([*cells, note])
    return out.getvalue()


@pytest.mark.parametrize("reader", READERS, ids=list(READERS))
def test_a_refused_row_after_a_cell_of_two_lines_is_named_by_its_line_in_the_file(
    reader: str,
) -> None:
    """A spreadsheet writes a cell's line break inside quotes: the file's lines are then more
    than its rows, and a person looks for the line their editor shows."""
    header, row = _header_and_row(reader)
    twice = _with_note(row, "two\nlines") * 2  # on lines 2-3, and again on lines 4-5

    message = refusal(reader, f"{header},note\n{twice}")

    assert message.count("line 4") == 1, message
    assert "line 2" in message, message  # where the first copy starts
    assert "line 3" not in message and "line 5" not in message, message


@pytest.mark.parametrize("reader", READERS, ids=list(READERS))
def test_a_row_of_two_lines_the_csv_module_refuses_is_named_by_its_first_line(
    reader: str,
) -> None:
    columns = HEADERS[reader].count(",") + 1
    text = f'{HEADERS[reader]}\n"two\nlines"{"," * columns}moved along\n'

    message = refusal(reader, text)

    assert message.startswith("line 2") or "; line 2: " in message, message


def refusal(reader: str, text: str) -> str:
    with pytest.raises(Invalid) as refused:
        READERS[reader](text)
    assert refused.value.field == "file"
    return refused.value.message


@pytest.mark.parametrize("typed", ["1_0", "\u0661\u0660"])
def test_a_catalogue_discount_python_would_read_otherwise_than_typed_is_refused(
    typed: str,
) -> None:
    """pydantic reads "1_0" as 10 and other scripts' digits as ours: a discount of 10% that
    nobody typed. The cell is refused by its line and column, as the other sheets refuse it."""
    header, first = CATALOGUE_CSV.read_text().splitlines()[:2]
    column = header.split(",").index("discount_percent")
    cells = next(csv.reader([first]))
    cells[column] = typed
    row = io.StringIO()
    csv.writer(row, lineterminator="\n").writerow(cells)

    message = refusal("catalogue", f"{header}\n{row.getvalue()}")

    assert message.startswith("line 2, column discount_percent:"), message
    assert repr(typed) in message, message
