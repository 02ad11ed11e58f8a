"""KPIs and service credits: a miss earns the LA a credit against its next invoices, taken off
oldest first, in part when an invoice has too little left, and never below nothing."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.commissioning.domain.kpi import (
    EarnedCredit,
    Kpi,
    ServiceCredit,
    credited_amounts,
    take_off_invoice,
)
from services.commissioning.domain.milestone import LaInvoice
from shared.errors import Conflict, Invalid
from shared.money import Amounts, VatRate, vat_on

CONTRACT = uuid4()
ON = date(2026, 10, 5)
TODAY = date(2026, 12, 6)


def kpi(*, higher_is_better: bool = True, credit: int = 50_000) -> Kpi:
    return Kpi.define(
        contract_id=CONTRACT,
        title="Visits within 10 days (%)",
        target=95,
        higher_is_better=higher_is_better,
        service_credit_pence=credit,
    )


def test_a_missed_kpi_with_a_credit_earns_the_la_a_service_credit() -> None:
    report, credit = kpi().report(
        period="2026-Q2", actual=88, on=ON, reported_periods=set(), today=TODAY
    )
    assert not report.met
    assert credit is not None
    assert (credit.net_pence, credit.invoice_id, report.service_credit_id) == (
        50_000,
        None,
        credit.id,
    )
    assert "88 against a target of 95 in 2026-Q2" in credit.reason


def test_a_met_kpi_or_one_without_a_credit_earns_nothing() -> None:
    assert (
        kpi().report(period="Q", actual=95, on=ON, reported_periods=set(), today=TODAY)[1] is None
    )
    assert (
        kpi(credit=0).report(period="Q", actual=1, on=ON, reported_periods=set(), today=TODAY)[1]
        is None
    )
    fewer_is_better = kpi(higher_is_better=False)
    report, credit = fewer_is_better.report(
        period="Q", actual=96, on=ON, reported_periods=set(), today=TODAY
    )
    assert not report.met and credit is not None


def test_a_period_has_one_actual() -> None:
    with pytest.raises(Conflict) as refused:
        kpi().report(period="2026-Q2", actual=99, on=ON, reported_periods={"2026-Q2"}, today=TODAY)
    assert refused.value.field == "period"


def credit(net_pence: int, earned_on: date = ON) -> ServiceCredit:
    return ServiceCredit(uuid4(), CONTRACT, uuid4(), net_pence, "missed", earned_on)


INVOICE = uuid4()


@given(
    st.lists(st.tuples(st.integers(1, 200_000), st.dates()), max_size=10),
    st.integers(0, 500_000),
)
def test_credits_come_off_oldest_first_and_in_part_never_below_nothing_and_none_lost(
    earned: list[tuple[int, date]], invoice_net: int
) -> None:
    pending = [credit(net, on) for net, on in earned]
    taken = take_off_invoice(pending, invoice_id=INVOICE, invoice_net_pence=invoice_net, on=ON)
    applied = sum(c.net_pence for c in taken.applied)
    assert applied == min(invoice_net, sum(c.net_pence for c in pending))
    assert all((c.invoice_id, c.applied_on) == (INVOICE, ON) for c in taken.applied)
    untouched = [c for c in pending if c.id not in {a.id for a in taken.applied}]
    carried = [taken.carried] if taken.carried else []
    assert applied + sum(c.net_pence for c in [*carried, *untouched]) == sum(
        c.net_pence for c in pending
    )
    newest_applied = max((c.earned_on for c in taken.applied), default=date.min)
    assert all(c.earned_on >= newest_applied for c in untouched)


def test_a_credit_larger_than_the_invoice_comes_off_in_part_before_a_later_one() -> None:
    january, february = credit(80_000, date(2026, 1, 10)), credit(10_000, date(2026, 2, 10))
    taken = take_off_invoice(
        [february, january], invoice_id=INVOICE, invoice_net_pence=50_000, on=ON
    )
    (part,) = taken.applied
    assert (part.id, part.net_pence, part.invoice_id) == (january.id, 50_000, INVOICE)
    rest = taken.carried
    assert rest is not None and rest.id not in {january.id, february.id}
    assert (rest.net_pence, rest.kpi_id, rest.reason, rest.earned_on, rest.invoice_id) == (
        30_000,
        january.kpi_id,
        january.reason,
        january.earned_on,
        None,
    )
    after = take_off_invoice([rest, february], invoice_id=uuid4(), invoice_net_pence=50_000, on=ON)
    assert [c.net_pence for c in after.applied] == [30_000, 10_000]
    assert after.carried is None


def test_every_part_a_credit_is_split_into_names_the_credit_as_earned() -> None:
    """The actual names the credit it earned; a part split off the rest again is still that
    credit's, so the actual reads all of it: what each invoice took and what waits."""
    earned = credit(80_000)
    first = take_off_invoice([earned], invoice_id=INVOICE, invoice_net_pence=50_000, on=ON)
    assert first.carried is not None
    second = take_off_invoice([first.carried], invoice_id=uuid4(), invoice_net_pence=20_000, on=ON)
    assert second.carried is not None

    whole = EarnedCredit([*first.applied, *second.applied, second.carried])

    assert {part.earned_as for part in whole.parts} == {earned.id}
    assert (whole.id, whole.net_pence, whole.waiting_pence) == (earned.id, 80_000, 10_000)
    with pytest.raises(ValueError):
        EarnedCredit([earned, credit(1_000)])  # two credits are not one


