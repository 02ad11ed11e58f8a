"""The rules of chasing an invoice: who owes it, and what is left of it after the payments and
credits applied before it was seen."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from services.notifications.domain.dunning import STAGES, EarlyReduction, OpenInvoice, reminder_text


def test_an_invoice_with_nothing_taken_off_early_is_owed_in_full() -> None:
    assert EarlyReduction().left_of(120_000) == 120_000


def test_the_least_any_early_payment_or_credit_said_is_left_is_owed() -> None:
    early = EarlyReduction().owes(60_000).owes(20_000).owes(40_000)
    assert early.left_of(120_000) == 20_000


def test_credits_that_did_not_say_what_is_left_each_come_off_what_is_owed() -> None:
    early = EarlyReduction().less(30_000).owes(60_000).less(10_000)
    assert early.left_of(120_000) == 20_000


def test_a_trusts_invoice_is_chased_from_the_trust_a_schools_from_the_school() -> None:
    invoice = OpenInvoice(
        invoice_id=uuid4(),
        number="INV-1",
        urn=117083,
        school_name="Abbots Langley School",
        due_on=date(2026, 12, 2),
        outstanding_pence=120_000,
    )
    trusts = OpenInvoice(**{**invoice.__dict__, "trust_name": "Demo Academy Trust"})
    assert reminder_text(invoice, STAGES[0])[1].startswith("Abbots Langley School: invoice INV-1")
    assert reminder_text(trusts, STAGES[0])[1].startswith("Demo Academy Trust: invoice INV-1")
