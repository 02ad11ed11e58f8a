"""A measured figure as a person reads it: a KPI's target and the actuals reported against it."""

from __future__ import annotations


def format_measurement(value: float) -> str:
    """'94.999995', '95': exactly the figure given, never rounded, so an actual that missed
    its target by a hair never reads as the target itself. A whole number drops its '.0'."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))
