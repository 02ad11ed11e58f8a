"""A service's tariffs in the catalogue spreadsheet: for each kind of school a `<who>_tariff`
column naming the kind (flat, banded_by_pupils, per_pupil, flat_plus_per_pupil,
per_pupil_by_phase, day_rate) and one column per term, in pence, left blank where the kind has
no such term. Bands read "from pupils:pence", separated by ';': `0:265000;151:325000`."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from shared.tariffs import Prices, Tariff

WHO = ("maintained", "academy", "out_of_area")
TERMS = (
    "pence",
    "half_day_pence",
    "per_pupil_pence",
    "minimum_pence",
    "maximum_pence",
    "bands",
    "primary_pence",
    "secondary_pence",
    "all_through_pence",
    "special_pence",
    "nursery_pence",
)
PRICE_COLUMNS = tuple(
    column for who in WHO for column in (f"{who}_tariff", *(f"{who}_{term}" for term in TERMS))
)


class BadCell(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def prices_from_cells(cells: dict[str, str]) -> Prices:
    """The tariffs in a row's price columns; raises BadCell naming the column at fault."""
    given = {who: _tariff_terms(who, cells) for who in WHO}
    try:
        return Prices.model_validate({who: terms for who, terms in given.items() if terms})
    except ValidationError as error:
        problem = error.errors()[0]
        where = [str(part) for part in problem["loc"]]
        term = where[2] if len(where) > 2 and where[2] in TERMS else "tariff"
        raise BadCell(f"{where[0]}_{term}", problem["msg"]) from error


def cells_from_prices(prices: Prices) -> dict[str, str]:
    cells = dict.fromkeys(PRICE_COLUMNS, "")
    for who in WHO:
        tariff: Tariff | None = getattr(prices, who)
        if tariff is None:
            continue
        for term, value in tariff.model_dump(exclude_none=True).items():
            column = f"{who}_{term}" if term != "kind" else f"{who}_tariff"
            cells[column] = _bands_cell(value) if term == "bands" else str(value)
    return cells


def _tariff_terms(who: str, cells: dict[str, str]) -> dict[str, Any]:
    kind = cells.get(f"{who}_tariff", "")
    terms: dict[str, Any] = {
        term: cells[f"{who}_{term}"] for term in TERMS if cells.get(f"{who}_{term}")
    }
    if not kind:
        if terms:
            raise BadCell(f"{who}_tariff", "name the kind of tariff for the terms given")
        return {}
    if "bands" in terms:
        terms["bands"] = _bands(f"{who}_bands", terms["bands"])
    return {"kind": kind, **terms}


def _bands(column: str, cell: str) -> list[dict[str, str]]:
    bands = []
    for part in cell.split(";"):
        start, colon, pence = part.partition(":")
        if not colon:
            raise BadCell(column, f"{part.strip()!r} is not 'from pupils:pence', e.g. 151:325000")
        bands.append({"from_pupils": start.strip(), "pence": pence.strip()})
    return bands


def _bands_cell(bands: list[dict[str, int]]) -> str:
    return ";".join(f"{band['from_pupils']}:{band['pence']}" for band in bands)
