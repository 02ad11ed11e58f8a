"""The published years that can judge a programme: a baseline taken before it started, an
outcome after. Choosing other years is refused, but measures tracked (and comparisons matched)
before that rule may still name them: the report sets such a measure aside from its estimates
and says, at its head, how many were set aside and why."""

from __future__ import annotations

from services.evaluation.domain.outcome_analysis import OutcomeAnalysis, TrackedMeasure
from services.evaluation.domain.programme import Programme
from services.evaluation.domain.published_results import MEASURE_NAMES


def why_set_aside(programme: Programme, tracked: TrackedMeasure) -> str | None:
    """Why this measure's years cannot judge the programme, if they cannot."""
    if why := programme.baseline_ran_in(tracked.baseline_year):
        return (
            f"its baseline is from a school year the programme ran in ({why}), so those "
            "results are partly its effect; track it again from "
            f"{programme.latest_baseline_year} or earlier"
        )
    if why := programme.outcome_before(tracked.outcome_year):
        return f"its outcome is from before the programme ({why}); track it again from a later year"
    return None


def set_aside_summary(analyses: list[OutcomeAnalysis]) -> str | None:
    """'1 of 3 measures tracked is set aside …': how many, whose results, and why."""
    set_aside = [a for a in analyses if a.set_aside]
    if not set_aside:
        return None
    taking_part = sum(a.groups[0].coverage.usable for a in set_aside)
    compared = sum(a.groups[1].coverage.usable for a in set_aside)
    one = len(set_aside) == 1
    each = " ".join(
        f"{MEASURE_NAMES[a.tracked.measure].capitalize()}, {a.tracked.baseline_year} to "
        f"{a.tracked.outcome_year}: {a.set_aside}."
        for a in set_aside
    )
    return (
        f"{len(set_aside)} of {len(analyses)} measures tracked {'is' if one else 'are'} set "
        f"aside from the estimates and effect sizes, and with {'it' if one else 'them'} the "
        f"results of {taking_part} participating and {compared} comparison schools. {each} "
        f"{'It was' if one else 'They were'} tracked before such years were refused."
    )


def matched_on_a_year_it_ran_in(programme: Programme, baseline_year: int | None) -> str | None:
    """What the report says of a comparison matched on results the programme had moved."""
    why = programme.baseline_ran_in(baseline_year) if baseline_year is not None else None
    if why is None:
        return None
    return (
        f"The comparison schools were matched on {baseline_year} results ({why}), partly the "
        "programme's effect, so they may be matched on what it changed: match them again on "
        f"{programme.latest_baseline_year} or earlier."
    )
