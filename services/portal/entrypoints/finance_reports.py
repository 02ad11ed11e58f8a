"""The tables behind the finance dashboard's charts: every ledger report as a page, and as the
CSV or XLSX file the ledger exports."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from services.portal.adapters.ledger import Heading
from services.portal.entrypoints.finance import Finance
from services.portal.entrypoints.rendering import download, render
from shared.money import format_pounds

router = APIRouter(prefix="/finance/reports")

REPORTS = {
    "traded-income": "Traded income",
    "aged-debt": "Aged debt",
    "sustainability": "Sustainability",
    "statutory-by-contract": "Statutory income by contract",
    "trial-balance": "Trial balance",
}
BY = ("month", "service", "category", "school", "phase", "la")


def _params(name: str, by: str) -> dict[str, str]:
    """What the ledger is asked for: a known report, and for traded income how to group it."""
    if name not in REPORTS:
        raise HTTPException(404)
    return {"by": by if by in BY else "category"} if name == "traded-income" else {}


@router.get("/{name}")
async def report_page(request: Request, name: str, you: Finance, by: str = "category") -> Response:
    params = _params(name, by)
    report = await you.apis.ledger.report(name, **params)
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return render(
        request,
        "finance/report.html",
        name=name,
        report=report,
        query=query,
        by=params.get("by"),
        choices=BY,
        cell=shown,
    )


@router.get("/{name}/{file_format}")
async def report_file(
    name: str, file_format: Literal["csv", "xlsx"], you: Finance, by: str = "category"
) -> Response:
    params = _params(name, by)
    return download(await you.apis.ledger.report_file(name, file_format, **params))


def shown(column: Heading, row: dict[str, Any]) -> str:
    """A report's cell as a person reads it, in the unit the ledger gives its column: pence in
    pounds; a measure the ledger has already put in words."""
    value = row.get(column.key)
    if column.key == "value" and "shown" in row:
        return str(row["shown"])
    if value is None:
        return ""
    if column.unit == "pounds" and isinstance(value, int | float):
        return format_pounds(round(value))
    if column.unit == "percent" and isinstance(value, int | float):
        return f"{value:g}%"
    return str(value)
