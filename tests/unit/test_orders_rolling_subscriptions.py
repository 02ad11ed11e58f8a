"""Rolling subscriptions: periods by term or year, renewal once per period, and notice at its
boundary."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest

from services.orders.domain.lines import OrderLine, ServiceType
from services.orders.domain.rolling import (
    Renewal,
    RollingStatus,
    RollingSubscription,
    period_containing,
)
from shared.calendar import notice_deadline
from shared.errors import Conflict
from shared.money import VatRate

AUTUMN = (date(2026, 9, 1), date(2026, 12, 31))


def subscription(every: Renewal = Renewal.TERM, notice_days: int = 30) -> RollingSubscription:
    start, end = period_containing(date(2026, 10, 5), every)
    line = OrderLine(
        service_id=uuid4(),
        title="Payroll bureau",
        service_type=ServiceType.ROLLING,
        category="HR",
        price_version=1,
        quantity=1,
        unit_price_pence=45_000,
        vat_rate=VatRate.STANDARD,
        term_start=start,
        term_end=end,
        renews_every=every.value,
        notice_days=notice_days,
    )
    return RollingSubscription.start(
        line, order_id=uuid4(), urn=117083, payment_method="invoice", purchase_order="PO-1"
    )


@pytest.mark.parametrize(
    ("day", "period"),
    [
        (date(2026, 9, 1), AUTUMN),
        (date(2026, 12, 31), AUTUMN),
        (date(2027, 1, 1), (date(2027, 1, 1), date(2027, 3, 31))),
        (date(2027, 8, 31), (date(2027, 4, 1), date(2027, 8, 31))),
    ],
)
def test_a_termly_period_is_the_school_term_the_day_falls_in(
    day: date, period: tuple[date, date]
) -> None:
    assert period_containing(day, Renewal.TERM) == period


def test_a_yearly_period_is_the_academic_year() -> None:
    assert period_containing(date(2027, 3, 1), Renewal.YEAR) == (
        date(2026, 9, 1),
        date(2027, 8, 31),
    )


def test_notice_exactly_the_notice_days_before_the_period_ends_ends_it_with_the_period() -> None:
    rolling = subscription(notice_days=30)
    assert rolling.cancel(AUTUMN[1] - timedelta(days=30)) == AUTUMN[1]
    assert (rolling.status, rolling.next_renewal) == (RollingStatus.ENDING, None)


def test_notice_a_day_late_ends_it_with_the_next_period_which_it_still_renews_into() -> None:
    rolling = subscription(notice_days=30)
    assert rolling.cancel(AUTUMN[1] - timedelta(days=29)) == date(2027, 3, 31)
    assert (rolling.status, rolling.ends_on) == (RollingStatus.ENDING, date(2027, 3, 31))
    assert rolling.next_renewal == date(2027, 1, 1)
    assert rolling.renewal_due(date(2027, 1, 1))

    rolling.renewed(uuid4(), rolling.next_period)
    assert rolling.next_renewal is None
    assert not rolling.renewal_due(date(2027, 4, 1))
    assert not rolling.end_if_over(date(2027, 3, 31))
    assert rolling.end_if_over(date(2027, 4, 1))


def test_notice_longer_than_what_is_left_of_the_next_term_ends_it_with_that_term() -> None:
    """100 days' notice given on 7 December is too late for 31 December but in time for 31
    March (its last day for notice is 21 December): the school gives it now."""
    rolling = subscription(notice_days=100)
    assert rolling.cancel(date(2026, 12, 7)) == date(2027, 3, 31)


def test_notice_given_twice_is_refused_and_keeps_the_first_end() -> None:
    rolling = subscription(notice_days=30)
    rolling.cancel(date(2026, 12, 7))
    with pytest.raises(Conflict) as refused:
        rolling.cancel(date(2026, 12, 8))
    assert refused.value.message == "this subscription is already ending"
    assert rolling.ends_on == date(2027, 3, 31)


@pytest.mark.parametrize("every", list(Renewal))
@pytest.mark.parametrize("notice_days", [0, 1, 30, 90, 100, 121, 200, 365, 400])
def test_the_end_notice_is_given_for_is_always_reached_by_renewing(
    every: Renewal, notice_days: int
) -> None:
    """Whatever the day (the renewal job a few weeks behind included) and however long the
    notice, the end named is in time for the notice and is the end of a period the
    subscription renews into: it renews up to it and not past it."""
    first = subscription(every, notice_days)
    for day in (first.period_start + timedelta(days=n) for n in range(0, 900, 7)):
        rolling = subscription(every, notice_days)
        ends_on = rolling.cancel(day)
        assert day <= notice_deadline(ends_on, notice_days)
        while rolling.renewal_due(rolling.next_period[0]):
            rolling.renewed(uuid4(), rolling.next_period)
        assert rolling.period_end == ends_on
        assert rolling.end_if_over(ends_on + timedelta(days=1))


def test_renewal_falls_due_on_the_first_day_of_the_next_period_and_moves_it_once() -> None:
    rolling = subscription()
    assert not rolling.renewal_due(AUTUMN[1])
    assert rolling.renewal_due(date(2027, 1, 1))
    key = rolling.renewal_key
    order_id = uuid4()
    rolling.renewed(order_id, rolling.next_period)
    rolling.renewed(uuid4(), (date(2027, 1, 1), date(2027, 3, 31)))  # a repeat: no change
    assert (rolling.period, rolling.last_order_id) == (
        (date(2027, 1, 1), date(2027, 3, 31)),
        order_id,
    )
    assert rolling.renewal_key != key


def test_a_cancelled_subscription_does_not_renew_and_ends_after_its_last_day() -> None:
    rolling = subscription(Renewal.YEAR, notice_days=90)
    rolling.cancel(date(2027, 5, 1))
    assert not rolling.renewal_due(date(2027, 9, 1))
    assert not rolling.end_if_over(date(2027, 8, 31))
    assert rolling.end_if_over(date(2027, 9, 1))
    assert rolling.status is RollingStatus.ENDED


def test_cancelling_the_order_for_the_current_period_ends_the_subscription_at_once() -> None:
    rolling = subscription()
    assert not rolling.withdraw(uuid4(), date(2026, 10, 6))  # another order: no change
    assert rolling.status is RollingStatus.ACTIVE

    assert rolling.withdraw(rolling.last_order_id, date(2026, 10, 6))
    assert (rolling.status, rolling.ends_on) == (RollingStatus.ENDED, date(2026, 10, 6))
    assert rolling.next_renewal is None
    assert not rolling.renewal_due(date(2027, 1, 1))
    assert not rolling.withdraw(rolling.last_order_id, date(2026, 10, 7))  # once
