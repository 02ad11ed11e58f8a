"""Reading results from a CSV upload: every bad row is reported by its line, and a file with
any bad row is refused whole.

A row carries either one school's value (`urn,stage,value[,pupils]`) or a group summary
(`group,stage,mean,sd,n`); one file may hold both kinds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from services.evaluation.domain.measure import (
    Group,
    GroupResult,
    Results,
    SchoolResult,
    Stage,
    describe,
)
from shared.csv_text import FittedRows, decimal, dict_rows, integer, refusing_unreadable
from shared.errors import DomainError, Invalid

T = TypeVar("T")


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str


class BadRows(Invalid):
    def __init__(self, problems: list[RowProblem]) -> None:
        summary = "; ".join(f"line {p.line}: {p.message}" for p in problems)
        super().__init__(f"nothing was stored; {summary}", field="file")
        self.problems = problems

    @classmethod
    def at(cls, line: int, message: str) -> BadRows:
        return cls([RowProblem(line, message)])


def read_results(text: str) -> Results:
    reader = dict_rows(text)
    with refusing_unreadable(reader, refusal=BadRows.at):
        return _results(reader)


def _results(reader: FittedRows) -> Results:
    columns = {name.strip().lower() for name in reader.fieldnames or []}
    if "stage" not in columns or not ({"urn", "value"} <= columns or {"group", "mean"} <= columns):
        raise BadRows([RowProblem(1, "the header needs stage and urn,value or group,mean,sd,n")])
    schools: list[SchoolResult] = []
    groups: list[GroupResult] = []
    problems: list[RowProblem] = []
    first_line: dict[object, int] = {}
    for row in reader:
        cells = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        try:
            result = _result(cells)
            if result.key in first_line:
                raise Invalid(
                    f"a second result for {describe(result)} (the first is on line "
                    f"{first_line[result.key]})"
                )
            first_line[result.key] = reader.line
            if isinstance(result, SchoolResult):
                schools.append(result)
            else:
                groups.append(result)
        except DomainError as error:
            problems.append(RowProblem(reader.line, error.message))
    if problems:
        raise BadRows(problems)
    if not schools and not groups:
        raise BadRows([RowProblem(1, "the file holds no rows")])
    return Results(schools=tuple(schools), groups=tuple(groups))


def _result(cells: dict[str, str]) -> SchoolResult | GroupResult:
    if cells.get("urn"):
        return _school(cells)
    if cells.get("group"):
        return _group(cells)
    raise Invalid("a row needs a urn or a group")


def _school(cells: dict[str, str]) -> SchoolResult:
    pupils = cells.get("pupils")
    return SchoolResult(
        urn=_parse(cells, "urn", integer),
        stage=_parse(cells, "stage", Stage),
        value=_parse(cells, "value", decimal),
        pupils=_parse(cells, "pupils", integer) if pupils else None,
    )


def _group(cells: dict[str, str]) -> GroupResult:
    return GroupResult.reported(
        group=_parse(cells, "group", Group),
        stage=_parse(cells, "stage", Stage),
        mean=_parse(cells, "mean", decimal),
        sd=_parse(cells, "sd", decimal),
        n=_parse(cells, "n", integer),
    )


def _parse(cells: dict[str, str], name: str, kind: Callable[[str], T]) -> T:
    text = cells.get(name, "")
    try:
        return kind(text)
    except ValueError:
        raise Invalid(f"{name}: {text!r} is not valid") from None
