"""Reminding a school of an invoice: a week before it is due, on the day, then at 30 and 60
days overdue; nothing once it is paid or credited. Each says what is still owed beside the
invoice's total (a part paid or credited invoice is not chased for its total), and when it is
or was due by the day it goes out (a stage first reached late, the invoice seen late or the
worker down, is not "due in 7 days")."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from uuid import UUID

from shared.calendar import long_date
from shared.money import format_pounds


@dataclass(frozen=True)
class Stage:
    name: str
    days_after_due: int


STAGES = (
    Stage("due-in-7-days", -7),
    Stage("due-today", 0),
    Stage("overdue-30-days", 30),
    Stage("overdue-60-days", 60),
)


def reminder_key(stage: Stage, invoice_id: UUID) -> str:
    return f"invoice-{stage.name}:{invoice_id}"


def reminder_keys(invoice_id: UUID) -> tuple[str, ...]:
    """Every reminder an invoice makes."""
    return tuple(reminder_key(stage, invoice_id) for stage in STAGES)


@dataclass(frozen=True)
class OpenInvoice:
    invoice_id: UUID
    number: str
    urn: int
    school_name: str
    due_on: date
    outstanding_pence: int
    trust_name: str | None = None  # a trust's invoice: the trust is the customer
    trust_code: str | None = None
    gross_pence: int | None = None  # its total, VAT included (None: kept before it was)

    @property
    def debtor(self) -> str:
        return self.trust_name or self.school_name


@dataclass(frozen=True)
class EarlyReduction:
    """What payments and credits applied before their invoice was seen took off it (each
    subject has its own consumer): the least any said is left, and what credits that did not
    say so took off in all."""

    owed_pence: int | None = None
    less_pence: int = 0

    def owes(self, pence: int) -> EarlyReduction:
        return replace(self, owed_pence=_least(self.owed_pence, pence))

    def less(self, pence: int) -> EarlyReduction:
        return replace(self, less_pence=self.less_pence + pence)

    def left_of(self, gross_pence: int) -> int:
        return _least(self.owed_pence, gross_pence) - self.less_pence


def _least(owed_pence: int | None, pence: int) -> int:
    return pence if owed_pence is None else min(owed_pence, pence)


def stage_on(invoice: OpenInvoice, today: date) -> Stage | None:
    """The latest reminder due by `today`; None before the first or once nothing is owed.

    Only the latest: a worker that was down over two stages sends the one that is true now,
    not a stale "due in 7 days" beside an "overdue"."""
    if invoice.outstanding_pence <= 0:
        return None
    reached = [s for s in STAGES if today >= invoice.due_on + timedelta(days=s.days_after_due)]
    return reached[-1] if reached else None


def reminder_text(invoice: OpenInvoice, today: date) -> tuple[str, str]:
    """The reminder sent `today`: one message each stage (the stage is its key), worded by the
    day it goes out."""
    days_left = (invoice.due_on - today).days
    subject = f"Invoice {invoice.number} {_due_in(days_left)}"
    due_on = long_date(invoice.due_on)
    if days_left > 0:
        when = f"it is due on {due_on}"
    elif days_left == 0:
        when = f"it is due today, {due_on}"
    else:
        when = f"it was due on {due_on}"
    body = (
        f"{invoice.debtor}: {_owed(invoice)}; {when}.\n\n"
        "Please pay what is owed by BACS quoting the invoice number, or tell us if you think "
        "it is wrong."
    )
    return subject, body


def _due_in(days_left: int) -> str:
    if days_left > 1:
        return f"is due in {days_left} days"
    if days_left == 1:
        return "is due tomorrow"
    if days_left == 0:
        return "is due today"
    overdue = -days_left
    return f"is {overdue} day{'' if overdue == 1 else 's'} overdue"


def _owed(invoice: OpenInvoice) -> str:
    owed = format_pounds(invoice.outstanding_pence)
    if invoice.gross_pence is None:
        return f"{owed} is still owed on invoice {invoice.number}"
    total = format_pounds(invoice.gross_pence)
    if invoice.outstanding_pence >= invoice.gross_pence:
        return f"invoice {invoice.number} for {total} (including any VAT) is not yet paid"
    return f"{owed} of invoice {invoice.number} ({total} including any VAT) is still owed"
