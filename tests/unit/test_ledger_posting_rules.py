"""Every posting rule in the table, on events as orders and commissioning publish them."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from services.ledger.application.events_out import transaction_posted
from services.ledger.application.handlers import EVENTS
from services.ledger.application.money_events import POSTING_RULES, Known, on_order_fulfilled
from services.ledger.domain.entries import SchoolPlace
from services.ledger.domain.transaction import DESCRIPTION_WIDTH, JournalTransaction
from shared.errors import Invalid
from shared.events import (
    Envelope,
    OrderFulfilledV1,
    OrderPlacedV1,
    RefundIssuedV1,
    TransactionPostedV1,
)
from shared.events.orders import MAX_TERM
from shared.uow import MAX_EVENT_BYTES
from tests.support import ledger_events as ev


def post(event: Any) -> list[JournalTransaction]:
    return POSTING_RULES[type(event)].post(ev.envelope(event), Known({})).transactions


def totals(transactions: list[JournalTransaction]) -> dict[str, int]:
    found: Counter[str] = Counter()
    for transaction in transactions:
        for posting in transaction.postings:
            found[posting.account.code] += posting.amount_pence
    return {code: pence for code, pence in found.items() if pence}


def at(transaction: JournalTransaction) -> tuple[date, dict[str, int]]:
    return transaction.dated, totals([transaction])


def test_a_card_payment_debits_stripe_clearing_and_credits_income_and_vat() -> None:
    (sale,) = post(ev.order_paid(117083, date(2026, 10, 5), ev.line(50_000), reference="pi_A"))
    assert sale.kind == "sale" and sale.strand == "traded"
    assert at(sale) == (
        date(2026, 10, 5),
        {
            "clearing:stripe": 60_000,
            "traded:income:hr-and-employment": -50_000,
            "vat:output": -10_000,
        },
    )
    (clearing, *_) = sale.postings
    assert (clearing.dimensions.urn, clearing.dimensions.phase) == (117083, "Primary")
    assert (clearing.dimensions.la_code, clearing.dimensions.document) == ("919", "pi_A")
    assert sale.postings[1].dimensions.category == "HR and employment"
    assert sale.postings[1].dimensions.service_id == str(ev.HR_ADVICE)


def test_an_invoice_debits_school_receivables() -> None:
    (sale,) = post(ev.invoice_raised(117499, date(2026, 10, 5), ev.line(10_001), number="INV-7"))
    assert totals([sale]) == {
        "receivables:schools": 12_001,
        "traded:income:hr-and-employment": -10_001,
        "vat:output": -2_000,  # 2,000.2p rounds down
    }
    assert sale.postings[0].dimensions.document == "INV-7"


def test_a_trust_s_invoice_books_each_line_s_income_under_its_school_its_phase_and_its_la() -> None:
    lines = (
        ev.for_school(117083, ev.line(100_000)),
        ev.for_school(117499, ev.line(50_000)),
        ev.for_school(ev.LUTON_PRIMARY, ev.line(20_000)),
        ev.for_school(117504, ev.line(10_000)),  # not on the ledger's register yet
    )
    event = ev.by_trust(ev.invoice_raised(117083, date(2026, 9, 10), *lines, number="INV-T"))
    schools = {  # as the register has them
        117083: SchoolPlace("Primary", "919"),
        117499: SchoolPlace("Secondary", "919"),
        ev.LUTON_PRIMARY: SchoolPlace("Primary", "821"),
    }
    (sale,) = POSTING_RULES[type(event)].post(ev.envelope(event), Known(schools)).transactions
    found = [
        (p.account.code, p.amount_pence, p.dimensions.urn, p.dimensions.phase, p.dimensions.la_code)
        for p in sale.postings
    ]
    assert found == [
        ("receivables:schools", 216_000, None, None, "919"),  # owed by the trust
        ("traded:income:hr-and-employment", -100_000, 117083, "Primary", "919"),
        ("traded:income:hr-and-employment", -50_000, 117499, "Secondary", "919"),
        ("traded:income:hr-and-employment", -20_000, ev.LUTON_PRIMARY, "Primary", "821"),
        ("traded:income:hr-and-employment", -10_000, 117504, None, None),
        ("vat:output", -36_000, None, None, "919"),
    ]
    assert {p.dimensions.trust_code for p in sale.postings} == {"DEMO-1"}


def test_an_annual_subscription_is_deferred_and_recognised_month_by_month() -> None:
    sub = ev.subscription(120_005, date(2026, 9, 1), date(2027, 8, 31))
    sale, *months = post(ev.invoice_raised(117083, date(2026, 9, 1), sub, number="INV-8"))
    assert totals([sale]) == {
        "receivables:schools": 144_006,
        "deferred-income": -120_005,
        "vat:output": -24_001,
    }
    assert [m.dated for m in months] == [
        date(2026, 9, 30), date(2026, 10, 31), date(2026, 11, 30), date(2026, 12, 31),
        date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30),
        date(2027, 5, 31), date(2027, 6, 30), date(2027, 7, 31), date(2027, 8, 31),
    ]  # fmt: skip
    # £1,200.05 over 12 months: £100.00 for the first seven, £100.01 for the last five
    assert [totals([m])["traded:income:governance"] for m in months] == [-10_000] * 7 + [
        -10_001
    ] * 5
    assert all(m.kind == "recognition" for m in months)
    assert totals([sale, *months]) == {
        "receivables:schools": 144_006,
        "traded:income:governance": -120_005,
        "vat:output": -24_001,
    }


def test_a_subscription_sold_part_way_through_its_term_catches_up_at_once() -> None:
    sub = ev.subscription(12_000, date(2026, 9, 1), date(2027, 8, 31))
    sale, *months = post(ev.order_paid(117083, date(2026, 11, 15), sub))
    assert totals([sale])["traded:income:governance"] == -2_000  # September and October
    assert totals([sale])["deferred-income"] == -10_000
    assert months[0].dated == date(2026, 11, 30) and len(months) == 10


def test_a_course_is_recognised_on_the_day_it_runs() -> None:
    sale, on_the_day = post(
        ev.order_paid(117084, date(2026, 10, 1), ev.course(59_999, date(2027, 1, 20)))
    )
    assert totals([sale])["deferred-income"] == -59_999
    assert at(on_the_day) == (
        date(2027, 1, 20),
        {"deferred-income": 59_999, "traded:income:cpd-and-leadership": -59_999},
    )


def test_a_settlement_moves_the_debt_to_the_bank() -> None:
    (settled,) = post(ev.invoice_settled(117499, date(2026, 11, 1), number="INV-7", pence=12_001))
    assert totals([settled]) == {"bank": 12_001, "receivables:schools": -12_001}
    assert settled.kind == "settlement"


def test_a_refund_reverses_income_vat_and_clearing() -> None:
    (refund,) = post(ev.refund_issued(117083, date(2026, 10, 9), ev.line(50_000), reference="pi_A"))
    assert totals([refund]) == {
        "clearing:stripe": -60_000,
        "traded:income:hr-and-employment": 50_000,
        "vat:output": 10_000,
    }


def by_bank_transfer(refund: RefundIssuedV1, reference: str | None) -> RefundIssuedV1:
    paid = {"method": "bank_transfer", "transfer_reference": reference}
    return RefundIssuedV1.model_validate({**refund.model_dump(), **paid})


def test_a_refund_paid_by_bank_transfer_leaves_the_bank_not_stripe_clearing() -> None:
    card = ev.refund_issued(117083, date(2026, 10, 9), ev.line(50_000), reference="pi_A")
    (refund,) = post(by_bank_transfer(card, "FP 0042"))
    assert totals([refund]) == {
        "bank": -60_000,
        "traded:income:hr-and-employment": 50_000,
        "vat:output": 10_000,
    }
    assert "by bank transfer FP 0042" in refund.description


def test_a_refund_by_bank_transfer_names_the_bank_s_reference() -> None:
    card = ev.refund_issued(117083, date(2026, 10, 9), ev.line(50_000), reference="pi_A")
    with pytest.raises(ValidationError, match="names the bank's payment reference"):
        by_bank_transfer(card, None)


def test_a_refund_of_a_course_not_yet_run_takes_back_deferred_income_and_its_recognition() -> None:
    course = ev.course(59_999, date(2027, 1, 20))
    sold = post(ev.order_paid(117084, date(2026, 10, 1), course, reference="pi_B"))
    refunded = post(ev.refund_issued(117084, date(2026, 11, 2), course, reference="pi_B"))
    assert totals([refunded[0]])["deferred-income"] == 59_999
    assert totals(sold + refunded) == {}


def test_a_credit_note_reduces_the_invoice_and_the_income() -> None:
    (credit,) = post(ev.credit_note(117499, date(2026, 10, 20), ev.line(2_500), invoice="INV-7"))
    assert totals([credit]) == {
        "receivables:schools": -3_000,
        "traded:income:hr-and-employment": 2_500,
        "vat:output": 500,
    }
    assert credit.kind == "credit_note" and credit.postings[0].dimensions.document == "INV-7"


def test_an_la_invoice_is_statutory_income_for_its_contract() -> None:
    (invoice,) = post(ev.la_invoice(3_000_001, date(2026, 12, 18), number="LA-1", funding="grant"))
    assert invoice.strand == "statutory"
    assert totals([invoice]) == {
        "receivables:la": 3_600_001,
        "statutory:income:hcc-si-2026": -3_000_001,
        "vat:output": -600_000,
    }
    dims = invoice.postings[1].dimensions
    assert (dims.contract_id, dims.funding_source) == (str(ev.CONTRACT), "grant")


def test_a_service_credit_reduces_statutory_income_and_the_la_debt() -> None:
    (credit,) = post(ev.service_credit(100_000, date(2027, 1, 10), funding="grant"))
    assert totals([credit]) == {
        "receivables:la": -120_000,
        "statutory:income:hcc-si-2026": 100_000,
        "vat:output": 20_000,
    }
    assert credit.postings[0].dimensions.funding_source == "grant"  # counts against grant


def test_a_service_credit_for_the_longest_reason_is_posted_and_announced_described_in_short() -> (
    None
):
    """Its description ("Service credit on contract …: {reason}") outgrew the posted event's
    4,000 characters, which refused it: the credit was parked, never posted."""
    reason = ("Monitoring visit reports were late and incomplete for the autumn term. " * 60)[:4000]
    event = ev.service_credit(100_000, date(2027, 1, 10)).model_copy(update={"reason": reason})
    (credit,) = post(event)
    assert len(credit.description) == DESCRIPTION_WIDTH
    assert credit.description.startswith("Service credit on contract HCC-SI-2026: Monitoring")
    assert credit.description.endswith("…")
    assert transaction_posted(credit, date(2027, 1, 10)).description == credit.description


def test_a_completed_deployment_is_the_providers_statutory_cost() -> None:
    (cost,) = post(ev.deployment(90_000, date(2026, 11, 12), urn=117504))
    assert cost.strand == "statutory" and cost.kind == "provider_cost"
    assert totals([cost]) == {
        "statutory:cost:delivery": 90_000,
        "vat:input": 18_000,
        "payables:providers": -108_000,
    }
    assert cost.postings[0].dimensions.urn == 117504


def test_recognitions_are_keyed_apart_from_the_sale_so_each_posts_once() -> None:
    event = ev.order_paid(
        117083, date(2026, 9, 1), ev.subscription(1_200, date(2026, 9, 1), date(2027, 8, 31))
    )
    envelope: Envelope[Any] = ev.envelope(event)
    first = POSTING_RULES[type(event)].post(envelope, Known({})).transactions
    again = POSTING_RULES[type(event)].post(envelope, Known({})).transactions
    keys = [t.source.key for t in first]
    assert len(set(keys)) == len(keys) == 13  # the sale, then twelve month-ends
    assert [t.id for t in first] == [t.id for t in again]  # the same cause, the same id


def test_events_that_move_no_money_have_no_rule() -> None:
    assert OrderPlacedV1 not in POSTING_RULES
    assert OrderFulfilledV1 not in POSTING_RULES  # it moves what the sale held: see below
    assert EVENTS[OrderFulfilledV1] is on_order_fulfilled


def test_a_consultancy_day_waits_in_deferred_income_until_its_order_is_delivered() -> None:
    day = ev.consultancy(62_500)
    event = ev.invoice_raised(117083, date(2026, 11, 2), day, number="INV-C")
    waiting = POSTING_RULES[type(event)].post(ev.envelope(event), Known({}))
    (sale,) = waiting.transactions
    assert totals([sale]) == {
        "receivables:schools": 75_000,
        "deferred-income": -62_500,
        "vat:output": -12_500,
    }
    assert [(item.line_id, item.pence) for item in waiting.awaiting_delivery] == [
        (str(day.line_id), 62_500)
    ]
    # the order delivered already (its fulfilment applied first): income on the day delivered
    known = Known({}, delivered_on=date(2026, 11, 20))
    after = POSTING_RULES[type(event)].post(ev.envelope(event), known)
    assert after.awaiting_delivery == []
    assert [at(t) for t in after.transactions] == [
        (
            date(2026, 11, 2),
            {"receivables:schools": 75_000, "deferred-income": -62_500, "vat:output": -12_500},
        ),
        (
            date(2026, 11, 20),
            {"deferred-income": 62_500, "traded:income:school-improvement": -62_500},
        ),
    ]


def test_a_refund_of_a_day_not_yet_delivered_takes_from_what_its_sale_held() -> None:
    day = ev.consultancy(62_500)
    event = ev.refund_issued(117083, date(2026, 11, 9), day, reference="pi_C")
    entries = POSTING_RULES[type(event)].post(ev.envelope(event), Known({}))
    assert totals(entries.transactions) == {
        "clearing:stripe": -75_000,
        "deferred-income": 62_500,
        "vat:output": 12_500,
    }
    assert [item.pence for item in entries.awaiting_delivery] == [-62_500]
    # one sold before income waited for delivery: its sale booked income, which this takes back
    sold_then = Known({}, income_at_sale=frozenset({str(day.line_id)}))
    entries = POSTING_RULES[type(event)].post(ev.envelope(event), sold_then)
    assert "traded:income:school-improvement" in totals(entries.transactions)
    assert entries.awaiting_delivery == []


def test_a_traded_sale_may_not_touch_a_statutory_account() -> None:
    from services.ledger.domain import accounts as chart
    from services.ledger.domain.transaction import JournalTransaction, Posting, Source

    with pytest.raises(Invalid, match="statutory strand"):
        JournalTransaction(
            source=Source("k", "test"),
            kind="sale",
            strand="traded",  # type: ignore[arg-type]
            description="mixed",
            dated=date(2026, 10, 1),
            postings=(
                Posting(chart.traded_income("Governance"), -100),
                Posting(chart.STATUTORY_DELIVERY, 100),
            ),
        )


def by_what_the_event_says(transaction: JournalTransaction) -> Counter[tuple[object, ...]]:
    """The book's postings summed by what the posted event says of each."""
    found: Counter[tuple[object, ...]] = Counter()
    for posting in transaction.postings:
        at = posting.dimensions
        key = (posting.account.code, at.urn, at.service_id, at.category, at.contract_id)
        found[key] += posting.amount_pence
    return found


