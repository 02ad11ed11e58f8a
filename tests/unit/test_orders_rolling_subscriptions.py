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


def test_notice_a_day_late_is_refused_naming_the_end_of_the_next_period() -> None:
    rolling = subscription(notice_days=30)
    with pytest.raises(Conflict) as refused:
        rolling.cancel(AUTUMN[1] - timedelta(days=29))
    assert refused.value.message == (
        "inside the 30-day notice period: it can end on 31 March 2027 at the earliest"
    )
    assert rolling.status is RollingStatus.ACTIVE


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
