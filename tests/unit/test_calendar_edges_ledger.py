"""Income over a term, at the calendar's edges (leap days, months of 28 to 31 days, December
into January, the first of April): every calendar month the term touches earns once, on its
last day within the term, never before the sale; a cancellation's credit takes back, to the
penny, the income of just the months that begin after the day of cancellation."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from services.ledger.domain.periods import first_of_next_month, posting_date
from services.ledger.domain.recognition import schedule
from services.ledger.domain.reports import a_year_earlier, year_bounds, year_to_date
from services.orders.domain.refunds import months_between, unused_from
from shared.calendar import financial_year
from shared.money import last_months_share

EDGES = [
    date(2027, 1, 31),
    date(2027, 2, 28),
    date(2027, 3, 31),
    date(2027, 4, 1),
    date(2027, 8, 31),
    date(2027, 9, 1),
    date(2027, 12, 31),
    date(2028, 1, 1),
    date(2028, 2, 28),
    date(2028, 2, 29),
    date(2028, 3, 1),
    date(2028, 3, 31),
    date(2028, 4, 30),
    date(2028, 5, 31),
]
days = st.one_of(st.sampled_from(EDGES), st.dates(date(2027, 1, 1), date(2030, 12, 31)))
term_lengths = st.sampled_from([0, 27, 28, 29, 30, 31, 365, 366, 730, 731]) | st.integers(0, 800)


def months_from(first: date, count: int) -> date:
    """The day before the same day `count` months on, clamped to month ends: a term of
    `count` months from a first of the month ends on the last day of its last month."""
    day = first.replace(day=1)
    for _ in range(count):
        day = first_of_next_month(day)
    return day - timedelta(days=1)


@given(start=days, length=term_lengths, before=st.integers(0, 400), pence=st.integers(0, 10**7))
def test_each_month_the_term_touches_earns_once_on_its_last_day_within_the_term(
    start: date, length: int, before: int, pence: int
) -> None:
    end = start + timedelta(days=length)
    sold_on = start - timedelta(days=before)
    parts = schedule(pence, sold_on=sold_on, term_start=start, term_end=end)
    assert sum(part for _, part in parts) == pence
    on = [day for day, _ in parts]
    assert on == sorted(set(on))
    assert all(start <= day <= end and day >= sold_on for day in on)
    assert {(day.year, day.month) for day in on} <= {
        (month.year, month.month) for month in _months(start, end)
    }
    for day in on:
        assert day == end or (day + timedelta(days=1)).day == 1
    if pence >= months_between(start, end):  # every month has at least a penny
        assert len(parts) == months_between(start, end)


def _months(start: date, end: date) -> list[date]:
    found, month = [], start.replace(day=1)
    while month <= end:
        found.append(month)
        month = first_of_next_month(month)
    return found


@given(
    first=st.sampled_from([date(2027, 9, 1), date(2028, 2, 1), date(2028, 4, 1)])
    | st.dates(date(2027, 1, 1), date(2030, 12, 1)).map(lambda d: d.replace(day=1)),
    months=st.sampled_from([1, 12, 24]),
    cancelled_after=st.integers(-60, 800),
    sold_before=st.integers(0, 200),
    pence=st.integers(1, 10**7),
)
def test_a_credit_takes_back_the_income_of_just_the_months_begun_after_the_cancellation(
    first: date, months: int, cancelled_after: int, sold_before: int, pence: int
) -> None:
    end = months_from(first, months)
    sold_on = first - timedelta(days=sold_before)
    today = max(sold_on, first + timedelta(days=cancelled_after))
    earned = dict(schedule(pence, sold_on=sold_on, term_start=first, term_end=end))
    given_back_from = unused_from(first, today)
    unused = months_between(given_back_from, end)
    refund = last_months_share(pence, months_between(first, end), unused)
    credit = dict(
        schedule(-refund, sold_on=today, term_start=given_back_from, term_end=end) if unused else []
    )
    assert months_between(first, end) == months
    for day, pence_taken in credit.items():
        assert day > today
        assert earned[day] == -pence_taken
    for day, pence_earned in earned.items():
        begun_after = day.replace(day=1) > today
        assert credit.get(day, 0) == (-pence_earned if begun_after else 0)
    kept = sum(earned.values()) + sum(credit.values())
    assert kept == sum(p for day, p in earned.items() if day.replace(day=1) <= today)


def _last_of_its_month(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1


@given(day=days)
def test_a_year_earlier_is_the_same_day_and_a_month_s_end_the_same_month_s_end(day: date) -> None:
    """28 February 2029, the end of its month, is set beside 29 February 2028, the end of
    its: a February to its end beside the whole February before, month-end income and all."""
    earlier = a_year_earlier(day)
    assert earlier.year == day.year - 1
    assert earlier.month == day.month
    if _last_of_its_month(day):
        assert _last_of_its_month(earlier)
    else:
        assert earlier.day == day.day
    assert financial_year(earlier) == financial_year(a_year_earlier(year_to_date(day)[0]))


def test_the_end_of_a_february_is_set_beside_the_end_of_the_february_before() -> None:
    assert a_year_earlier(date(2029, 2, 28)) == date(2028, 2, 29)
    assert a_year_earlier(date(2028, 2, 29)) == date(2027, 2, 28)
    assert a_year_earlier(date(2028, 2, 28)) == date(2027, 2, 28)
    assert a_year_earlier(date(2027, 3, 31)) == date(2026, 3, 31)


@given(day=days)
def test_the_year_to_date_starts_on_the_first_of_april_of_the_day_s_financial_year(
    day: date,
) -> None:
    start, end = year_to_date(day)
    assert end == day
    assert start == year_bounds(financial_year(day))[0]
    assert start <= day <= year_bounds(financial_year(day))[1]


def test_a_posting_dated_in_a_closed_december_moves_to_january_of_the_next_year() -> None:
    assert posting_date(date(2027, 12, 31), {"2027-12"}) == (
        date(2028, 1, 1),
        "dated 2027-12-31 in closed period 2027-12; posted in 2028-01",
    )
    assert posting_date(date(2028, 2, 29), {"2028-02", "2028-03"})[0] == date(2028, 4, 1)
