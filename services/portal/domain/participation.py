"""Which schools took part in each service, as the evaluator reads it: a school once per
service, since it first took part (the evaluation service lists each order or deployment that
made it a participant, so a school that bought twice was listed, and counted, twice)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Protocol, TypeVar
from uuid import UUID


class Participation(Protocol):
    @property
    def service_id(self) -> UUID: ...

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
    """Per service, under its latest title, each school once, at its first participation, by
    name. A participation keeps the title its order had, so a service renamed in the catalogue
    since is known by the title of its latest participation."""
    in_time = sorted(found, key=lambda row: row.since)
    titles = {row.service_id: row.service_title for row in in_time}
    first: dict[tuple[UUID, int], P] = {}
    for row in in_time:
        first.setdefault((row.service_id, row.urn), row)
    schools: defaultdict[UUID, list[P]] = defaultdict(list)
    for row in sorted(first.values(), key=lambda row: row.school_name):
        schools[row.service_id].append(row)
    by_title = sorted((titles[service], service) for service in schools)
    return [(title, schools[service]) for title, service in by_title]
