"""The academic years a service is sold for: the one rule the catalogue quotes and offers by
and orders checks a basket's quoted lines by at checkout."""

from __future__ import annotations

from collections.abc import Collection


def sold_in(years_sold: Collection[str], year: str) -> bool:
    """A service that lists academic years is sold only in those; one listing none, in any."""
    return not years_sold or year in years_sold
