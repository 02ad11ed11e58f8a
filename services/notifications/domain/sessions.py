"""A course session called off under its minimum, or run with schools still on its waiting list:
what those schools are told of it and of their money. Orders gives every booking back in full, but not all at once: a card refund is asked of
the card processor after the session is called off (it may be slow, or refused, for finance to
act on); an invoice is credited, and what was paid on it already past what it then asks for is
paid back by finance; an order not yet paid or approved has nothing to give back yet, and gives
back in the same way whatever is paid or invoiced for the session later."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from types import MappingProxyType
from uuid import UUID

from services.notifications.domain.message import digest_of
from services.notifications.domain.offers import Reader
from services.notifications.domain.schools import school_named
from shared.calendar import long_date

NOTHING_KEPT = (
    "Nothing is kept for it:\n"
    "- paid by card: the money goes back to the card once the card processor has made the "
    "refund, which can take some days;\n"
    "- on an invoice: the invoice is credited for it, and anything already paid on the invoice "
    "beyond what it then asks for is paid back by our finance team;\n"
    "- not yet paid, or awaiting approval: nothing is kept for it, and anything paid or "
    "invoiced for it later is given back in the same way."
)

# where the money's steps show, to each reader: a school sees its own orders, not its trust's;
# one its trust booked for may have booked on an order of its own too
ORDERS_PAGE = {
    Reader.SCHOOL: "Your orders page shows each step.",
    Reader.TRUST: "The trust's orders page shows each step.",
    Reader.TRUSTS_SCHOOL: (
        "Your orders page shows each step of your school's own orders; those of your trust's "
        "order show on the trust's orders page."
    ),
}


def money_back(reader: Reader) -> str:
    return f"{NOTHING_KEPT}\n\n{ORDERS_PAGE[reader]}"


def cancelled_subject(title: str, starts_on: date) -> str:
    return f"Cancelled: {title} on {long_date(starts_on)}"


def cancelled_text(
    title: str,
    starts_on: date,
    *,
    minimum_places: int,
    places_booked: int,
    reader: Reader = Reader.SCHOOL,
    trust_booked_for: Sequence[int] = (),
    school_names: Mapping[int, str] = MappingProxyType({}),
) -> str:
    """`trust_booked_for`: to a trust, the schools its orders booked it for (named by
    `school_names`, the register's names by URN)."""
    return (
        f"{title} on {long_date(starts_on)} will not run: {places_booked} of the "
        f"{minimum_places} places it needs were booked."
        f"{_booked_by_trust(trust_booked_for, school_names)}\n\n{money_back(reader)}"
    )


def unplaced_subject(title: str, starts_on: date) -> str:
    return f"No place came free: {title} on {long_date(starts_on)}"


def unplaced_key(session_id: UUID, line_ids: Iterable[UUID]) -> str:
    """The occasion of telling someone that these order lines got no place on the session: the
    same however often their closing is delivered; another for lines closed later (a long list
    closed in parts, or a line that joined after the list closed, its order applied late)."""
    return f"waiting-list-closed:{session_id}:{digest_of(str(line_id) for line_id in line_ids)}"


def unplaced_text(
    title: str,
    starts_on: date,
    *,
    reader: Reader = Reader.SCHOOL,
    trust_booked_for: Sequence[int] = (),
    school_names: Mapping[int, str] = MappingProxyType({}),
) -> str:
    """To a school still on the waiting list when the session could no longer be booked (and
    to a trust, as `cancelled_text`)."""
    return (
        f"No place came free on {title} on {long_date(starts_on)} before it ran, so the place "
        "on its waiting list has lapsed."
        f"{_booked_by_trust(trust_booked_for, school_names)}\n\n{money_back(reader)}"
    )


def _booked_by_trust(trust_booked_for: Sequence[int], school_names: Mapping[int, str]) -> str:
    if not trust_booked_for:
        return ""
    schools = [school_named(urn, school_names.get(urn)) for urn in sorted(trust_booked_for)]
    named = schools[0] if len(schools) == 1 else f"{', '.join(schools[:-1])} and {schools[-1]}"
    return f" The trust booked it for its school{'s' if len(schools) > 1 else ''} {named}."