def carried(posted: TransactionPostedV1) -> dict[tuple[object, ...], int]:
    """The posted event's postings, by what it says of each."""
    return {
        (p.account, p.urn, p.service_id, p.category, p.contract_id): p.amount_pence
        for p in posted.postings
    }


def test_the_posted_event_of_the_largest_sale_of_the_longest_terms_can_be_sent() -> None:
    """A sale defers each line's income month by month: the posted event carries the postings
    summed by what it says of each (evaluation adds up what it reads), so a hundred lines of
    the longest term make an event of a posting or two a line, not one a month."""
    start = date(2026, 9, 1)
    lines = [ev.subscription(120_005 + n, start, start + MAX_TERM) for n in range(100)]
    sale, *_ = post(ev.invoice_raised(117083, start, *lines, number="INV-8"))
    posted = transaction_posted(sale, start)
    assert len(sale.postings) > 100 * 24
    sums = carried(posted)
    assert len(posted.postings) == len(sums) < 100 * 2 + 2  # each key once
    assert sums == by_what_the_event_says(sale)
    assert list(sums) == list(by_what_the_event_says(sale))  # in the order each is first posted
    assert transaction_posted(sale, start) == posted
    assert len(Envelope.of(posted).model_dump_json().encode()) < MAX_EVENT_BYTES


def test_the_posted_events_of_a_trusts_invoice_of_500_subscriptions_can_be_sent() -> None:
    """Fifty schools of a trust checking out ten annual subscriptions each: the sale and each
    month's recognition make events the bus carries, each smaller than the invoice's own (for
    lines like these, the invoice's event is the one to outgrow the bus, not the ledger's)."""
    start = date(2026, 9, 1)
    raised = ev.trust_subscriptions(50, 10, start, date(2027, 8, 31))
    invoice_bytes = len(ev.envelope(raised).model_dump_json().encode())
    transactions = post(raised)
    assert len(transactions) == 1 + 12 and len(transactions[0].postings) > 500 * 11
    for transaction in transactions:
        posted = transaction_posted(transaction, transaction.dated)
        assert len(Envelope.of(posted).model_dump_json().encode()) < invoice_bytes
        assert carried(posted) == by_what_the_event_says(transaction)
    assert invoice_bytes < MAX_EVENT_BYTES
