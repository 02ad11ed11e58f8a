"""A report as JSON (figures under their own names, in pence, for machines) or as CSV or XLSX
(for people: headings in words, pounds with two decimals; in XLSX, numbers with a £ format so
that they add up)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from fastapi import Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from services.ledger.application.reading import Unit, heading, heading_with_unit, unit_of
from services.ledger.application.reports import Report
from shared.percentages import PLACES
from shared.spreadsheet_text import inert_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
POUNDS_FORMAT = '"£"#,##0.00;-"£"#,##0.00'
PERCENT_FORMAT = "0.0%"  # as the page shows it: one decimal place (`shared.percentages`)
# Control characters a spreadsheet cannot hold (openpyxl refuses the whole file): they reach
# the ledger in text it did not type itself, such as a school's name from another service.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Format(StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


def render(report: Report, output: Format, *, name: str) -> Response:
    if output is Format.CSV:
        return _download(_csv(report), "text/csv; charset=utf-8", f"{name}.csv")
    if output is Format.XLSX:
        return _download(_xlsx(report), XLSX, f"{name}.xlsx")
    return JSONResponse(
        jsonable_encoder(
            {
                "title": report.title,
                **report.summary,
                "columns": report.columns,
                "rows": report.rows,
                "headings": [
                    {"key": column, "heading": heading(column), "unit": unit_of(column)}
                    for column in report.readable_columns
                ],
            }
        )
    )


def _unit(row: dict[str, Any], column: str) -> Unit:
    """A column's unit follows its name; in a report of measures each row names its own."""
    return Unit(row["unit"]) if column == "value" and "unit" in row else unit_of(column)


def _figure(row: dict[str, Any], column: str) -> tuple[Any, Unit]:
    """A cell as a spreadsheet holds it: pence become pounds; a figure that cannot be worked
    out, or is words, is shown as the report words it."""
    value, unit = row.get(column), _unit(row, column)
    if column == "label" and "measure" in row:  # a measure's unit goes beside its name
        return heading_with_unit(row["measure"], Unit(row["unit"])), Unit.TEXT
    if column == "value" and (value is None or unit is Unit.TEXT):
        return row.get("shown", value), Unit.TEXT
    if unit is Unit.POUNDS and isinstance(value, int | float):
        return Decimal(round(value)) / 100, unit
    return _plain(value), unit


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, int | float | str | date):
        return value
    return str(value) if not isinstance(value, list | dict) else json.dumps(jsonable_encoder(value))


def _csv(report: Report) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = report.readable_columns
    writer.writerow([heading_with_unit(column) for column in columns])
    for row in report.rows:
        writer.writerow([_csv_cell(*_figure(row, column)) for column in columns])
    return buffer.getvalue().encode()


def _csv_cell(value: Any, unit: Unit) -> Any:
    """Pounds with two decimals, a percentage with the one decimal the page shows (without its
    % sign, which the heading carries), text a spreadsheet will not run."""
    if unit is Unit.POUNDS:
        return f"{value:.2f}"
    if unit is Unit.PERCENT and isinstance(value, int | float):
        return f"{value:.{PLACES}f}"
    return inert_cell(value)


def _xlsx(report: Report) -> bytes:
    from openpyxl import Workbook  # loaded on demand: only an export needs it

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = re.sub(r"[^A-Za-z0-9 ]", " ", report.title)[:31]
    columns = report.readable_columns
    sheet.append([heading_with_unit(column) for column in columns])
    for row in report.rows:
        sheet.append([_xlsx_cell(sheet, *_figure(row, column)) for column in columns])
    if report.summary:
        summary = book.create_sheet("Summary")
        for key, value in report.summary.items():
            figure = _figure({key: value}, key)
            summary.append([heading_with_unit(key), _xlsx_cell(summary, *figure)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet: Any, value: Any, unit: Unit) -> Any:
    """A number cell with its format: £ for money, % for a share (Excel keeps 19.89% as 0.1989);
    text as text."""
    from openpyxl.cell.cell import Cell

    if unit is Unit.POUNDS and isinstance(value, Decimal):
        cell = Cell(sheet, value=float(value))
        cell.number_format = POUNDS_FORMAT
        return cell
    if unit is Unit.PERCENT and isinstance(value, int | float):
        cell = Cell(sheet, value=value / 100)
        cell.number_format = PERCENT_FORMAT
        return cell
    if isinstance(value, str):
        # A string cell, which a spreadsheet shows and never runs: openpyxl would write text
        # that begins with "=" as a formula (see `shared.spreadsheet_text`).
        cell = Cell(sheet, value=_UNPRINTABLE.sub("", value))
        cell.data_type = "s"
        return cell
    return value


def _download(body: bytes, media_type: str, filename: str) -> Response:
    plain = re.sub(r"[^A-Za-z0-9._-]", "-", filename)  # a header holds Latin-1 only
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{plain}"'},
    )