def test_the_invoice_payable_is_the_milestone_less_its_credits() -> None:
    invoice = LaInvoice(uuid4(), "LA-000001", CONTRACT, uuid4(), ON, ON, Amounts(300_000, 60_000))
    payable = invoice.payable_after([Amounts(50_000, 10_000), Amounts(1, 0)])
    assert (payable.net, payable.vat, payable.gross) == (249_999, 50_000, 299_999)
    assert invoice.amounts.gross == 360_000


def test_credits_that_take_all_of_an_invoice_leave_nothing_to_pay_not_minus_a_penny() -> None:
    # £10,000.06 has £2,000.01 of VAT; each £5,000.03 credit alone would round to £1,000.01
    invoice = LaInvoice(
        uuid4(), "LA-000001", CONTRACT, uuid4(), ON, ON, Amounts(1_000_006, 200_001)
    )
    taken = take_off_invoice(
        [credit(500_003), credit(500_003)],
        invoice_id=invoice.id,
        invoice_net_pence=1_000_006,
        on=ON,
    )
    credited = credited_amounts(taken.applied, VatRate.STANDARD)
    assert sorted(a.vat for a in credited.values()) == [100_000, 100_001]
    assert invoice.payable_after(list(credited.values())) == Amounts(0, 0)


@given(
    st.lists(st.integers(1, 200_000), max_size=8),
    st.integers(0, 500_000),
    st.sampled_from(list(VatRate)),
)
def test_credits_never_take_more_vat_than_the_invoice_has_and_all_of_it_with_all_its_net(
    nets: list[int], invoice_net: int, rate: VatRate
) -> None:
    invoice = LaInvoice(
        uuid4(), "LA-1", CONTRACT, uuid4(), ON, ON, Amounts(invoice_net, vat_on(invoice_net, rate))
    )
    pending = [credit(net) for net in nets]
    taken = take_off_invoice(pending, invoice_id=invoice.id, invoice_net_pence=invoice_net, on=ON)
    credited = credited_amounts(taken.applied, rate)
    assert all(amounts.vat >= 0 for amounts in credited.values())
    payable = invoice.payable_after(list(credited.values()))
    assert payable.net >= 0 and payable.vat >= 0
    if payable.net == 0:
        assert payable.vat == 0
    # the same credits read back in another order split the VAT the same way
    assert credited_amounts(list(reversed(taken.applied)), rate) == credited


def test_an_actual_cannot_be_reported_after_today() -> None:
    with pytest.raises(Invalid) as refused:
        kpi().report(
            period="2026-Q3", actual=88, on=date(2026, 12, 7), reported_periods=set(), today=TODAY
        )
    assert refused.value.field == "reported_on"
    report, _ = kpi().report(
        period="2026-Q3", actual=88, on=TODAY, reported_periods=set(), today=TODAY
    )
    assert report.reported_on == TODAY
