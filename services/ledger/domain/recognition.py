"""Revenue recognition: when the net of a sold line becomes income.

An annual (or any) subscription is recognised in equal monthly parts over the calendar months
its term touches, each on the last day of that month within the term (the pence that do not
divide go to the last months, as `shared.money.monthly_parts` spreads them, so that a credit for
a term's unused months takes back each month's income exactly); a course on the day it runs;
a line neither dated nor termed (a consultancy day) on the day its order is delivered
(`entries.delivered`), or when sold if its event is from before lines had ids. Parts that fall
on or before the day of sale are recognised at once.

A termed line given back in parts (refunds or credits of an amount, a cancellation's unused
months) takes from each month what leaves it holding the spread of what is left (`given_back`):
each part is the difference of two spreads, so the parts telescope, and a line given back whole
earns nothing in any month, however it was split.

Income is never recognised ahead of time: until its day a part waits in deferred income, and
its recognition waits in the schedule; the recognition job posts it on (or after) that day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
        parts = monthly(net_pence, term_start, term_end)
    elif delivery_on:
        parts = [(delivery_on, net_pence)]
    else:
        parts = [(sold_on, net_pence)]
    return on_or_after(parts, sold_on)


def on_or_after(parts: list[tuple[date, int]], sold_on: date) -> list[tuple[date, int]]:
    """These parts in date order, those that fall on or before `sold_on` together on that day."""
    merged: dict[date, int] = {}
    for day, pence in parts:
        merged[max(day, sold_on)] = merged.get(max(day, sold_on), 0) + pence
    return [(day, pence) for day, pence in sorted(merged.items()) if pence]


def term_days(start: date, end: date) -> list[date]:
    """The day each calendar month a term touches is earned on: its last day within the term."""
    month_ends: list[date] = []
    month = date(start.year, start.month, 1)
    while month <= end:
        month_ends.append(min(first_of_next_month(month) - timedelta(days=1), end))
        month = first_of_next_month(month)
    return month_ends


def monthly(net_pence: int, start: date, end: date) -> list[tuple[date, int]]:
    """A sale's net over its term: each month's day and its part."""
    days = term_days(start, end)
    return list(zip(days, monthly_parts(net_pence, len(days)), strict=True))


def still_earning(
    sold: Iterable[tuple[int, date, date]], changed: Iterable[tuple[date, int]]
) -> dict[date, int]:
    """What each month of a termed line still earns, by its day: its part of the line's sale
    (net pence over its term, `monthly`) plus what the book keeps for the month (what
    give-backs took from it, as less; for a line whose months the book kept before it kept
    its sales, the sale's part too)."""
    earning: dict[date, int] = {}
    for net_pence, start, end in sold:
        for day, pence in monthly(net_pence, start, end):
            earning[day] = earning.get(day, 0) + pence
    for day, pence in changed:
        earning[day] = earning.get(day, 0) + pence
    return earning


def giving_back(
    pence: int, start: date, end: date, holding: Mapping[date, int]
) -> list[tuple[date, int]]:
    """A give-back of `pence` over the months of `start`–`end`, each month's day and what it
    takes from that month, given what each still earns (`holding`; a month missing earns
    nothing the book knows of)."""
    days = term_days(start, end)
    return list(zip(days, given_back(pence, [holding.get(day, 0) for day in days]), strict=True))


def given_back(pence: int, earning: list[int]) -> list[int]:
    """What a give-back of `pence` takes from each of the months that still earn `earning`:
    what leaves them holding, month by month,
    - the spread of what is left (`monthly_parts`), if they hold the spread of what they hold
      (a sale's months, or what earlier give-backs of the same months left): so the parts
      telescope, and the months of a line given back in parts hold what a sale of what is left
      would earn in each, and nothing once it is given back whole. A cancellation's unused
      months (their share of the sale, `last_months_share`) are emptied exactly; months the
      book holds nothing for yet (the sale not applied yet, or from before the book kept its
      months) are given back the spread of all given back of them so far, less that before;
    - else (some months given back by a cancellation, the others not) what is left shared in
      proportion to what each holds, the odd pence to the largest remainders (the later month
      on a tie): no month is taken below nothing, and all are emptied when all is given back;
    - else (more than they hold, or the other way) in equal monthly parts."""
    months, held = len(earning), sum(earning)
    left = held - pence
    if earning == monthly_parts(held, months):
        after = monthly_parts(left, months)
    elif held and 0 <= left * held <= held * held and all(part * held >= 0 for part in earning):
        after = _shared(left, earning)
    else:
        return monthly_parts(pence, months)
    return [before - kept for before, kept in zip(earning, after, strict=True)]


def _shared(pence: int, weights: list[int]) -> list[int]:
    """`pence` in proportion to `weights` (all of its sign, or nothing): each part rounded
    towards nothing, the pence left over one each to the largest remainders, the later first."""
    total = sum(weights)
    sign = -1 if total < 0 else 1
    whole, of = abs(pence), abs(total)
    parts = [whole * abs(weight) // of for weight in weights]
    remainders = [whole * abs(weight) % of for weight in weights]
    spare = whole - sum(parts)
    ranked = sorted(range(len(weights)), key=lambda index: (remainders[index], index))
    for index in ranked[len(weights) - spare :] if spare else []:
        parts[index] += 1
    return [sign * part for part in parts]
