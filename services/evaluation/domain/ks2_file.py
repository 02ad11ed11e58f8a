"""Reading the DfE's Key Stage 2 performance-table file exactly as it is published.

One row per school; the year's figures sit under plain column names (PTRWM_EXP, READ_AVERAGE,
TELIG, …) and the two years before under the same names suffixed with the year (_24, _23).
Withheld figures are markers such as SUPP or NE: read as missing, with the marker kept. Rows end
early when their trailing fields are empty. Totals for the LA and England (RECTYPE 3-5, no URN)
are not schools and are passed over; any other bad row is reported by its line, and a file with
a bad row is refused whole.
"""

from __future__ import annotations

from services.evaluation.domain.published_results import (
    VALID_RANGE,
    PublishedMeasure,
    PublishedResult,
)
from services.evaluation.domain.results_csv import BadRows, RowProblem
from shared.api.evaluation import FIRST_YEAR, LAST_YEAR
from shared.csv_text import (
    NumberedRows,
    decimal,
    refuse_beyond_header,
    refuse_repeated,
    refusing_unreadable,
    rows,
    whole_number,
)
from shared.errors import Invalid
from shared.limits import COUNTS, URNS

COLUMNS = {
    "PTRWM_EXP": PublishedMeasure.RWM_EXPECTED,
    "READ_AVERAGE": PublishedMeasure.READING_SCORE,
    "MAT_AVERAGE": PublishedMeasure.MATHS_SCORE,
    "PTFSM6CLA1A": PublishedMeasure.DISADVANTAGED,
}
COHORT = "TELIG"
# The DfE's markers for a figure it does not publish (performance tables' metadata).
MISSING_MARKERS = frozenset(
    {"SUPP", "NE", "NEW", "LOWCOV", "NA", "NP", "DNS", "LOW", "NEWLOW", "SP", "X", "Z", "C"}
)
TOTAL_RECORD_TYPES = frozenset({"3", "4", "5"})
MAINSTREAM, SPECIAL = "1", "2"  # RECTYPE of a mainstream and of a special school


def read_ks2_file(text: str, *, year: int) -> list[PublishedResult]:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Invalid(f"year must be between {FIRST_YEAR} and {LAST_YEAR}", field="year")
    reader = rows(text)
    with refusing_unreadable(reader, refusal=BadRows.at):
        return _results(reader, year)


def _results(reader: NumberedRows, year: int) -> list[PublishedResult]:
    header = [name.strip().upper() for name in next(reader, [])]
    refuse_repeated(header)
    columns = _columns(header, year)
    found: list[PublishedResult] = []
    problems: list[RowProblem] = []
    first_line: dict[int, int] = {}
    for row in reader:
        line = reader.line
        refuse_beyond_header(len(header), row[len(header) :])
        cells = dict(zip(header, (cell.strip() for cell in row), strict=False))
        if not any(cells.values()) or _is_total(cells):
            continue
        try:
            urn = _urn(cells)
            if urn in first_line:
                raise Invalid(f"URN: {urn} is on line {first_line[urn]} too")
            first_line[urn] = line
            found += _school(urn, cells, columns)
        except Invalid as error:
            problems.append(RowProblem(line, error.message))
    if problems:
        raise BadRows(problems)
    if not found:
        raise BadRows([RowProblem(1, "the file holds no school's results")])
    return found


Columns = list[tuple[str, PublishedMeasure, int, str]]  # column, measure, year, cohort column


def _columns(header: list[str], year: int) -> Columns:
    if "URN" not in header:
        raise BadRows([RowProblem(1, "the header has no URN column")])
    suffixes = {
        "": year,
        f"_{(year - 1) % 100:02d}": year - 1,
        f"_{(year - 2) % 100:02d}": year - 2,
    }
    columns = [
        (name + suffix, measure, when, COHORT + suffix)
        for name, measure in COLUMNS.items()
        for suffix, when in suffixes.items()
        if name + suffix in header
    ]
    if not columns:
        raise BadRows([RowProblem(1, f"the header has none of the columns {', '.join(COLUMNS)}")])
    return columns


def _is_total(cells: dict[str, str]) -> bool:
    return not cells.get("URN") and cells.get("RECTYPE", "") in TOTAL_RECORD_TYPES


def _urn(cells: dict[str, str]) -> int:
    text = cells.get("URN", "")
    return _number(text, within=URNS, problem=f"URN: {text!r} is not a school's URN")


def _school(urn: int, cells: dict[str, str], columns: Columns) -> list[PublishedResult]:
    kind = cells.get("RECTYPE", "")
    mainstream = {MAINSTREAM: True, SPECIAL: False}.get(kind)
    results = []
    for column, measure, year, cohort_column in columns:
        text = cells.get(column, "")
        if not text:
            continue
        if text.upper() in MISSING_MARKERS:
            value, marker = None, text.upper()
        else:
            value, marker = _value(column, text, measure), None
        cohort = _cohort(cells, cohort_column)
        results.append(PublishedResult(urn, measure, year, value, cohort, marker, mainstream))
    return results


def _value(column: str, text: str, measure: PublishedMeasure) -> float:
    try:
        value = decimal(text.removesuffix("%"))
    except ValueError:
        raise Invalid(f"{column}: {text!r} is neither a number nor a DfE marker") from None
    low, high = VALID_RANGE[measure]
    if not low <= value <= high:
        raise Invalid(f"{column}: {text!r} is outside {low:g}-{high:g}")
    return value


def _cohort(cells: dict[str, str], column: str) -> int | None:
    text = cells.get(column, "")
    if not text or text.upper() in MISSING_MARKERS:
        return None
    problem = f"{column}: {text!r} is not a number of pupils"
    return _number(text, within=COUNTS, problem=problem)


def _number(text: str, *, within: range, problem: str) -> int:
    try:
        return whole_number(text, within=within)
    except ValueError:
        raise Invalid(problem) from None
