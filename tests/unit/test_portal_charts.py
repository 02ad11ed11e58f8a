from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from services.portal.domain.charts import Bar, bars, paired_bars, percent_bars


def test_the_largest_amount_gets_a_full_bar_and_the_others_their_share() -> None:
    assert bars([("Traded", 180_000), ("Statutory", 30_000_000)]) == [
        Bar("Traded", 180_000, 1),
        Bar("Statutory", 30_000_000, 100),
    ]


def test_nothing_posted_draws_empty_bars() -> None:
    assert bars([("Traded", 0), ("Statutory", 0)]) == [
        Bar("Traded", 0, 0),
        Bar("Statutory", 0, 0),
    ]
    assert bars([]) == []


@given(st.lists(st.integers(min_value=0, max_value=10**12), min_size=1))
def test_every_bar_fits_the_chart(amounts: list[int]) -> None:
    drawn = bars([(str(index), pence) for index, pence in enumerate(amounts)])
    assert all(0 <= bar.percent <= 100 for bar in drawn)
    if max(amounts) > 0:
        assert max(bar.percent for bar in drawn) == 100


def test_percentages_are_drawn_against_a_hundred_and_printed_as_percentages() -> None:
    assert percent_bars([("Primary", 42.5), ("Secondary", 100.0), ("Odd", 130.0)]) == [
        Bar("Primary", 0, 42, "42.5%"),
        Bar("Secondary", 0, 100, "100.0%"),
        Bar("Odd", 0, 100, "130.0%"),
    ]


def test_this_year_and_last_year_share_one_scale() -> None:
    (november, december) = paired_bars([("November", 50_000, 100_000), ("December", 25_000, 0)])
    assert (november.now.percent, november.before.percent) == (50, 100)
    assert (december.now.percent, december.before.percent) == (25, 0)
    assert paired_bars([("Nothing", 0, 0)])[0].now.percent == 0
