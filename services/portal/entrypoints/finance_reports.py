"""The tables behind the finance dashboard's charts: every ledger report as a page, and as the
CSV or XLSX file the ledger exports."""

from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from services.portal.entrypoints.rendering import download, render
from services.portal.entrypoints.roles import Finance
from shared.api.ledger import HeadingPublic, MeasurePublic, ReportRowPublic
from shared.money import format_pounds
from shared.percentages import format_percent

router = APIRouter(prefix="/finance/reports")

REPORTS = {
    "traded-income": "Traded income",
    "statutory-income": "Statutory income",
    "aged-debt": "Aged debt",
    "sustainability": "Sustainability",
    "statutory-by-contract": "Statutory income by contract",
    "trial-balance": "Trial balance",
}
BY = {  # how each income report may be grouped, the first choice its default
    "traded-income": ("category", "month", "service", "cfr", "school", "phase", "la", "account"),
    "statutory-income": ("account", "month"),
}


def _params(name: str, by: str, as_of: date | None) -> dict[str, str]:
    """What the ledger is asked for: a known report, for income how to group it, and the day
    its figures are as of (the ledger's today unless given)."""
    if name not in REPORTS:
        raise HTTPException(404)
    params = {"as_of": as_of.isoformat()} if as_of else {}
    if name in BY:
        params["by"] = by if by in BY[name] else BY[name][0]
    return params


@router.get("/{name}")
async def report_page(
    request: Request, name: str, you: Finance, by: str = "category", as_of: date | None = None
) -> Response:
    params = _params(name, by, as_of)
    report = await you.apis.ledger.report(name, **params)
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return render(
        request,
        "finance/report.html",
        name=name,
        report=report,
        query=query,
        by=params.get("by"),
        choices=BY.get(name, ()),
        cell=shown,
    )


@router.get("/{name}/{file_format}")
async def report_file(
    name: str,
    file_format: Literal["csv", "xlsx"],
    you: Finance,
    by: str = "category",
    as_of: date | None = None,
) -> Response:
    params = _params(name, by, as_of)
    return download(await you.apis.ledger.report_file(name, file_format, **params))


def shown(column: HeadingPublic, row: ReportRowPublic) -> str:
    """A report's cell as a person reads it, in the unit the ledger gives its column: pence in
    pounds; a measure the ledger has already put in words. Any report's table is drawn by the
    columns it names, so a cell is found by its column's key."""
    if isinstance(row, MeasurePublic) and column.key == "value":
        return row.shown
    value = row.cells().get(column.key)
    if value is None:
        return ""
    if column.unit == "pounds" and isinstance(value, int | float):
        return format_pounds(round(value))
    if column.unit == "percent" and isinstance(value, int | float):
        return format_percent(value)
    return str(value)
