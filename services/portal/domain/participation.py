"""Which schools took part in each service, as the evaluator reads it: a school once per
service, since it first took part (the evaluation service lists each order or deployment that
made it a participant, so a school that bought twice was listed, and counted, twice)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from itertools import groupby
from typing import Protocol, TypeVar


class Participation(Protocol):
    @property
    def service_title(self) -> str: ...

    @property
    def school_name(self) -> str: ...

    @property
    def urn(self) -> int: ...

    @property
    def since(self) -> date: ...


P = TypeVar("P", bound=Participation)


def schools_by_service(found: Iterable[P]) -> list[tuple[str, list[P]]]:
    """Per service (by title), each school once, at its first participation, by name."""
    first: dict[tuple[str, int], P] = {}
    for row in sorted(found, key=lambda row: row.since):
        first.setdefault((row.service_title, row.urn), row)
    ordered = sorted(first.values(), key=lambda row: (row.service_title, row.school_name))
    return [(title, list(rows)) for title, rows in groupby(ordered, lambda row: row.service_title)]
