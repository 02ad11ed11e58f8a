"""A cancelled subscription's credit takes back, month by month, exactly the income its sale
would have earned in the months it gives back: orders' refund rule and the ledger's recognition
schedule spread the pence the same way, so no month after a cancellation shows a penny of
income or a penny taken back (it had: £3,250 a year credited for eight months read -1p in two
of them)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from services.ledger.domain.recognition import schedule
from services.orders.domain.refunds import line_refund
from shared.money import last_months_share, monthly_parts
from tests.unit.test_orders_refund_rules import subscription


def by_month(parts: list[tuple[date, int]]) -> Counter[str]:
    months: Counter[str] = Counter()
    for day, pence in parts:
        months[f"{day:%Y-%m}"] += pence
    return months


@given(
    unit_price=st.integers(1, 2_000_000),
    quantity=st.integers(1, 30),
    sold_days_before=st.integers(0, 200),
    cancelled_days_in=st.integers(-30, 380),
)
def test_after_a_cancellation_every_unused_month_nets_to_nothing(
    unit_price: int, quantity: int, sold_days_before: int, cancelled_days_in: int
) -> None:
    line = replace(subscription("2026/27", unit_price), quantity=quantity)
    assert line.term_start and line.term_end
    sold_on = line.term_start - timedelta(days=sold_days_before)
    cancelled_on = line.term_start + timedelta(days=cancelled_days_in)
    refund = line_refund(line, today=cancelled_on, fulfilled=False)
    first, last = refund.term
    assert first and last

    sale = schedule(
        line.amounts.net, sold_on=sold_on, term_start=line.term_start, term_end=line.term_end
    )
    credit = schedule(-refund.amounts.net, sold_on=cancelled_on, term_start=first, term_end=last)
    earned = by_month(sale)
    earned.update(by_month(credit))

    unused = [month for month in earned if month >= f"{first:%Y-%m}"]
    assert all(earned[month] == 0 for month in unused), earned
    assert sum(earned.values()) == line.amounts.net - refund.amounts.net


def test_the_odd_pence_fall_in_the_last_months_so_any_tail_is_its_own_spread() -> None:
    assert monthly_parts(100, 3) == [33, 33, 34]
    assert monthly_parts(-100, 3) == [-33, -33, -34]
    assert monthly_parts(325_000, 12) == [27_083] * 8 + [27_084] * 4
    for months in range(1, 13):
        for pence in range(0, 400, 7):
            parts = monthly_parts(pence, months)
            for last in range(months + 1):
                tail = last_months_share(pence, months, last)
                assert monthly_parts(tail, last) == parts[months - last :]
