"""The journal says when a sale's deferred income is earned: its schedule for the parts that
have days, and what waits for the order's delivery (a consultancy day) beside it."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

from services.ledger.application.journal_as_read import Names, entries

NAMES = Names(accounts={}, schools={117083: "Abbots Langley School"}, contracts={})


def posting(account: str, pence: int) -> dict[str, Any]:
    return {
        "account": account,
        "amount_pence": pence,
        "urn": 117083,
        "contract_id": None,
        "document": "INV-C",
    }


def sale(*postings: dict[str, Any], kind: str = "sale") -> dict[str, Any]:
    event_id = str(uuid4())
    return {
        "id": uuid4(),
        "posted_on": date(2026, 11, 2),
        "dated": date(2026, 11, 2),
        "source_key": event_id,
        "source_event_id": event_id,
        "source_subject": "orders.invoice.raised.v1",
        "kind": kind,
        "strand": "traded",
        "description": "Invoice INV-C to school 117083",
        "note": None,
        "postings": list(postings),
    }


def test_a_sale_s_deferred_income_with_no_day_is_shown_as_earned_on_delivery() -> None:
    consultancy_and_course = sale(
        posting("receivables:schools", 102_000),
        posting("deferred-income", -62_500),  # a consultancy day
        posting("deferred-income", -22_500),  # a course on 20 January
        posting("vat:output", -17_000),
    )
    course_day = {
        "source_event_id": consultancy_and_course["source_event_id"],
        "dated": date(2027, 1, 20),
        "posted_on": None,
        "postings": [
            {"account": "deferred-income", "amount_pence": 22_500},
            {"account": "traded:income:cpd", "amount_pence": -22_500},
        ],
    }
    (entry,) = entries([consultancy_and_course], [course_day], NAMES, as_of=date(2026, 12, 1))
    assert entry["schedule"]["total_pence"] == 22_500
    assert entry["on_delivery_pence"] == 62_500


def test_only_a_sale_has_income_waiting_for_delivery() -> None:
    refund = sale(
        posting("deferred-income", 62_500),
        posting("clearing:stripe", -75_000),
        posting("vat:output", 12_500),
        kind="refund",
    )
    subscription = sale(posting("receivables:schools", 12_000), posting("deferred-income", -12_000))
    month = {
        "source_event_id": subscription["source_event_id"],
        "dated": date(2026, 11, 30),
        "posted_on": None,
        "postings": [
            {"account": "deferred-income", "amount_pence": 12_000},
            {"account": "traded:income:governance", "amount_pence": -12_000},
        ],
    }
    found = entries([refund, subscription], [month], NAMES, as_of=date(2026, 11, 2))
    assert [entry["on_delivery_pence"] for entry in found] == [0, 0]
