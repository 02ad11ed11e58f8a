"""The ledger's own rules: recognition, period close, reversal, strands, report arithmetic."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.ledger.application.money_events import POSTING_RULES, Known
from services.ledger.domain import accounts as chart
from services.ledger.domain import reports as calc
from services.ledger.domain.entries import journal
from services.ledger.domain.periods import posting_date
from services.ledger.domain.recognition import not_yet_due, schedule
from services.ledger.domain.reconciliation import Payout, check_payouts, paid_out
from services.ledger.domain.transaction import Dimensions, reversal
from shared.errors import Invalid
from shared.money import Strand
from tests.support import ledger_events as ev


@given(
    net=st.integers(-(10**9), 10**9),
    start=st.dates(date(2024, 1, 1), date(2030, 1, 1)),
    months=st.integers(0, 36),
    sold=st.dates(date(2024, 1, 1), date(2031, 1, 1)),
)
def test_a_recognition_schedule_always_sums_to_the_net_and_never_precedes_the_sale(
    net: int, start: date, months: int, sold: date
) -> None:
    end = date(
        start.year + (start.month - 1 + months) // 12, (start.month - 1 + months) % 12 + 1, 1
    )
    parts = schedule(net, sold_on=sold, term_start=start, term_end=end)
    assert sum(pence for _, pence in parts) == net
    assert all(day >= sold for day, _ in parts)
    amounts = [abs(pence) for day, pence in parts if day > sold]
    assert not amounts or max(amounts) - min(amounts) <= 1


def test_a_posting_dated_in_a_closed_month_goes_to_the_next_open_month_with_a_note() -> None:
    assert posting_date(date(2026, 10, 15), set()) == (date(2026, 10, 15), None)
    moved, note = posting_date(date(2026, 10, 15), {"2026-10", "2026-11"})
    assert moved == date(2026, 12, 1)
    assert note == "dated 2026-10-15 in closed period 2026-10; posted in 2026-12"
    assert posting_date(date(2026, 12, 31), {"2026-12"})[0] == date(2027, 1, 1)


def test_a_reversal_negates_every_posting_and_points_at_the_original() -> None:
    original = journal(
        reference="PD-1",
        description="Staff development: NPQH fees",
        on=date(2026, 10, 1),
        lines=[
            ("core:cost:professional-development", 150_000, Dimensions()),
            ("bank", -150_000, Dimensions()),
        ],
    )
    undo = reversal(original, on=date(2026, 10, 2), reason="posted twice")
    assert undo.reverses == original.id
    assert [(p.account.code, p.amount_pence) for p in undo.postings] == [
        ("core:cost:professional-development", -150_000),
        ("bank", 150_000),
    ]
    assert undo.source.key == f"reversal:{original.id}"


def test_a_journal_mixing_the_two_strands_is_refused() -> None:
    with pytest.raises(Invalid, match="may not mix"):
        journal(
            reference="X",
            description="a traded cost paid from statutory income",
            on=date(2026, 10, 1),
            lines=[
                ("traded:cost:delivery", 100, Dimensions()),
                ("statutory:income:hcc-si-2026", -100, Dimensions()),
            ],
        )


def test_the_company_s_own_income_or_costs_are_refused_in_a_strand_s_transaction() -> None:
    """A grant reclassified as traded income was traded (by the traded account), so the strand
    reports moved apart: the traded strand's income unchanged, the sustainability report's
    traded income up by what its grants went down."""
    with pytest.raises(Invalid, match="grant:income is the company's own") as refused:
        journal(
            reference="RECLASS-1",
            description="a grant reclassified as traded income",
            on=date(2026, 10, 1),
            lines=[
                ("grant:income", 100_000, Dimensions()),
                ("traded:income:hr-and-employment", -100_000, Dimensions()),
            ],
        )
    assert refused.value.field == "postings"


def test_a_journal_of_shared_accounts_alone_may_be_stated_to_be_a_strand_s() -> None:
    imported = [("bank", 120_000, Dimensions(urn=117083)), ("deferred-income", -120_000, Dimensions(urn=117083))]  # fmt: skip
    assert (
        journal(reference="A", description="d", on=date(2024, 9, 2), lines=imported).strand
        == Strand.CORE
    )
    stated = journal(reference="B", description="d", on=date(2024, 9, 2), lines=imported, strand=Strand.TRADED)  # fmt: skip
    assert stated.strand == Strand.TRADED
    overheads = [("core:cost:overheads", 5_000, Dimensions()), ("bank", -5_000, Dimensions())]
    with pytest.raises(Invalid, match="make the journal core, not traded") as refused:
        journal(reference="C", description="d", on=date(2026, 10, 1), lines=overheads, strand=Strand.TRADED)  # fmt: skip
    assert refused.value.field == "strand"
    statutory = [("receivables:la", 1_000, Dimensions()), ("statutory:income:hcc-si-2026", -1_000, Dimensions())]  # fmt: skip
    with pytest.raises(Invalid, match="make the journal statutory, not traded"):
        journal(reference="D", description="d", on=date(2026, 10, 1), lines=statutory, strand=Strand.TRADED)  # fmt: skip


def test_an_unbalanced_journal_or_an_unknown_account_is_refused() -> None:
    with pytest.raises(Invalid, match="balance"):
        journal(reference="Y", description="d", on=date(2026, 10, 1),
                lines=[("bank", 100, Dimensions()), ("reserves", -99, Dimensions())])  # fmt: skip
    with pytest.raises(Invalid, match="no account"):
        chart.account_for("petty-cash")


def test_aged_debt_bands_count_days_since_the_invoice() -> None:
    as_of = date(2026, 12, 31)
    invoices = [
        calc.OpenInvoice(117083, "INV-1", date(2026, 12, 1), 1_000),  # 30 days
        calc.OpenInvoice(117083, "INV-2", date(2026, 11, 30), 2_000),  # 31 days
        calc.OpenInvoice(117083, "INV-3", date(2026, 10, 2), 4_000),  # 90 days
        calc.OpenInvoice(117083, "INV-4", date(2026, 10, 1), 8_000),  # 91 days
        calc.OpenInvoice(117084, "INV-5", date(2026, 1, 1), 0),  # paid
        calc.OpenInvoice(None, "INV-6", date(2026, 12, 2), 500, trust_code="4209"),  # a trust's
    ]
    assert calc.aged_debt(invoices, as_of=as_of) == {
        (117083, None): {
            "0-30": 1_000,
            "31-60": 2_000,
            "61-90": 4_000,
            "90+": 8_000,
            "total": 15_000,
        },
        (None, "4209"): {"0-30": 500, "31-60": 0, "61-90": 0, "90+": 0, "total": 500},
    }


def test_what_a_debtor_is_owed_back_is_taken_off_its_aged_debt() -> None:
    """Paid, then credited: the school is owed money back on that invoice, which counts against
    what it owes on others, in the invoice's band, so that the debt adds up to receivables."""
    as_of = date(2026, 12, 31)
    invoices = [
        calc.OpenInvoice(117083, "INV-1", date(2026, 12, 1), 10_000),
        calc.OpenInvoice(117083, "INV-2", date(2026, 9, 1), -2_400),  # owed back
        calc.OpenInvoice(117084, "INV-3", date(2026, 12, 20), -1_200),  # only owed back
    ]
    assert calc.aged_debt(invoices, as_of=as_of) == {
        (117083, None): {"0-30": 10_000, "31-60": 0, "61-90": 0, "90+": -2_400, "total": 7_600},
        (117084, None): {"0-30": -1_200, "31-60": 0, "61-90": 0, "90+": 0, "total": -1_200},
    }


