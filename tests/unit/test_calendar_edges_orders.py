"""Orders' days-before rules and periods at the calendar's edges: a course's refund counts the
days to it across month ends and the leap day; a rolling service's periods cover every day,
one after another; the renewal window orders enforces is the one notifications announces."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.notifications.domain.renewals import window_on
from services.orders.domain.lines import OrderLine
from services.orders.domain.refunds import line_refund
from services.orders.domain.renewal import RenewalWindow
from services.orders.domain.rolling import Renewal, period_containing
from shared.calendar import academic_year, period_after
from shared.errors import Invalid
from shared.money import VatRate

days = st.dates(date(2027, 1, 1), date(2030, 12, 31))


def course_on(day: date) -> OrderLine:
    return OrderLine(
        service_id=uuid4(),
        title="Phonics leadership",
        service_type="course",
        category="Curriculum",
        price_version=1,
        quantity=1,
        unit_price_pence=30_001,
        vat_rate=VatRate.STANDARD,
        delivery_on=day,
    )


@pytest.mark.parametrize(
    ("runs_on", "full_until", "half_until"),
    [
        (date(2028, 3, 14), date(2028, 2, 29), date(2028, 3, 7)),  # across the leap day
        (date(2027, 3, 14), date(2027, 2, 28), date(2027, 3, 7)),
        (date(2028, 1, 10), date(2027, 12, 27), date(2028, 1, 3)),  # across the new year
        (date(2027, 5, 1), date(2027, 4, 17), date(2027, 4, 24)),  # after a 30-day month
    ],
)
def test_a_course_refunds_in_full_until_14_days_before_and_half_until_7(
    runs_on: date, full_until: date, half_until: date
) -> None:
    line = course_on(runs_on)
    net = line.amounts.net

    def refunded(today: date) -> int:
        return line_refund(line, today=today, fulfilled=False).amounts.net

    assert refunded(full_until) == net
    assert refunded(full_until + timedelta(days=1)) == net // 2
    assert refunded(half_until) == net // 2
    assert refunded(half_until + timedelta(days=1)) == 0


@given(day=days, every=st.sampled_from(list(Renewal)))
def test_a_rolling_service_s_periods_cover_every_day_one_after_another(
    day: date, every: Renewal
) -> None:
    start, end = period_containing(day, every)
    assert start <= day <= end
    assert start.day == 1 and (end + timedelta(days=1)).day == 1
    following = period_after((start, end), every.value)
    assert following[0] == end + timedelta(days=1)
    if every is Renewal.YEAR:
        assert (start.month, end.month) == (9, 8)
        assert academic_year(start) == academic_year(end) == academic_year(day)


@given(
    today=days | st.sampled_from([date(2028, 2, 29), date(2028, 8, 31), date(2028, 9, 1)]),
    opens=st.integers(0, 366),
    closes=st.integers(0, 366),
)
def test_the_renewal_window_announced_is_the_one_orders_enforces(
    today: date, opens: int, closes: int
) -> None:
    announced = window_on(today, opens_days_before=opens, closes_days_after=closes)
    enforced = RenewalWindow(opens, closes)
    years = {f"{start}/{(start + 1) % 100:02d}" for start in range(today.year - 2, today.year + 3)}
    open_for = set()
    for year in years:
        try:
            enforced.check_open(year, today)
            open_for.add(year)
        except Invalid:
            pass
    if announced is None:
        assert not open_for
    else:
        assert announced.year in open_for
        assert announced.year_starts == date(int(announced.year[:4]), 9, 1)
        assert announced.last_year_starts == date(announced.year_starts.year - 1, 9, 1)
