"""Text in an exported file is shown as text by a spreadsheet, never run as a formula."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.spreadsheet_text import as_typed, inert, inert_cell


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("=2+2", "'=2+2"),
        ("+44 1707 281000", "'+44 1707 281000"),
        ("-£500 correction", "'-£500 correction"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Abbots Langley School", "Abbots Langley School"),
        ("O'Connor Ltd", "O'Connor Ltd"),
        ("", ""),
    ],
)
def test_text_that_a_spreadsheet_would_run_is_marked_as_text(typed: str, written: str) -> None:
    assert inert(typed) == written


def test_numbers_dates_and_empty_cells_are_left_as_they_are() -> None:
    assert [inert_cell(value) for value in (-500, -5.25, date(2026, 12, 5), None)] == [
        -500,
        -5.25,
        date(2026, 12, 5),
        None,
    ]


@given(st.text(max_size=40))
def test_a_file_read_back_gives_back_exactly_what_was_typed(typed: str) -> None:
    assert as_typed(inert(typed)) == typed


def test_apostrophes_typed_before_a_formula_s_start_come_back() -> None:
    assert inert("'=1") == "''=1"
    assert as_typed("''=1") == "'=1"
    assert as_typed("'Tis the season") == "'Tis the season"  # no mark to take off