def test_sustainability_measures() -> None:
    assert calc.buy_back(Counter({"Primary": 2}), Counter({"Primary": 4, "Secondary": 2})) == {
        "Primary": 50.0,
        "Secondary": 0.0,
    }
    assert calc.renewal_rate({1, 2, 5}, {1, 2, 3, 4}) == 50.0
    assert calc.concentration({urn: 100 for urn in range(20)}) == 50.0
    assert [calc.pd_band(s) for s in (1.99, 2.0, 5.0, 5.01, None)] == [
        "below", "within", "within", "above", "no income",
    ]  # fmt: skip
    assert calc.runway_months(600_000, [100_000, 200_000, 300_000]) == 3.0
    assert calc.runway_months(600_000, [-100_000, 0, 0]) is None  # in surplus: not burning


def test_a_payout_matches_when_its_gross_equals_clearing_for_its_payments() -> None:
    day = date(2026, 10, 6)
    clearing = {"pi_1": [(day, 60_000)], "pi_2": [(day, 12_000)], "pi_3": [(day, 5_000)]}
    good = Payout("po_1", date(2026, 10, 8), 70_800, 1_200, ("pi_1", "pi_2"))
    short = Payout("po_2", date(2026, 10, 9), 4_000, 100, ("pi_3", "pi_9"))
    (first, second), waiting = check_payouts([good, short], clearing)
    assert first.matched and first.difference_pence == 0
    assert not second.matched and second.difference_pence == -900
    assert second.unknown_references == ("pi_9",)
    assert waiting == {}
    posted = paid_out(good)
    assert {p.account.code: p.amount_pence for p in posted.postings} == {
        "bank": 70_800,
        "traded:cost:card-fees": 1_200,
        "clearing:stripe": -72_000,
    }
    assert check_payouts([], clearing)[1] == {
        ref: (moved[0][1], day) for ref, moved in clearing.items()
    }
    assert posted.source.key == "payout:po_1"


