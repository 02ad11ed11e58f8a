"""Reminding a school of an invoice: a week before it is due, on the day, then at 30 and 60
days overdue; nothing once it is paid or credited."""

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
    subject: str


STAGES = (
    Stage("due-in-7-days", -7, "Invoice {number} is due in 7 days"),
    Stage("due-today", 0, "Invoice {number} is due today"),
    Stage("overdue-30-days", 30, "Invoice {number} is 30 days overdue"),
    Stage("overdue-60-days", 60, "Invoice {number} is 60 days overdue"),
)


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


def reminder_text(invoice: OpenInvoice, stage: Stage) -> tuple[str, str]:
    subject = stage.subject.format(number=invoice.number)
    body = (
        f"{invoice.debtor}: invoice {invoice.number} for "
        f"{format_pounds(invoice.outstanding_pence)} is due on "
        f"{long_date(invoice.due_on)}.\n\n"
        "Please pay it by BACS quoting the invoice number, or tell us if you think it is wrong."
    )
    return subject, body
