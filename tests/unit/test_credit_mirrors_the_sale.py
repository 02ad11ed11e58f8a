"""A cancelled subscription's credit takes back, month by month, exactly the income its sale
would have earned in the months it gives back: orders' refund rule and the ledger's recognition
schedule spread the pence the same way, so no month after a cancellation shows a penny of
income or a penny taken back (it had: £3,250 a year credited for eight months read -1p in two
of them). A line given back in parts leaves each month what a sale of what is left would earn
there, and nothing once all of it is given back (each part spread on its own had left £100.00
given back as £33.33 and £66.67 a penny over in three months and a penny under in three)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from services.ledger.domain.recognition import given_back, schedule
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


@st.composite
def splits(draw: st.DrawFn) -> tuple[int, int, list[int]]:
    """A line's net, its months and parts given back that add up to all of it."""
    net = draw(st.integers(1, 2_000_000))
    months = draw(st.integers(1, 24))
    cuts = sorted(draw(st.sets(st.integers(1, net - 1), max_size=5))) if net > 1 else []
    return net, months, [b - a for a, b in zip([0, *cuts], [*cuts, net], strict=True)]


@given(splits())
def test_parts_given_back_over_the_same_months_leave_the_spread_of_what_is_left(
    split: tuple[int, int, list[int]],
) -> None:
    net, months, parts = split
    earning, so_far = monthly_parts(net, months), 0
    for pence in parts:
        taken = given_back(pence, earning)
        assert sum(taken) == pence and all(part >= 0 for part in taken)
        earning = [before - part for before, part in zip(earning, taken, strict=True)]
        so_far += pence
        assert earning == monthly_parts(net - so_far, months)
    assert earning == [0] * months


@given(splits())
def test_parts_given_back_before_their_sale_is_known_add_up_to_its_spread(
    split: tuple[int, int, list[int]],
) -> None:
    """The sale's consumer went slower: the book knows of nothing yet in those months."""
    net, months, parts = split
    earning = [0] * months
    for pence in parts:
        taken = given_back(pence, earning)
        assert sum(taken) == pence
        earning = [before - part for before, part in zip(earning, taken, strict=True)]
    assert earning == [-part for part in monthly_parts(net, months)]  # what the sale will add


@given(
    split=splits(),
    unused=st.integers(0, 24),
    refunded_first=st.integers(0, 5),
)
def test_a_line_cancelled_part_way_and_refunded_the_rest_earns_nothing_in_any_month(
    split: tuple[int, int, list[int]], unused: int, refunded_first: int
) -> None:
    """Refunds of an amount over the whole term, the unused months' share less those over
    just those months (as orders gives a cancellation back), then the rest over the term."""
    net, months, parts = split
    unused = min(unused, months)
    earning = monthly_parts(net, months)
    refunds = parts[:refunded_first]
    for pence in refunds:
        taken = given_back(pence, earning)
        earning = [before - part for before, part in zip(earning, taken, strict=True)]
    cancellation = max(0, last_months_share(net, months, unused) - sum(refunds))
    if unused:
        tail = given_back(cancellation, earning[months - unused :])
        assert sum(tail) == cancellation
        earning[months - unused :] = [
            a - b for a, b in zip(earning[months - unused :], tail, strict=True)
        ]
        if not refunds:  # its unused months' income taken back exactly
            assert earning[months - unused :] == [0] * unused
    rest = sum(earning)
    taken = given_back(rest, earning)
    assert [before - part for before, part in zip(earning, taken, strict=True)] == [0] * months
    assert all(month >= 0 for month in earning)


def test_a_hundred_pounds_given_back_as_33_33_then_66_67_takes_each_month_back_whole() -> None:
    sold = monthly_parts(10_000, 12)  # 8 months of £8.33, then 4 of £8.34
    first = given_back(3_333, sold)
    left = [a - b for a, b in zip(sold, first, strict=True)]
    assert left == monthly_parts(6_667, 12)  # as if £66.67 had been sold
    assert given_back(6_667, left) == left
    # each spread on its own: £2.77 or £2.78 and £5.55 or £5.56, a penny off in six months
    on_its_own = [
        a + b for a, b in zip(monthly_parts(3_333, 12), monthly_parts(6_667, 12), strict=True)
    ]
    off = [1, 1, 1, 0, 0, -1, -1, -1, 0, 0, 0, 0]
    assert [a - b for a, b in zip(sold, on_its_own, strict=True)] == off
