"""Text in an exported file is shown as text by a spreadsheet, never run as a formula."""

from __future__ import annotations

from datetime import date

import pytest

from shared.spreadsheet_text import inert, inert_cell


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
