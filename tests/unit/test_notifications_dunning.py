"""The rules of chasing an invoice: who owes it, and what is left of it after the payments and
credits applied before it was seen."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from uuid import uuid4

from services.notifications.domain.dunning import (
    EarlyReduction,
    OpenInvoice,
    reminder_text,
    stage_on,
)


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
    today = date(2026, 11, 25)
    assert reminder_text(invoice, today)[1].startswith("Abbots Langley School: ")
    assert reminder_text(trusts, today)[1].startswith("Demo Academy Trust: ")


INVOICE = OpenInvoice(
    invoice_id=uuid4(),
    number="INV-1",
    urn=117083,
    school_name="Abbots Langley School",
    due_on=date(2026, 12, 2),
    outstanding_pence=20_000,
    gross_pence=120_000,
)


def chased(invoice: OpenInvoice, today: date) -> tuple[str, str]:
    assert stage_on(invoice, today) is not None
    subject, body = reminder_text(invoice, today)
    return subject, " ".join(body.split())


def test_a_part_paid_invoice_is_chased_for_what_is_left_beside_its_total() -> None:
    _, body = chased(INVOICE, date(2026, 11, 25))
    assert body.startswith(
        "Abbots Langley School: £200.00 of invoice INV-1 (£1,200.00 including any VAT) is "
        "still owed; it is due on 2 December 2026."
    )


def test_an_invoice_nothing_was_paid_on_is_chased_for_its_total() -> None:
    unpaid = replace(INVOICE, outstanding_pence=120_000)
    _, body = chased(unpaid, date(2026, 11, 25))
    assert body.startswith(
        "Abbots Langley School: invoice INV-1 for £1,200.00 (including any VAT) is not yet "
        "paid; it is due on 2 December 2026."
    )


def test_an_invoice_kept_before_its_total_was_is_chased_for_what_is_left() -> None:
    _, body = chased(replace(INVOICE, gross_pence=None), date(2026, 11, 25))
    assert body.startswith("Abbots Langley School: £200.00 is still owed on invoice INV-1;")


def test_an_overdue_invoice_is_said_to_have_been_due_not_to_be_due() -> None:
    subject, body = chased(INVOICE, date(2027, 1, 1))
    assert subject == "Invoice INV-1 is 30 days overdue"
    assert "it was due on 2 December 2026." in body
    assert "is due on" not in body


def test_a_reminder_first_sent_late_says_when_it_is_due_by_the_day_it_is_sent() -> None:
    # raised five days before it is due: the week's reminder goes out with five days left
    assert chased(INVOICE, date(2026, 11, 27))[0] == "Invoice INV-1 is due in 5 days"
    assert chased(INVOICE, date(2026, 12, 1))[0] == "Invoice INV-1 is due tomorrow"
    assert chased(INVOICE, date(2026, 12, 2))[0] == "Invoice INV-1 is due today"
    # the worker down on its due day: the reminder of that day goes out overdue
    subject, body = chased(INVOICE, date(2026, 12, 7))
    assert subject == "Invoice INV-1 is 5 days overdue"
    assert "it was due on 2 December 2026." in body
