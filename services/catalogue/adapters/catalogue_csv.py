"""The catalogue as the spreadsheet admins keep: one service per row. Reading checks every row
and reports the first bad one by line and column; lists within a cell are split by ';'."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from services.catalogue.adapters.tariff_columns import PRICE_COLUMNS, BadCell, prices_from_cells
from services.catalogue.domain.service import Renewal, ServiceType, Status, Term
from shared.api.catalogue import ProviderCreate, ServiceCreate
from shared.bounds import Items
from shared.csv_text import dict_rows, integer, refusing_unreadable
from shared.errors import DomainError, Invalid
from shared.money import VatRate
from shared.spreadsheet_text import as_typed, inert_cell
from shared.tariffs import Prices

COLUMNS = (
    "code",
    "title",
    "service_type",
    "category",
    "description",
    "phases",
    "academic_years",
    "term",
    "provider",
    "vat_rate",
    "components",
    "discount_percent",
    "status",
    *PRICE_COLUMNS,
)
# Columns a sheet may leave out (it was written before they existed); an export writes them.
OPTIONAL_COLUMNS = ("renews_every", "notice_days", "cfr_code")
# a domain error's field -> the column that holds it
COLUMN_OF = {"provider_id": "provider", "id": "status"}


def _rule(model: type[BaseModel], field: str) -> TypeAdapter[Any]:
    """The HTTP model's type for the field, with its constraints."""
    return TypeAdapter(model.model_fields[field].rebuild_annotation())


_CODE: Any = ServiceCreate.model_fields["code"].rebuild_annotation()
# Each column checked as the HTTP API checks what it holds: a sheet names a service's provider
# and components where the API takes their ids.
RULES: dict[str, TypeAdapter[Any]] = {
    "code": _rule(ServiceCreate, "code"),
    "title": _rule(ServiceCreate, "title"),
    "service_type": _rule(ServiceCreate, "service_type"),
    "category": _rule(ServiceCreate, "category"),
    "description": _rule(ServiceCreate, "description"),
    "phases": _rule(ServiceCreate, "phases"),
    "academic_years": _rule(ServiceCreate, "academic_years"),
    "term": _rule(ServiceCreate, "term"),
    "provider": _rule(ProviderCreate, "name"),
    "vat_rate": _rule(ServiceCreate, "vat_rate"),
    "components": TypeAdapter(Annotated[tuple[_CODE, ...], Items]),
    "discount_percent": _rule(ServiceCreate, "discount_percent"),
    "status": TypeAdapter(Status),
    "renews_every": _rule(ServiceCreate, "renews_every"),
    "notice_days": _rule(ServiceCreate, "notice_days"),
    "cfr_code": _rule(ServiceCreate, "cfr_code"),
}
LISTS = ("phases", "academic_years", "components")
# read as typed: pydantic, like `int`, takes "1_0" as 10 and other scripts' digits as ours
WHOLE_NUMBERS = ("discount_percent", "notice_days")
# what an empty cell means: the HTTP model's default, or the sheet's own
WHEN_EMPTY: dict[str, Any] = {
    **{
        column: field.get_default()
        for column, field in ServiceCreate.model_fields.items()
        if column in RULES and not field.is_required()
    },
    "category": "General",
    "provider": "",
    "status": Status.DRAFT,
}


@dataclass(frozen=True)
class CatalogueRow:
    line: int
    code: str
    title: str
    service_type: ServiceType
    category: str
    description: str
    phases: tuple[str, ...]
    academic_years: tuple[str, ...]
    term: Term | None
    provider: str
    vat_rate: VatRate
    prices: Prices
    components: tuple[str, ...]
    discount_percent: int
    status: Status
    renews_every: Renewal | None = None
    notice_days: int = 0
    cfr_code: str = ""  # empty: the usual code for its category

    @contextmanager
    def reporting(self) -> Iterator[None]:
        """Name this row's line and the column at fault in any refusal raised inside."""
        try:
            yield
        except DomainError as error:
            column = COLUMN_OF.get(error.field or "", error.field or "?")
            raise _at(self.line, column, error) from error


def read_catalogue(text: str) -> list[CatalogueRow]:
    reader = dict_rows(text)
    with refusing_unreadable(reader):
        missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            raise Invalid(f"line 1: missing column(s) {', '.join(missing)}", field="file")
        rows = [_row(reader.line, row) for row in reader]
    first_line: dict[str, int] = {}
    for row in rows:
        if row.code in first_line:
            raise _at(
                row.line, "code", Invalid(f"{row.code} is on line {first_line[row.code]} too")
            )
        first_line[row.code] = row.line
    return rows


def write_catalogue(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS + OPTIONAL_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({column: inert_cell(value) for column, value in row.items()} for row in rows)
    return out.getvalue()


def cell_list(values: tuple[str, ...]) -> str:
    return ";".join(values)


def _row(line: int, row: dict[str, str]) -> CatalogueRow:
    cell = {
        column: as_typed((row.get(column) or "").strip()) for column in COLUMNS + OPTIONAL_COLUMNS
    }
    values: dict[str, Any] = {}
    try:
        for column, rule in RULES.items():
            values[column] = _checked(rule, column, cell[column])
        prices = prices_from_cells(cell)
    except BadCell as error:
        raise _at(line, error.column, Invalid(str(error))) from error
    except ValidationError as error:
        raise _at(line, column, Invalid(_problem(error))) from error
    return CatalogueRow(line=line, prices=prices, **values)


def _checked(rule: TypeAdapter[Any], column: str, cell: str) -> Any:
    if column in LISTS:
        return rule.validate_python(_split(cell))
    if not cell and column in WHEN_EMPTY:
        return WHEN_EMPTY[column]
    if column in WHOLE_NUMBERS:
        try:
            number = integer(cell)
        except ValueError as error:
            raise BadCell(column, str(error)) from error
        return rule.validate_python(number)
    return rule.validate_python(cell)


def _problem(error: ValidationError) -> str:
    """The first problem; in a list, with the part at fault."""
    problem = error.errors()[0]
    return f"{problem['input']!r}: {problem['msg']}" if problem["loc"] else problem["msg"]


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(";") if part.strip())


def _at(line: int, column: str, error: DomainError) -> Invalid:
    return Invalid(f"line {line}, column {column}: {error.message}", field="file")
