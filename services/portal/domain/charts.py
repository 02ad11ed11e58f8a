"""Bar charts drawn from numbers alone: each bar's length is a share of the longest."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    pence: int
    percent: int


def bars(values: list[tuple[str, int]]) -> list[Bar]:
    """Bars for non-negative amounts; a zero amount gets no bar, the largest a full one."""
    largest = max((pence for _, pence in values), default=0)
    return [
        Bar(label, pence, round(100 * pence / largest) if largest > 0 else 0)
        for label, pence in values
    ]
