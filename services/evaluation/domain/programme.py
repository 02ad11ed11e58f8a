"""A programme whose impact is evaluated: what it links to, who took part, who it is compared
with, and whether it can show impact at all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from services.evaluation.domain.padlocks import Design
from shared.api.evaluation import LinkKind as LinkKind
from shared.calendar import long_date
from shared.errors import Invalid


def school_year_ended(year: int) -> date:
    """The last day of the school year whose results are published as `year`'s: KS2 2025 is the
    tests of May 2025 and the teacher assessments of June, in the year to 31 August 2025."""
    return date(year, 8, 31)


@dataclass(frozen=True)
class Link:
    kind: LinkKind
    target_id: UUID


@dataclass(frozen=True)
class Participant:
    urn: int
    school_name: str
    source: str  # "order" or "deployment"
    since: date


@dataclass
class Programme:
    id: UUID
    title: str
    description: str
    starts_on: date
    randomised: bool
    links: tuple[Link, ...]
    created_on: date
    comparison_urns: tuple[int, ...] = ()
    comparison_matched: bool = False
    # its last day, if it has one: a school that joins after it, and money spent after it, are
    # not the programme's (a sale today is no part of a programme judged on 2025's results);
    # nor, before its first day, is last year's sale
    ends_on: date | None = None

    @classmethod
    def create(
        cls,
        *,
        title: str,
        description: str,
        starts_on: date,
        links: tuple[Link, ...],
        today: date,
        randomised: bool = False,
        ends_on: date | None = None,
    ) -> Programme:
        if not title.strip():
            raise Invalid("a programme needs a title", field="title")
        if ends_on is not None and ends_on < starts_on:
            raise Invalid("a programme ends on or after the day it starts", field="ends_on")
        if not links:
            raise Invalid(
                "link at least one catalogue service or commissioning case", field="links"
            )
        return cls(
            id=uuid4(),
            title=title.strip(),
            description=description,
            starts_on=starts_on,
            randomised=randomised,
            links=tuple(dict.fromkeys(links)),
            created_on=today,
            ends_on=ends_on,
        )

    def runs_on(self, day: date) -> bool:
        """Whether `day` is within the programme: from its start to its last day, if it has one."""
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)

    @property
    def latest_baseline_year(self) -> int:
        """The last year whose published results were all taken before the programme started."""
        starts_on = self.starts_on
        return (
            starts_on.year if starts_on > school_year_ended(starts_on.year) else starts_on.year - 1
        )

    def baseline_ran_in(self, year: int) -> str | None:
        """Why `year`'s published results are no baseline of the programme, if they are not:
        taken in a school year it ran in, they are partly its effect, and compared with later
        ones as a baseline they hide part of what it did."""
        if year <= self.latest_baseline_year:
            return None
        return (
            f"{year}'s results are of the school year to {long_date(school_year_ended(year))}"
            f", and the programme started on {long_date(self.starts_on)}"
        )

    def outcome_before(self, year: int) -> str | None:
        """Why `year`'s published results are no outcome of the programme, if they are not:
        their school year ended before it started."""
        if school_year_ended(year) >= self.starts_on:
            return None
        return (
            f"{year}'s results are of the school year to {long_date(school_year_ended(year))}"
            f", before the programme started on {long_date(self.starts_on)}"
        )

    def require_baseline_before(self, year: int) -> None:
        if why := self.baseline_ran_in(year):
            raise Invalid(
                f"{why}: a baseline comes before the programme, so take it from "
                f"{self.latest_baseline_year} or earlier",
                field="baseline_year",
            )

    def require_outcome_after(self, year: int) -> None:
        if why := self.outcome_before(year):
            raise Invalid(f"{why}: an outcome comes after it starts", field="outcome_year")

    @property
    def service_ids(self) -> set[UUID]:
        return {link.target_id for link in self.links if link.kind is LinkKind.SERVICE}

    @property
    def case_ids(self) -> set[UUID]:
        return {link.target_id for link in self.links if link.kind is LinkKind.CASE}

    @property
    def design(self) -> Design:
        if not self.comparison_urns:
            return Design.NONE
        if self.randomised:
            return Design.RANDOMISED
        return Design.MATCHED if self.comparison_matched else Design.UNMATCHED

    def choose_comparison(
        self, urns: tuple[int, ...], *, participants: set[int], matched: bool
    ) -> None:
        overlap = sorted(set(urns) & participants)
        if overlap:
            raise Invalid(f"schools {overlap} take part: they cannot also be the comparison")
        self.comparison_urns = tuple(dict.fromkeys(urns))
        self.comparison_matched = matched
