"""What each kind of money event does to the book. Debit positive, credit negative, in pence.
The table that says which event takes which rule is `application/money_events.py`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from services.ledger.domain import accounts as chart
from services.ledger.domain.accounts import Account
from services.ledger.domain.recognition import (
    RECOGNITION,
    giving_back,
    monthly,
    on_or_after,
    schedule,
)
from services.ledger.domain.transaction import (
    JOURNAL_SUBJECT,
    Dimensions,
    JournalTransaction,
    Posting,
    Source,
    strand_of,
    without_zero,
)
from shared.money import Strand


@dataclass(frozen=True)
class SchoolPlace:
    """Where a school's income sits in the reports, as the register has it."""

    phase: str
    la_code: str


@dataclass(frozen=True)
class SaleLine:
    service_id: str
    category: str
    net_pence: int
    vat_pence: int
    delivery_on: date | None = None
    term_start: date | None = None
    term_end: date | None = None
    cfr_code: str | None = None
    urn: int | None = None  # a trust's order: the school of the trust the line is for
    school: SchoolPlace | None = None  # and that school's phase and LA, where the register has it
    line_id: str | None = None  # the order's line (events before lines had ids carry none)

    @property
    def awaits_delivery(self) -> bool:
        """Neither dated nor termed (a consultancy day, a one-off review): earned when the
        order is delivered. A line of an event from before lines had ids is earned when sold."""
        return (
            self.line_id is not None
            and self.delivery_on is None
            and self.term_start is None
            and self.term_end is None
        )


@dataclass(frozen=True)
class Awaited:
    """Net income of one order line held in deferred income until the order is delivered: a
    sale adds to it, a refund or credit note before delivery takes from it."""

    line_id: str
    pence: int
    dimensions: Dimensions


@dataclass(frozen=True)
class TermLine:
    """A termed line as its sale sold it: each month of its term earns its part of `net_pence`
    (`recognition.monthly`), less what give-backs take from it (`TermMonth`)."""

    line_id: str
    net_pence: int
    start: date
    end: date


@dataclass(frozen=True)
class TermMonth:
    """What a give-back takes from one month of a termed line (as less it earns: negative): the
    book adds these up, month by month, line by line, to what its sale earns there."""

    line_id: str
    day: date  # the month's day of recognition (`recognition.term_days`)
    pence: int


@dataclass(frozen=True)
class Entries:
    """What a money event puts in the book, what of it waits for the order's delivery, the
    termed lines it sells, and what it takes from the months of the termed lines it gives back."""

    transactions: list[JournalTransaction]
    awaiting_delivery: list[Awaited] = field(default_factory=list)
    term_lines: list[TermLine] = field(default_factory=list)
    term_months: list[TermMonth] = field(default_factory=list)


@dataclass(frozen=True)
class Cause:
    event_id: UUID
    subject: str

    def source(self, suffix: str = "") -> Source:
        return Source(f"{self.event_id}{suffix}", self.subject, self.event_id)


def traded(
    *,
    cause: Cause,
    kind: str,
    description: str,
    on: date,
    counter: Account,
    dimensions: Dimensions,
    lines: list[SaleLine],
    sign: int = 1,
    delivered_on: date | None = None,
    income_at_sale: frozenset[str] = frozenset(),
    earning: Mapping[str, Mapping[date, int]] | None = None,
) -> Entries:
    """A sale (sign 1) or its undoing by refund or credit note (sign -1): the counter account
    (clearing or receivables) takes the gross; each line's net is income now, or deferred income
    recognised later by its own dated transactions (a line that awaits delivery, on the day the
    order was delivered: until then it waits for `delivered`, unless it is one of the lines in
    `income_at_sale`, sold before the book held income for delivery); output VAT takes the VAT.
    A termed line sold is kept as sold (a `TermLine`, one however long its term); one given back
    takes from each month what `recognition.given_back` says, from what `earning` (by line id)
    says each month of it still earns, and what it takes is kept month by month (`TermMonth`)."""
    now: list[Posting] = [
        Posting(counter, sign * sum(line.net_pence + line.vat_pence for line in lines), dimensions)
    ]
    later: dict[date, list[Posting]] = {}
    awaiting: list[Awaited] = []
    sold: list[TermLine] = []
    taken: list[TermMonth] = []
    for line in lines:
        at = _line_dimensions(dimensions, line)
        income = chart.traded_income(line.category)
        delivery_on = line.delivery_on
        if line.awaits_delivery and line.line_id not in income_at_sale:
            if delivered_on is None:
                now.append(Posting(chart.DEFERRED_INCOME, -sign * line.net_pence, at))
                awaiting.append(Awaited(str(line.line_id), sign * line.net_pence, at))
                continue
            delivery_on = delivered_on
        term = _term(line)
        if term is None:
            parts = schedule(
                line.net_pence,
                sold_on=on,
                delivery_on=delivery_on,
                term_start=line.term_start,
                term_end=line.term_end,
            )
        else:
            line_id, start, end = term
            if sign > 0:
                months = monthly(line.net_pence, start, end)
                sold.append(TermLine(line_id, line.net_pence, start, end))
            else:
                held = (earning or {}).get(line_id, {})
                months = giving_back(line.net_pence, start, end, held)
                taken += [TermMonth(line_id, day, sign * pence) for day, pence in months]
            parts = on_or_after(months, on)
        for day, pence in parts:
            if day == on:
                now.append(Posting(income, -sign * pence, at))
            else:
                now.append(Posting(chart.DEFERRED_INCOME, -sign * pence, at))
                later.setdefault(day, []).extend(
                    [
                        Posting(chart.DEFERRED_INCOME, sign * pence, at),
                        Posting(income, -sign * pence, at),
                    ]
                )
    now.append(Posting(chart.VAT_OUTPUT, -sign * sum(line.vat_pence for line in lines), dimensions))
    recognitions = [
        JournalTransaction(
            source=cause.source(f"/recognised/{day.isoformat()}"),
            kind=RECOGNITION,
            strand=Strand.TRADED,
            description=f"Income recognised on {day.isoformat()}: {description}",
            dated=day,
            postings=moved,
        )
        for day, postings in sorted(later.items())
        if (moved := without_zero(postings))
    ]
    moved_now = without_zero(now)
    if not moved_now:  # a free order moves no money: nothing to post
        return Entries([])
    first = JournalTransaction(
        source=cause.source(),
        kind=kind,
        strand=Strand.TRADED,
        description=description,
        dated=on,
        postings=moved_now,
    )
    return Entries(
        [first, *recognitions],
        [item for item in awaiting if item.pence],
        [line for line in sold if line.net_pence],
        [month for month in taken if month.pence],
    )


