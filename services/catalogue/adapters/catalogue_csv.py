"""The catalogue as the spreadsheet admins keep: one service per row. Reading checks every row
and reports the first bad one by line and column; lists within a cell are split by ';'."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from pydantic import TypeAdapter, ValidationError

from services.catalogue.adapters.tariff_columns import PRICE_COLUMNS, BadCell, prices_from_cells
from services.catalogue.domain.service import Renewal, ServiceType, Status, Term
from shared.bounds import Label, Line, Paragraph
from shared.csv_text import dict_rows, refusing_unreadable
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
# the same bounds as the HTTP models put on these texts
BOUNDED = {
    column: TypeAdapter(bound)
    for column, bound in {
        "code": Label,
        "title": Line,
        "category": Label,
        "description": Paragraph,
        "phases": Line,
        "academic_years": Line,
        "provider": Line,
        "components": Paragraph,
        "cfr_code": Label,
    }.items()
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
        rows = [_row(reader.line_num, row) for row in reader]
    seen: set[str] = set()
    for row in rows:
        if row.code in seen:
            raise Invalid(f"line {row.line}, column code: {row.code} appears twice", field="file")
        seen.add(row.code)
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
    column = "code"
    try:
        if not cell["code"]:
            raise ValueError("a value is required")
        for column, bound in BOUNDED.items():
            bound.validate_python(cell[column])
        column = "service_type"
        service_type = ServiceType(cell["service_type"])
        column = "term"
        term = Term(cell["term"]) if cell["term"] else None
        column = "vat_rate"
        vat_rate = VatRate(cell["vat_rate"] or "standard")
        column = "discount_percent"
        discount = int(cell["discount_percent"] or "0")
        column = "status"
        status = Status(cell["status"] or "draft")
        column = "renews_every"
        renews_every = Renewal(cell["renews_every"]) if cell["renews_every"] else None
        column = "notice_days"
        notice_days = int(cell["notice_days"] or "0")
        prices = prices_from_cells(cell)
    except BadCell as error:
        raise _at(line, error.column, Invalid(str(error))) from error
    except ValidationError as error:
        raise _at(line, column, Invalid(error.errors()[0]["msg"])) from error
    except ValueError as error:
        raise _at(line, column, Invalid(str(error))) from error
    except DomainError as error:
        raise _at(line, COLUMN_OF.get(error.field or "", error.field or column), error) from error
    return CatalogueRow(
        line=line,
        code=cell["code"],
        title=cell["title"],
        service_type=service_type,
        category=cell["category"] or "General",
        description=cell["description"],
        phases=_split(cell["phases"]),
        academic_years=_split(cell["academic_years"]),
        term=term,
        provider=cell["provider"],
        vat_rate=vat_rate,
        prices=prices,
        components=_split(cell["components"]),
        discount_percent=discount,
        status=status,
        renews_every=renews_every,
        notice_days=notice_days,
        cfr_code=cell["cfr_code"],
    )


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(";") if part.strip())


def _at(line: int, column: str, error: DomainError) -> Invalid:
    return Invalid(f"line {line}, column {column}: {error.message}", field="file")
