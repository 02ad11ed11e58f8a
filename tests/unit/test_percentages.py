"""Percentages as a finance reader reads them: one decimal place, from the whole numbers, and
shares of one whole that add up to 100.0%."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from shared.percentages import format_percent, percent, shares


def test_a_percentage_has_one_decimal_place_rounded_half_away_from_zero() -> None:
    assert percent(1, 3) == 33.3
    assert percent(2, 3) == 66.7
    assert percent(1, 8) == 12.5  # exactly
    assert percent(1, 16) == 6.3  # 6.25, half up: not to the even 6.2
    assert percent(-1, 16) == -6.3
    assert percent(5, 0) is None


def test_every_percentage_reads_with_one_decimal_place() -> None:
    assert format_percent(100.0) == "100.0%"
    assert format_percent(19.9) == "19.9%"
    assert format_percent(0.0) == "0.0%"
    assert format_percent(-2.5) == "-2.5%"
    assert format_percent(1234.5) == "1,234.5%"


def test_three_equal_shares_add_up_to_a_hundred_not_ninety_nine_point_nine() -> None:
    found = shares({"traded": 100_000, "statutory": 100_000, "grant": 100_000})
    assert sorted(v for v in found.values() if v is not None) == [33.3, 33.3, 33.4]
    assert shares({"a": 360_000, "b": 950_000, "c": 500_000}) == {"a": 19.9, "b": 52.5, "c": 27.6}
    assert shares({"a": 0, "b": 0}) == {"a": None, "b": None}


def test_a_share_below_nothing_is_rounded_on_its_own() -> None:
    assert shares({"traded": -10_000, "statutory": 40_000}) == {"traded": -33.3, "statutory": 133.3}


@given(st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=6))
def test_shares_add_up_to_a_hundred_and_each_is_within_a_tenth_of_the_truth(
    parts: list[int],
) -> None:
    whole = sum(parts)
    found = shares(dict(enumerate(parts)))
    if whole == 0:
        assert set(found.values()) == {None}
        return
    tenths = [round(Fraction(value or 0) * 10) for value in found.values()]
    assert sum(tenths) == 1000
    for part, share in zip(parts, tenths, strict=True):
        assert abs(Fraction(share, 10) - Fraction(100 * part, whole)) < Fraction(1, 10)
