"""Money received against an invoice, a school's remittance and the LA's payment alike: received
by the day it is recorded and not before the invoice was issued, more than nothing and never
more than is left to pay on the invoice."""

from __future__ import annotations

from datetime import date

from shared.calendar import long_date
from shared.dates import refuse_before, refuse_future
from shared.errors import Invalid
from shared.money import format_pounds


def refuse_received_after_today(received_on: date, *, today: date) -> None:
    refuse_future(
        received_on,
        today=today,
        refusal="a remittance cannot have been received after today",
        field="received_on",
    )


def refuse_received_before_invoice(received_on: date, *, invoiced_on: date | None) -> None:
    """Money dated before its invoice would show the invoice paid before it was owed, and book
    the bank's receipt in a period before the sale (None: the book has no invoice's day)."""
    if invoiced_on is not None:
        refuse_before(
            received_on,
            earliest=invoiced_on,
            refusal="a remittance cannot have been received before its invoice was issued, "
            f"on {long_date(invoiced_on)}",
            field="received_on",
        )


def refuse_beyond_outstanding(amount_pence: int, *, outstanding_pence: int) -> None:
    if not 0 < amount_pence <= outstanding_pence:
        raise Invalid(
            f"a remittance must be more than £0.00 and at most the "
            f"{format_pounds(outstanding_pence)} outstanding",
            field="amount_pence",
        )
