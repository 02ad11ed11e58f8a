"""How much of a line comes back when an order is cancelled, by the rule of its service type.

- course (and consultancy with a delivery date): all of it until 14 days before the day it
  runs, half until 7 days before, nothing after that; but all of it, whenever cancelled, for
  places still on the waiting list (no place was ever held for the school);
- subscription (and a rolling service's period): pro rata by the whole calendar months of its term still unused (a month counts
  as unused only if it begins after the day of cancellation);
- anything else: all of it until it has been delivered, nothing after;
- a course session the catalogue called off (under its minimum): all of it, always.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from services.orders.domain.lines import TERMED, Booking, OrderLine
from shared.money import Amounts, vat_on

FULL_REFUND_DAYS = 14
HALF_REFUND_DAYS = 7
SESSION_CALLED_OFF = "the session was cancelled: full refund"
OFFER_DECLINED = "the places offered were declined: full refund"
OFFER_LAPSED = "the places offered were not accepted in time: full refund"


@dataclass(frozen=True)
class LineRefund:
    line: OrderLine
    amounts: Amounts
    rule: str


def refund_share(line: OrderLine, *, today: date, fulfilled: bool) -> tuple[Fraction, str]:
    if line.booking is Booking.WAITING:
        return Fraction(1), "still on the waiting list: full refund"
    if line.delivery_on is not None:
        days = (line.delivery_on - today).days
        if days >= FULL_REFUND_DAYS:
            return Fraction(1), f"{days} days before it runs: full refund"
        if days >= HALF_REFUND_DAYS:
            return Fraction(1, 2), f"{days} days before it runs: half refunded"
        return Fraction(0), f"{days} days before it runs: no refund"
    if line.service_type in TERMED and line.term_start and line.term_end:
        total = months_between(line.term_start, line.term_end)
        unused = min(total, months_between(_first_month_after(today), line.term_end))
        if today < line.term_start:
            unused = total
        return Fraction(unused, total), f"{unused} of {total} months unused"
    if fulfilled:
        return Fraction(0), "already delivered: no refund"
    return Fraction(1), "not yet delivered: full refund"


def line_refund(line: OrderLine, *, today: date, fulfilled: bool) -> LineRefund:
    share, rule = refund_share(line, today=today, fulfilled=fulfilled)
    net = int(line.amounts.net * share)  # rounds towards zero: never more than the share
    return LineRefund(
        line=line, amounts=Amounts(net=net, vat=vat_on(net, line.vat_rate)), rule=rule
    )


def full_refund(line: OrderLine, rule: str) -> LineRefund:
    return LineRefund(line=line, amounts=line.amounts, rule=rule)


def months_between(first_day: date, last_day: date) -> int:
    """Whole calendar months from the month of `first_day` to the month of `last_day`."""
    if first_day > last_day:
        return 0
    return (last_day.year - first_day.year) * 12 + last_day.month - first_day.month + 1


def _first_month_after(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def allocate(gross_pence: int, lines: list[OrderLine]) -> list[LineRefund]:
    """Spread a refund of a gross amount over the lines in order, each up to its own gross,
    splitting each part into net and VAT in the line's own proportion."""
    left = gross_pence
    found = []
    for line in lines:
        if left <= 0:
            break
        whole = line.amounts
        part = min(left, whole.gross)
        vat = part * whole.vat // whole.gross if whole.gross else 0
        found.append(LineRefund(line, Amounts(net=part - vat, vat=vat), "amount refunded"))
        left -= part
    return found
