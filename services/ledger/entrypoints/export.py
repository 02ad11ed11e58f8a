"""A report as JSON, CSV or XLSX: the same columns and rows in each."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from enum import StrEnum
from typing import Any

from fastapi import Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from services.ledger.application.reports import Report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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
            }
        )
    )


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return _UNPRINTABLE.sub("", value)
    if value is None or isinstance(value, int | float | date):
        return value
    return _cell(
        json.dumps(jsonable_encoder(value)) if isinstance(value, list | dict) else str(value)
    )


def _csv(report: Report) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(report.columns)
    for row in report.rows:
        writer.writerow([_cell(row.get(column)) for column in report.columns])
    return buffer.getvalue().encode()


def _xlsx(report: Report) -> bytes:
    from openpyxl import Workbook  # loaded on demand: only an export needs it

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = re.sub(r"[^A-Za-z0-9 ]", " ", report.title)[:31]
    sheet.append([_cell(column) for column in report.columns])
    for row in report.rows:
        sheet.append([_cell(row.get(column)) for column in report.columns])
    if report.summary:
        summary = book.create_sheet("Summary")
        for key, value in report.summary.items():
            summary.append([_cell(key), _cell(value)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _download(body: bytes, media_type: str, filename: str) -> Response:
    plain = re.sub(r"[^A-Za-z0-9._-]", "-", filename)  # a header holds Latin-1 only
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{plain}"'},
    )
