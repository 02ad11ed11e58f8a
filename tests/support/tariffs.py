"""Tariffs as the catalogue API takes them (shared.tariffs as JSON), written briefly."""

from __future__ import annotations

from typing import Any


def flat(pence: int) -> dict[str, Any]:
    return {"kind": "flat", "pence": pence}


def banded(bands: dict[int, int]) -> dict[str, Any]:
    """{from pupils: pence}: `banded({0: 250000, 201: 325000})`."""
    return {
        "kind": "banded_by_pupils",
        "bands": [{"from_pupils": start, "pence": pence} for start, pence in bands.items()],
    }


def per_pupil(rate: int, minimum: int = 0, maximum: int | None = None) -> dict[str, Any]:
    return {
        "kind": "per_pupil",
        "per_pupil_pence": rate,
        "minimum_pence": minimum,
        "maximum_pence": maximum,
    }


def day_rate(pence: int, half_day: int | None = None) -> dict[str, Any]:
    return {"kind": "day_rate", "pence": pence, "half_day_pence": half_day}
