"""Reading a CSV file a person uploaded: with any line endings a spreadsheet writes (a bare
carriage return included), and refused with its line when the csv module cannot read it (a
cell over its size limit, say), never raised as a server error."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from shared.errors import DomainError, Invalid


def rows(text: str) -> Any:  # the csv module's reader type is private
    return csv.reader(_lines(text))


def dict_rows(text: str) -> csv.DictReader[str]:
    return csv.DictReader(_lines(text))


def _at_line(line: int, message: str) -> DomainError:
    return Invalid(f"line {line}: {message}", field="file")


@contextmanager
def refusing_unreadable(
    reader: Any, refusal: Callable[[int, str], DomainError] = _at_line
) -> Iterator[None]:
    """Turn the reader's own refusal, raised inside, into the `refusal` of the line it reached."""
    try:
        yield
    except csv.Error as error:
        # a DictReader counts a line only once it has read it whole
        lines = reader.reader if isinstance(reader, csv.DictReader) else reader
        raise refusal(max(lines.line_num, 1), f"not readable as CSV ({error})") from error


def _lines(text: str) -> io.StringIO:
    # newline="": the csv module reads line endings itself, as its documentation asks
    return io.StringIO(text.lstrip("\ufeff"), newline="")


def whole_number(cell: str, *, within: range) -> int:
    """A cell's whole number, written in the digits 0-9 and within the business's bounds.

    `str.isdigit` alone lets through '²', which `int` then refuses, and a number of any size,
    which an Integer column refuses (on PostgreSQL) or keeps (on SQLite)."""
    if not (cell.isascii() and cell.isdigit()):
        raise ValueError(f"{cell!r} is not a whole number")
    # more significant digits than the bound's: out of range, without converting all of them
    if len(cell.lstrip("0")) > len(str(within.stop)) or int(cell) not in within:
        raise ValueError(f"{cell!r} is outside {within.start}-{within.stop - 1}")
    return int(cell)
