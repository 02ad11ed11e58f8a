"""Revenue recognition: when the net of a sold line becomes income.

An annual (or any) subscription is recognised in equal monthly parts over the calendar months
its term touches, each on the last day of that month within the term (the pence that do not
divide go to the last months, as `shared.money.monthly_parts` spreads them, so that a credit for
a term's unused months takes back each month's income exactly); a course on the day it runs;
a line neither dated nor termed (a consultancy day) on the day its order is delivered
(`entries.delivered`), or when sold if its event is from before lines had ids. Parts that fall
on or before the day of sale are recognised at once.

Income is never recognised ahead of time: until its day a part waits in deferred income, and
its recognition waits in the schedule; the recognition job posts it on (or after) that day.
"""

from __future__ import annotations

from datetime import date, timedelta

from services.ledger.domain.periods import first_of_next_month
from services.ledger.domain.transaction import JournalTransaction
from shared.money import monthly_parts

RECOGNITION = "recognition"  # the kind of transaction that moves deferred income to income


def not_yet_due(
    transactions: list[JournalTransaction], today: date
) -> tuple[list[JournalTransaction], list[JournalTransaction]]:
    """(what may be posted today, the recognitions that must wait for their day)."""

    def waits(transaction: JournalTransaction) -> bool:
        return transaction.kind == RECOGNITION and transaction.dated > today

    return [t for t in transactions if not waits(t)], [t for t in transactions if waits(t)]


def schedule(
    net_pence: int,
    *,
    sold_on: date,
    delivery_on: date | None = None,
    term_start: date | None = None,
    term_end: date | None = None,
) -> list[tuple[date, int]]:
    """[(day, pence)] in date order, summing to `net_pence`; the first day may be `sold_on`."""
    if term_start and term_end and term_end >= term_start:
        parts = _monthly(net_pence, term_start, term_end)
    elif delivery_on:
        parts = [(delivery_on, net_pence)]
    else:
        parts = [(sold_on, net_pence)]
    merged: dict[date, int] = {}
    for day, pence in parts:
        merged[max(day, sold_on)] = merged.get(max(day, sold_on), 0) + pence
    return [(day, pence) for day, pence in sorted(merged.items()) if pence]


def _monthly(net_pence: int, start: date, end: date) -> list[tuple[date, int]]:
    month_ends: list[date] = []
    month = date(start.year, start.month, 1)
    while month <= end:
        month_ends.append(min(first_of_next_month(month) - timedelta(days=1), end))
        month = first_of_next_month(month)
    return list(zip(month_ends, monthly_parts(net_pence, len(month_ends)), strict=True))