def _term(line: SaleLine) -> tuple[str, date, date] | None:
    """A termed line with an id: its id and term, whose months a sale spreads it over
    (`monthly`) and a give-back takes from (`giving_back`, by what `earning` says each month of
    the line still earns). None for any other line (or one of an event from before lines had
    ids)."""
    start, end = line.term_start, line.term_end
    if line.line_id is None or not start or not end or end < start:
        return None
    return line.line_id, start, end


def delivered(
    *, cause: Cause, description: str, on: date, awaited: list[Awaited]
) -> list[JournalTransaction]:
    """An order delivered: what its lines held in deferred income for delivery becomes income."""
    postings: list[Posting] = []
    for item in awaited:
        income = chart.traded_income(item.dimensions.category or "")
        postings += [
            Posting(chart.DEFERRED_INCOME, item.pence, item.dimensions),
            Posting(income, -item.pence, item.dimensions),
        ]
    moved = without_zero(postings)
    if not moved:
        return []
    return [
        JournalTransaction(
            source=cause.source(),
            kind=RECOGNITION,
            strand=Strand.TRADED,
            description=description,
            dated=on,
            postings=moved,
        )
    ]


def _line_dimensions(dimensions: Dimensions, line: SaleLine) -> Dimensions:
    at = dimensions.but(service_id=line.service_id, category=line.category, cfr_code=line.cfr_code)
    if line.urn is not None:  # income is the school's; the counter account the trust's
        school = line.school  # a school not (yet) on the register: its phase and LA unknown
        at = at.but(
            urn=line.urn,
            phase=school.phase if school else None,
            la_code=school.la_code if school else None,
        )
    return at


def transfer(
    *,
    cause: Cause,
    kind: str,
    strand: Strand,
    description: str,
    on: date,
    debit: list[tuple[Account, int]],
    credit: list[tuple[Account, int]],
    dimensions: Dimensions,
) -> list[JournalTransaction]:
    """A plain transaction: these accounts debited, those credited, all with one set of
    dimensions (a settlement, an LA invoice, a service credit, a provider's cost, a payout)."""
    postings = without_zero(
        [Posting(account, pence, dimensions) for account, pence in debit]
        + [Posting(account, -pence, dimensions) for account, pence in credit]
    )
    if not postings:  # nothing moved (a zero amount): nothing to post
        return []
    return [
        JournalTransaction(
            source=cause.source(),
            kind=kind,
            strand=strand,
            description=description,
            dated=on,
            postings=postings,
        )
    ]


def journal(
    *,
    reference: str,
    description: str,
    on: date,
    lines: list[tuple[str, int, Dimensions]],
    strand: Strand | None = None,
) -> JournalTransaction:
    """A manual journal by finance (opening reserves, staff development, grants, overheads),
    keyed by finance's own reference so that sending it twice posts it once."""
    postings = [Posting(chart.account_for(code), pence, dims) for code, pence, dims in lines]
    return JournalTransaction(
        source=Source(f"journal:{reference}", JOURNAL_SUBJECT),
        kind="journal",
        strand=strand_of([posting.account for posting in postings], strand),
        description=description,
        dated=on,
        postings=without_zero(postings),
    )
