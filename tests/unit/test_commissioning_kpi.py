"""KPIs and service credits: a miss earns the LA a credit against its next invoice, which never
takes an invoice below nothing."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.commissioning.domain.kpi import Kpi, ServiceCredit, credits_to_apply
from services.commissioning.domain.milestone import LaInvoice
from shared.errors import Conflict
from shared.money import Amounts

CONTRACT = uuid4()
ON = date(2026, 10, 5)


def kpi(*, higher_is_better: bool = True, credit: int = 50_000) -> Kpi:
    return Kpi.define(
        contract_id=CONTRACT,
        title="Visits within 10 days (%)",
        target=95,
        higher_is_better=higher_is_better,
        service_credit_pence=credit,
    )


def test_a_missed_kpi_with_a_credit_earns_the_la_a_service_credit() -> None:
    report, credit = kpi().report(period="2026-Q2", actual=88, on=ON, reported_periods=set())
    assert not report.met
    assert credit is not None
    assert (credit.net_pence, credit.invoice_id, report.service_credit_id) == (
        50_000,
        None,
        credit.id,
    )
    assert "88 against a target of 95 in 2026-Q2" in credit.reason


def test_a_met_kpi_or_one_without_a_credit_earns_nothing() -> None:
    assert kpi().report(period="Q", actual=95, on=ON, reported_periods=set())[1] is None
    assert kpi(credit=0).report(period="Q", actual=1, on=ON, reported_periods=set())[1] is None
    fewer_is_better = kpi(higher_is_better=False)
    report, credit = fewer_is_better.report(period="Q", actual=96, on=ON, reported_periods=set())
    assert not report.met and credit is not None


def test_a_period_has_one_actual() -> None:
    with pytest.raises(Conflict) as refused:
        kpi().report(period="2026-Q2", actual=99, on=ON, reported_periods={"2026-Q2"})
    assert refused.value.field == "period"


def credit(net_pence: int) -> ServiceCredit:
    return ServiceCredit(uuid4(), CONTRACT, uuid4(), net_pence, "missed", ON)


@given(st.lists(st.integers(1, 200_000), max_size=10), st.integers(0, 500_000))
def test_credits_applied_never_take_an_invoice_below_nothing(
    credits: list[int], invoice_net: int
) -> None:
    pending = [credit(n) for n in credits]
    chosen = credits_to_apply(pending, invoice_net_pence=invoice_net)
    assert sum(c.net_pence for c in chosen) <= invoice_net
    waiting = [c for c in pending if c not in chosen]
    room = invoice_net - sum(c.net_pence for c in chosen)
    assert all(c.net_pence > room for c in waiting)


def test_the_invoice_payable_is_the_milestone_less_its_credits() -> None:
    invoice = LaInvoice(uuid4(), "LA-000001", CONTRACT, uuid4(), ON, ON, Amounts(300_000, 60_000))
    payable = invoice.payable_after([Amounts(50_000, 10_000), Amounts(1, 0)])
    assert (payable.net, payable.vat, payable.gross) == (249_999, 50_000, 299_999)
    assert invoice.amounts.gross == 360_000
