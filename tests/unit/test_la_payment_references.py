"""The bank's reference of an LA payment is kept whole on the transaction the book holds,
whatever words it contains, apart from the description written around it."""

from __future__ import annotations

from datetime import date

import pytest

from services.ledger.domain.la_payments import LaPayment, la_paid


@pytest.mark.parametrize(
    "reference",
    ["BACS 0001", "Payment Payment", "HCC by the LA against LA-000001", " spaced "],
)
def test_a_payments_reference_is_kept_whole_on_its_transaction(reference: str) -> None:
    payment = LaPayment(
        invoice_number="LA-000001", amount_pence=100, received_on=date(2026, 12, 1),
        reference=reference,
    )  # fmt: skip
    assert la_paid(payment).reference == reference