def test_a_refund_after_the_payout_is_counted_against_the_payout_that_takes_it_back() -> None:
    clearing = {"pi_1": [(date(2026, 6, 10), 240_000), (date(2026, 6, 20), -60_000)]}
    first = Payout("po_1", date(2026, 6, 12), 238_000, 2_000, ("pi_1",))
    (paid_out_whole,), waiting = check_payouts([first], clearing)
    assert paid_out_whole.matched
    assert waiting == {"pi_1": (-60_000, date(2026, 6, 20))}
    taken_back = Payout("po_2", date(2026, 6, 24), -60_000, 0, ("pi_1",))
    checks, waiting = check_payouts([taken_back, first], clearing)  # in order of arrival
    assert [check.matched for check in checks] == [True, True] and waiting == {}


def test_income_is_counted_from_the_first_of_april_to_the_as_of_day_never_beyond() -> None:
    assert calc.year_to_date(date(2027, 2, 15)) == (date(2026, 4, 1), date(2027, 2, 15))
    assert calc.year_to_date(date(2026, 4, 1)) == (date(2026, 4, 1), date(2026, 4, 1))
    assert calc.up_to("2026-27", date(2026, 12, 3)) == (date(2026, 4, 1), date(2026, 12, 3))
    assert calc.up_to("2025-26", date(2026, 12, 3)) == (date(2025, 4, 1), date(2026, 3, 31))


def test_a_financial_year_not_yet_begun_on_the_as_of_day_is_refused_not_counted() -> None:
    assert calc.up_to("2027-28", date(2027, 4, 1)) == (date(2027, 4, 1), date(2027, 4, 1))
    with pytest.raises(Invalid, match="2027-28 has not begun on 6 December 2026") as refused:
        calc.up_to("2027-28", date(2026, 12, 6))
    assert refused.value.field == "financial_year"


def test_only_recognitions_after_today_wait_for_their_day() -> None:
    event = ev.invoice_raised(
        117083,
        date(2026, 12, 3),
        ev.subscription(1_200_000, date(2026, 12, 1), date(2027, 11, 30)),
        number="INV-12K",
    )
    sale, *months = POSTING_RULES[type(event)].post(ev.envelope(event), Known({})).transactions
    now, later = not_yet_due([sale, *months], date(2027, 1, 31))
    assert now == [sale, *months[:2]]  # the sale, December and January
    assert later == months[2:] and all(t.dated > date(2027, 1, 31) for t in later)
    assert not_yet_due([sale, *months], date(2026, 12, 3)) == ([sale], months)
