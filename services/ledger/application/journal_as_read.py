"""The journal as an accountant reads it: each entry's date, reference, description, the
school beside its URN, the source document, and one line per account with debit and credit
columns. A sale's income recognised month by month is one schedule under the sale, shown once;
a recognition is listed as an entry of its own once its day has come."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from services.ledger.domain.accounts import DEFERRED_INCOME
from services.ledger.domain.transaction import (
    JOURNAL_SUBJECT,
    LA_PAYMENT_SUBJECT,
    REVERSAL_SUBJECT,
)

DOCUMENTS = {  # the event that caused an entry → the kind of document behind it
    "orders.order.paid.v1": "card payment",
    "orders.refund.issued.v1": "card payment",
    "orders.invoice.raised.v1": "invoice",
    "orders.invoice.settled.v1": "invoice",
    "orders.credit_note.issued.v1": "invoice",
    "orders.order.fulfilled.v1": "order delivered",
    "commissioning.invoice.raised.v1": "LA invoice",
    "commissioning.service_credit.applied.v1": "LA invoice",
    "commissioning.deployment.completed.v1": "contract",
    LA_PAYMENT_SUBJECT: "LA invoice",
    JOURNAL_SUBJECT: "journal",
    REVERSAL_SUBJECT: "reversal",
}


@dataclass(frozen=True)
class Names:
    accounts: dict[str, str]
    schools: dict[int, str]
    contracts: dict[str, tuple[str, str]]  # id → (reference, title)


def entries(
    found: list[dict[str, Any]],
    recognitions: list[dict[str, Any]],
    names: Names,
    *,
    as_of: date,
    held: Mapping[str, int] | None = None,
) -> list[dict[str, Any]]:
    """The entries `found`, each sale with its schedule of `recognitions` and what it still
    `held` for its order's delivery (by the sale's document)."""
    schedules: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in recognitions:
        schedules[row["source_event_id"]].append(row)
    return [
        entry(
            row,
            names,
            schedules.get(row["source_event_id"] or "", []),
            as_of=as_of,
            held=held or {},
        )
        for row in found
    ]


def entry(
    row: dict[str, Any],
    names: Names,
    recognitions: list[dict[str, Any]],
    *,
    as_of: date,
    held: Mapping[str, int],
) -> dict[str, Any]:
    postings = row["postings"]
    # a trust's document is the trust's: its first school's URN on it names no debtor
    trust = next((p["trust_code"] for p in postings if p.get("trust_code")), None)
    urn = None if trust else next((p["urn"] for p in postings if p["urn"] is not None), None)
    contract_id = next((p["contract_id"] for p in postings if p["contract_id"]), None)
    document = next((p["document"] for p in postings if p["document"]), None)
    reference, title = names.contracts.get(contract_id or "", (None, None))
    return {
        "id": row["id"],
        "posted_on": row["posted_on"],
        "dated": row["dated"],
        "reference": document or row["source_key"].removeprefix("journal:"),
        "description": row["description"],
        "kind": row["kind"],
        "strand": row["strand"],
        "note": row["note"],
        "urn": urn,
        "school_name": names.schools.get(urn) if urn is not None else None,
        "document_kind": DOCUMENTS.get(row["source_subject"], row["kind"].replace("_", " ")),
        "document": document,
        "reversal_reason": row["reversal_reason"],
        "contract_id": contract_id,
        "contract_reference": reference,
        "contract_title": title,
        "lines": lines(postings, names.accounts),
        "schedule": schedule(recognitions, as_of=as_of) if is_the_sale(row) else None,
        "on_delivery_pence": held.get(document or "", 0) if is_a_sale(row) else 0,
    }


def is_a_sale(row: dict[str, Any]) -> bool:
    return bool(row["kind"] == "sale" and is_the_sale(row))


def is_the_sale(row: dict[str, Any]) -> bool:
    """The event's own entry (its recognitions and any reversal carry the same event id)."""
    return bool(row["source_key"] == row["source_event_id"])


def lines(postings: list[dict[str, Any]], account_names: dict[str, str]) -> list[dict[str, Any]]:
    """One line per account (postings to the same account add up), debits first."""
    by_account: dict[str, int] = {}
    for posting in postings:
        by_account[posting["account"]] = by_account.get(posting["account"], 0) + int(
            posting["amount_pence"]
        )
    return sorted(
        (
            {
                "account": code,
                "account_name": account_names.get(code, code),
                "debit_pence": max(pence, 0),
                "credit_pence": max(-pence, 0),
            }
            for code, pence in by_account.items()
            if pence
        ),
        key=lambda line: line["debit_pence"] == 0,
    )


def schedule(recognitions: list[dict[str, Any]], *, as_of: date) -> dict[str, Any] | None:
    """The days a sale's deferred income becomes income, each part once, and how much of it is
    recognised so far."""
    if not recognitions:
        return None
    parts = []
    for row in sorted(recognitions, key=lambda r: r["dated"]):
        income = -sum(
            p["amount_pence"] for p in row["postings"] if p["account"] != DEFERRED_INCOME.code
        )
        posted = row["posted_on"] is not None and row["posted_on"] <= as_of  # None: waiting
        parts.append({"on": row["dated"], "pence": income, "posted": posted})
    amounts = {part["pence"] for part in parts}
    return {
        "parts": parts,
        "count": len(parts),
        "each_pence": amounts.pop() if len(amounts) == 1 else None,
        "total_pence": sum(part["pence"] for part in parts),
        "recognised_pence": sum(part["pence"] for part in parts if part["posted"]),
        "first_on": parts[0]["on"],
        "last_on": parts[-1]["on"],
    }
