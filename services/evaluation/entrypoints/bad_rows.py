"""A file refused row by row, as HTTP: 422 with every bad row's line and what is wrong with it."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from services.evaluation.domain.results_csv import BadRows

MOST_ROWS_LISTED = 200  # a wholly wrong file would otherwise list every one of its rows
BAD_ROWS: dict[int | str, dict[str, Any]] = {
    422: {"description": "bad rows, each reported by line; nothing stored"}
}


def bad_rows_response(error: BadRows) -> JSONResponse:
    return JSONResponse(
        {
            "detail": error.message,
            "field": error.field,
            "errors": [
                {"line": p.line, "message": p.message} for p in error.problems[:MOST_ROWS_LISTED]
            ],
        },
        status_code=422,
    )
