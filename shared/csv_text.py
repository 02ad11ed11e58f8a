"""Reading a CSV file a person uploaded: with any line endings a spreadsheet writes (a bare
carriage return included), and refused with its line when the csv module cannot read it (a
cell over its size limit, say) or the header does not fit it (a column named twice, a row with
cells past the header's columns), never raised as a server error or read as something else.

A row is named by the line of the file where it starts (`line`), as a person's editor numbers
it: a cell in quotes may hold line breaks, so a file has more lines than rows, and the csv
module's own `line_num` is the line where the row ends."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

from shared.errors import DomainError, Invalid

# A number as a person types it: digits 0-9, an optional sign, point and exponent. Python's own
# readers take more: "5_6" (56), "nan", "inf" and digits of other scripts.
_DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,3})?")
_INTEGER = re.compile(r"[+-]?[0-9]+")


class Misshapen(csv.Error):
    """A row the header does not fit; its message is the whole refusal."""


def rows(text: str) -> NumberedRows:
    return NumberedRows(_lines(text))


def dict_rows(text: str) -> FittedRows:
    return FittedRows(_lines(text))


class NumberedRows:
    """The csv module's reader, which also knows the line where the row it read last starts."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._reader = csv.reader(lines)
        self.line = 0

    def __iter__(self) -> NumberedRows:
        return self

    def __next__(self) -> list[str]:
        self.line = self._reader.line_num + 1
        return next(self._reader)

    @property
    def line_num(self) -> int:  # read by DictReader
        return self._reader.line_num


if TYPE_CHECKING:
    _DictReader = csv.DictReader[str]
else:  # not subscriptable at run time before Python 3.12
    _DictReader = csv.DictReader


class FittedRows(_DictReader):
    """Rows under a header that names each column once, none with cells past its columns
    (a comma typed in a cell not in quotes): either would leave a value read from another column
    or not read at all. Empty cells past the header, as some spreadsheets write, are nothing."""

    _header_checked = False

    def __init__(self, lines: Iterable[str]) -> None:
        super().__init__(lines)
        self.reader: Any = NumberedRows(lines)  # DictReader reads its rows from `reader`

    @property
    def line(self) -> int:
        """The line of the file where the row read last (or the header) starts."""
        return cast(int, self.reader.line)

    @property
    def fieldnames(self) -> Sequence[str] | None:  # type: ignore[override]  # nothing sets it
        names = super().fieldnames
        if names is not None and not self._header_checked:
            self._header_checked = True
            refuse_repeated(names)
        return names

    def __next__(self) -> dict[str, str]:
        row = super().__next__()
        beyond = cast("list[str]", row.pop(None, []))  # DictReader's key for the rest
        refuse_beyond_header(len(row), beyond)
        return row


def refuse_repeated(header: Sequence[str]) -> None:
    seen: set[str] = set()
    for name in (name.strip().casefold() for name in header):
        if name in seen:
            raise Misshapen(f"the header names the column {name!r} twice")
        if name:
            seen.add(name)


def refuse_beyond_header(columns: int, beyond: Sequence[str]) -> None:
    """Refuse a row whose cells past the header's `columns` hold anything."""
    if any(cell.strip() for cell in beyond):
        raise Misshapen(
            f"{columns + len(beyond)} cells where the header names {columns} columns "
            "(a comma in a cell that is not in quotes?)"
        )


def _at_line(line: int, message: str) -> DomainError:
    return Invalid(f"line {line}: {message}", field="file")


@contextmanager
def refusing_unreadable(
    reader: NumberedRows | FittedRows, refusal: Callable[[int, str], DomainError] = _at_line
) -> Iterator[None]:
    """Turn the reader's own refusal, raised inside, into the `refusal` of its row's line."""
    try:
        yield
    except Misshapen as error:
        raise refusal(max(reader.line, 1), str(error)) from error
    except csv.Error as error:
        raise refusal(max(reader.line, 1), f"not readable as CSV ({error})") from error


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


def decimal(cell: str) -> float:
    """A cell's number as a person types it (`41`, `-0.5`, `1e3`); `float` alone reads "5_6" as
    56 and takes "nan", "inf" and other scripts' digits."""
    if not _DECIMAL.fullmatch(cell):
        raise ValueError(f"{cell!r} is not a number")
    return float(cell)


def integer(cell: str) -> int:
    """A cell's integer in the digits 0-9 (`int` alone reads "117_083" and other scripts'
    digits); its bounds are the reader's to check."""
    if not _INTEGER.fullmatch(cell):
        raise ValueError(f"{cell!r} is not a whole number")
    return int(cell)
