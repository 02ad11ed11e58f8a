"""How much of a line comes back when an order is cancelled, by the rule of its service type.

- course (and consultancy with a delivery date): all of it until 14 days before the day it
  runs, half until 7 days before, nothing after that; but all of it, whenever cancelled, for
  places still on the waiting list or offered from it and not yet taken (no place was ever
  held for the school: declining the offer gives it all back too);
- subscription (and a rolling service's period): the whole calendar months of its term still
  unused (a month counts as unused only if it begins after the day of cancellation), each at
  the part of the line the ledger earns in it (`monthly_parts`: equal parts, the odd pence in
  the last months); the refund covers just those months, whose income it takes back exactly;
- anything else: all of it until it has been delivered, nothing after;
- a course session the catalogue called off (under its minimum): all of it, always; and so a
  line still on the waiting list when its session could no longer be booked, or refused its
  places because the course was no longer sold for the session's year when it was ordered, or
  its session had begun (or been called off) when the catalogue heard of the order.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction

from services.orders.domain.lines import TERMED, Booking, OrderLine
from services.orders.domain.states import PaymentStatus
from shared.money import ZERO, Amounts, format_pounds, last_months_share, vat_on

FULL_REFUND_DAYS = 14
HALF_REFUND_DAYS = 7
SESSION_CALLED_OFF = "the session was cancelled: full refund"
OFFER_DECLINED = "the places offered were declined: full refund"
OFFER_LAPSED = "the places offered were not accepted in time: full refund"
NO_PLACE_CAME = "no place came free before the session: full refund"
YEAR_NOT_SOLD = "the course was no longer sold for the session's year: full refund"
SESSION_BEGUN = "the session had already begun: full refund"
COURSE_RETIRED = "the course was no longer sold when the order was placed: full refund"
GIVEN_BACK_BY = {  # why a line given back was: each is refunded in full
    Booking.CANCELLED: SESSION_CALLED_OFF,
    Booking.DECLINED: OFFER_DECLINED,
    Booking.LAPSED: OFFER_LAPSED,
    Booking.UNPLACED: NO_PLACE_CAME,
    Booking.REFUSED: YEAR_NOT_SOLD,
    Booking.TOO_LATE: SESSION_BEGUN,
    Booking.RETIRED: COURSE_RETIRED,
}
NOTHING_ASKED = "nothing paid or invoiced yet: nothing to give back"
ALL_REFUNDED = "the payment was already refunded in full: nothing left to give back"
# ... by refunds the card processor has not all made: being asked, or refused (owed still)
ALL_IN_REFUNDS = (
    "the whole payment is in earlier refunds, not all of them made yet: nothing left to give back"
)


@dataclass(frozen=True)
class CardRefunds:
    """Where an order's card refunds stand at the card processor, read with the order (never
    stored on it): made, still being asked, or refused for good. The order gives back all three
    (`Order.refunded_pence`): a refused refund keeps its share of the payment, so no later
    refund or cancellation gives that money back again; only finance asking again for that
    refund does, and only once it is made is it money returned."""

    made_pence: int = 0
    asked_pence: int = 0
    refused_pence: int = 0

    def asking(self, gross_pence: int) -> CardRefunds:
        """These, with a refund of `gross_pence` just recorded to be asked of the processor."""
        return replace(self, asked_pence=self.asked_pence + gross_pence)


@dataclass(frozen=True)
class LineRefund:
    line: OrderLine
    amounts: Amounts
    rule: str
    unused_from: date | None = None  # refunded pro rata by months: the first day given back

    @property
    def term(self) -> tuple[date | None, date | None]:
        """The part of the line's term this gives back (the ledger reverses the income of just
        those months): from the first unused month when refunded by months, else all of it."""
        return self.unused_from or self.line.term_start, self.line.term_end


def line_refund(line: OrderLine, *, today: date, fulfilled: bool) -> LineRefund:
    """What comes back of a line cancelled on `today`, by the rule of its service type."""
    if line.booking is Booking.WAITING:
        return _share(line, Fraction(1), "still on the waiting list: full refund")
    if line.booking is Booking.OFFERED:  # as declining the offer gives back
        return _share(line, Fraction(1), "places offered, not yet taken: full refund")
    if line.delivery_on is not None:
        days = (line.delivery_on - today).days
        if days >= FULL_REFUND_DAYS:
            return _share(line, Fraction(1), f"{days} days before it runs: full refund")
        if days >= HALF_REFUND_DAYS:
            return _share(line, Fraction(1, 2), f"{days} days before it runs: half refunded")
        return _share(line, Fraction(0), f"{days} days before it runs: no refund")
    if line.service_type in TERMED and line.term_start and line.term_end:
        first_unused = unused_from(line.term_start, today)
        total = months_between(line.term_start, line.term_end)
        unused = months_between(first_unused, line.term_end)
        net = last_months_share(line.amounts.net, total, unused)
        return LineRefund(
            line=line,
            amounts=Amounts(net=net, vat=vat_on(net, line.vat_rate)),
            rule=f"{unused} of {total} months unused",
            unused_from=first_unused,
        )
    if fulfilled:
        return _share(line, Fraction(0), "already delivered: no refund")
    return _share(line, Fraction(1), "not yet delivered: full refund")


def _share(line: OrderLine, share: Fraction, rule: str) -> LineRefund:
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


def unused_from(term_start: date, today: date) -> date:
    """The first day of a term still unused on `today`: all of it before it begins, else from
    the first month that begins after `today`."""
    if today < term_start:
        return term_start
    return date(today.year + today.month // 12, today.month % 12 + 1, 1)


def capped(refunds: list[LineRefund], gross_pence: int) -> list[LineRefund]:
    """These refunds cut down, in order, to at most `gross_pence` in all; each part keeps its
    line's rule and the line's own split into net and VAT."""
    left, found = gross_pence, []
    for refund in refunds:
        whole = refund.amounts
        part = max(0, min(left, whole.gross))
        vat = part * whole.vat // whole.gross if whole.gross else 0
        found.append(replace(refund, amounts=Amounts(net=part - vat, vat=vat)))
        left -= part
    return found


def nothing_back(
    refund: LineRefund, payment_status: PaymentStatus, *, all_made: bool = True
) -> LineRefund:
    """The line's refund when nothing was paid or invoiced for it yet, or all that was paid
    has been given back already (`all_made`: by card refunds all made)."""
    rule = NOTHING_ASKED
    if payment_status is PaymentStatus.REFUNDED:
        rule = ALL_REFUNDED if all_made else ALL_IN_REFUNDS
    return replace(refund, amounts=ZERO, rule=rule)


def less_given_back(refund: LineRefund, gross_pence: int) -> LineRefund:
    """A line's refund less what earlier refunds gave back of that line (never below nothing),
    in the line's own split into net and VAT. Those refunds may not all be made yet, or may have
    been refused and be owed still: the rule says only that they took it."""
    if not gross_pence:
        return refund
    [less] = capped([refund], max(0, refund.amounts.gross - gross_pence))
    pounds = format_pounds(gross_pence)
    return replace(less, rule=f"{refund.rule}, less {pounds} of an earlier refund")


def allocate(
    gross_pence: int, lines: list[OrderLine], *, given_back: list[int] | None = None
) -> list[LineRefund]:
    """Spread a refund of a gross amount over the lines in order, each up to what is left of its
    own gross (`given_back`: what already went back of each), splitting each part into net and
    VAT in the line's own proportion."""
    already = given_back or [0] * len(lines)
    whole = [full_refund(line, "amount refunded") for line in lines]
    left = [less_given_back(refund, pence) for refund, pence in zip(whole, already, strict=True)]
    parts = capped([replace(part, rule="amount refunded") for part in left], gross_pence)
    return [part for part in parts if part.amounts.gross]
