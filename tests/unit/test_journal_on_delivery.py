"""The journal says what a sale still holds for its order's delivery (a consultancy day not yet
delivered nor given back) beside its schedule, and says it of the sale alone."""

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


def entry_of(*postings: dict[str, Any], kind: str) -> dict[str, Any]:
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
        "reversal_reason": None,
        "postings": list(postings),
    }


def test_a_sale_shows_what_it_still_holds_for_delivery_and_its_credit_note_does_not() -> None:
    sale = entry_of(
        posting("receivables:schools", 75_000),
        posting("deferred-income", -62_500),
        posting("vat:output", -12_500),
        kind="sale",
    )
    credit = entry_of(
        posting("deferred-income", 12_500),
        posting("receivables:schools", -15_000),
        posting("vat:output", 2_500),
        kind="credit_note",
    )
    held = {"INV-C": 50_000}  # £125 of the day credited before delivery
    found = entries([sale, credit], [], NAMES, as_of=date(2026, 12, 1), held=held)
    assert [entry["on_delivery_pence"] for entry in found] == [50_000, 0]
    delivered = entries([sale], [], NAMES, as_of=date(2026, 12, 1), held={})
    assert delivered[0]["on_delivery_pence"] == 0  # delivered (or given back): nothing waits
