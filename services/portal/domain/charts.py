"""Bar charts drawn from numbers alone: each bar's length is a share of the longest."""

from __future__ import annotations

from dataclasses import dataclass

from shared.percentages import format_percent


@dataclass(frozen=True)
class Bar:
    label: str
    pence: int
    percent: int
    shown: str = ""  # the figure as printed beside the bar, when it is not an amount of money


def bars(values: list[tuple[str, int]]) -> list[Bar]:
    """Bars for non-negative amounts; a zero amount gets no bar, the largest a full one."""
    largest = max((pence for _, pence in values), default=0)
    return [
        Bar(label, pence, round(100 * pence / largest) if largest > 0 else 0)
        for label, pence in values
    ]


def percent_bars(values: list[tuple[str, float]]) -> list[Bar]:
    """Bars for percentages, each as long as its share of 100%."""
    return [
        Bar(label, 0, min(100, max(0, round(value))), format_percent(value))
        for label, value in values
    ]


@dataclass(frozen=True)
class Pair:
    """One label with this year's amount beside last year's, on one scale."""

    label: str
    now: Bar
    before: Bar


def paired_bars(values: list[tuple[str, int, int]]) -> list[Pair]:
    """This year's and last year's amounts for each label, drawn against the largest of all."""
    largest = max((max(now, before) for _, now, before in values), default=0)

    def bar(label: str, pence: int) -> Bar:
        return Bar(label, pence, round(100 * pence / largest) if largest > 0 else 0)

    return [
        Pair(label, bar("This year", now), bar("Last year", before))
        for label, now, before in values
    ]
