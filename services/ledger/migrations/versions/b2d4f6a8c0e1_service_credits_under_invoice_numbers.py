"""Service credits under their invoice's number: a credit booked before its event named the LA
invoice it came off was filed under the invoice's internal id, an open item no invoice matched
(the LA's aged debt then counted the invoice whole); it is filed under the invoice's number
instead, and the LA's open items summed again

Commissioning takes a credit off an invoice of its contract as it raises that invoice, on the
invoice's day: the invoice of the credit's contract dated on or before the credit, the latest
(of two raised the same day, the one posted last before the credit), is the one it came off.
All the credits filed under one id go under one number.

Revision ID: b2d4f6a8c0e1
Revises: a1c3e5f7b9d2
Create Date: 2026-12-07 01:00:00

"""

from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

import sqlalchemy as sa
from alembic import op

from services.ledger.adapters.balances import add_open_items
from services.ledger.domain.accounts import LA_RECEIVABLES

revision: str = "b2d4f6a8c0e1"
down_revision: str | Sequence[str] | None = "a1c3e5f7b9d2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the postings to receivables: LA of invoices and of service credits
_RECEIVABLE = (
    "SELECT p.id, p.document, p.contract_id, t.dated, t.kind FROM journal_postings p "
    "JOIN journal_transactions t ON t.id = p.transaction_id "
    "WHERE p.account = :account AND t.kind IN ('la_invoice', 'service_credit')"
)
# a credit's postings, and those of its reversal, filed under the id
_REFILE = sa.text(
    "UPDATE journal_postings SET document = :number "
    "WHERE coalesce(document, '') = :filed AND transaction_id IN ("
    " SELECT id FROM journal_transactions WHERE kind = 'service_credit' OR reverses_id IN ("
    "  SELECT id FROM journal_transactions WHERE kind = 'service_credit'))"
)


class _Posted(NamedTuple):
    id: int
    document: str | None
    contract_id: str | None
    dated: date
    kind: str


def _invoice_of(credit: _Posted, invoices: list[_Posted]) -> str | None:
    """The number of the invoice the credit came off, None if the book holds none it could be."""
    candidates = [
        invoice
        for invoice in invoices
        if invoice.contract_id == credit.contract_id and invoice.dated <= credit.dated
    ]
    if not candidates:
        return None
    latest = max(invoice.dated for invoice in candidates)
    same_day = sorted(
        (invoice for invoice in candidates if invoice.dated == latest), key=lambda i: i.id
    )
    before = [invoice for invoice in same_day if invoice.id < credit.id]
    return (before or same_day)[-1].document


def upgrade() -> None:
    connection = op.get_bind()
    found = [
        _Posted(*row)
        for row in connection.execute(sa.text(_RECEIVABLE), {"account": LA_RECEIVABLES.code})
    ]
    invoices = [row for row in found if row.kind == "la_invoice" and row.document]
    numbers = {invoice.document for invoice in invoices}
    unmatched: dict[str, _Posted] = {}  # by the document it is filed under: its first credit
    for credit in sorted(found, key=lambda row: (row.dated, row.id)):
        if credit.kind == "service_credit" and credit.document not in numbers:
            unmatched.setdefault(credit.document or "", credit)
    refiled: list[dict[str, Any]] = []
    for filed, credit in unmatched.items():
        number = _invoice_of(credit, invoices)
        if number is not None:
            refiled.append({"filed": filed, "number": number})
    if refiled:
        connection.execute(_REFILE, refiled)
        op.execute(sa.text("DELETE FROM open_items WHERE account = :code").bindparams(
            code=LA_RECEIVABLES.code
        ))  # fmt: skip
        add_open_items(connection, LA_RECEIVABLES.code)


def downgrade() -> None:
    """The credits stay under their invoice's number, which the earlier code reads as well."""
