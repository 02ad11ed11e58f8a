"""Text in a file a person opens in a spreadsheet, shown as the text it is and never run.

Excel, LibreOffice and Google Sheets take a CSV cell that begins with `=`, `+`, `-` or `@` (or
a tab or carriage return) as a formula. Exported text comes from many hands: a journal's
description and note typed by finance, a contract's title and supplier by an LA officer, a
programme's measures by an evaluator. Opened, "=2+2" would read 4, "-£500 correction" #NAME?,
and "=HYPERLINK(…)" a live link in a finance officer's spreadsheet. As OWASP advises for CSV
injection, such a cell is written with a leading apostrophe, which spreadsheets read as "this
is text". Only text: a negative amount written as a number stays a number. (In XLSX a cell says
its own type, so there the text is written as a string cell instead: see the ledger's export.)

A file that is read back in (the catalogue's) reads each cell `as_typed`, which takes the mark
off again; text that already began with apostrophes before a formula's start gets one more, so
that what was typed always comes back exactly.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(text: str) -> str:
    """The text as a CSV cell a spreadsheet shows and does not run."""
    return f"'{text}" if _marked(text) else text


def as_typed(cell: str) -> str:
    """A cell `inert` wrote (or a spreadsheet saved without the mark), as it was typed."""
    return cell[1:] if cell.startswith("'") and _marked(cell[1:]) else cell


def _marked(text: str) -> bool:
    """Whether `inert` marks it: a formula's start, after any apostrophes."""
    return text.lstrip("'").startswith(FORMULA_STARTS)


def inert_cell(value: Any) -> Any:
    """A CSV cell: text made inert; a number, date or nothing as it was."""
    return inert(value) if isinstance(value, str) else value
