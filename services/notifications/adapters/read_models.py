"""What notifications remembers of other services' events: schools' contacts, and
what is still open (invoices, offers, warning notices, programmes without a baseline) for the
messages the calendar brings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import Column, Delete, RowMapping, bindparam, delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications.adapters.tables import (
    approvals_awaited,
    card_payments,
    card_refunds,
    closures,
    contacts,
    early_reductions,
    open_invoices,
    open_notices,
    open_offers,
    programmes_without_baseline,
    renewals_told,
    school_trusts,
    subscription_terms,
    trust_bookings,
)
from services.notifications.domain.card_payments import CardPayment
from services.notifications.domain.courses import KnownCourse
from services.notifications.domain.dunning import EarlyReduction, OpenInvoice
from services.notifications.domain.offers import OpenOffer
from services.notifications.domain.programmes import ProgrammeWithoutBaseline
from services.notifications.domain.recipients import SchoolContact
from services.notifications.domain.renewals import Reminder, SchoolService, Subscribers
from services.notifications.domain.trust_bookings import TrustPlaces
from services.notifications.domain.warning_notices import WarningNotice
from shared.clock import in_utc
from shared.upserts import dialect_of, ignoring_clashes, insert_for, inserting_new, put


class ReadModels:
    def __init__(self, session: AsyncConnection) -> None:
        self.session = session

    async def set_contact(
        self, urn: int, contact: SchoolContact, *, name: str, email: str, changed_at: datetime
    ) -> bool:
        """The person the school named for this contact, unless it has named one since (two
        workers may apply a school's two namings at once, or a retried one late); whether
        they are its contact now."""
        named = {"name": name, "email": email, "changed_at": changed_at}
        statement = insert_for(self.session, contacts).values(
            urn=urn, contact=contact.value, **named
        )
        kept = contacts.c.changed_at
        replaced = await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["urn", "contact"],
                set_=named,
                where=kept.is_(None) | (kept < changed_at),
            ).returning(contacts.c.urn)
        )
        return replaced.first() is not None

    async def school_registered(
        self,
        urn: int,
        *,
        name: str,
        trust_code: str | None,
        version: int,
        announced_at: datetime,
    ) -> None:
        """The school's name, and the trust the register now has it in (None: none). Only a
        newer entry of the register replaces them, or one as new announced later (entries from
        before they were versioned are all at 0): two workers may apply a school's two entries
        at once, and a late delivery of an older one changes nothing."""
        row = {
            "urn": urn,
            "name": name,
            "trust_code": trust_code,
            "version": version,
            "announced_at": announced_at,
        }
        await put(self.session, school_trusts, row, unless_newer=("version", "announced_at"))

    async def school_names(self, urns: Iterable[int]) -> dict[int, str]:
        """The name of each of these schools, of those the register announced with one."""
        found = await self.session.execute(
            select(school_trusts.c.urn, school_trusts.c.name).where(
                school_trusts.c.urn.in_(set(urns)), school_trusts.c.name.is_not(None)
            )
        )
        return {urn: name for urn, name in found}

    async def trusts_of(self, urns: Iterable[int]) -> dict[int, str | None]:
        """The trust each of these schools is in, of those the register announced."""
        found = await self.session.execute(
            select(school_trusts.c.urn, school_trusts.c.trust_code).where(
                school_trusts.c.urn.in_(set(urns))
            )
        )
        return {urn: trust_code for urn, trust_code in found}

    async def contacts_of(self, urn: int) -> dict[SchoolContact, tuple[str, str]]:
        found = await self.session.execute(select(contacts).where(contacts.c.urn == urn))
        return {SchoolContact(row.contact): (row.name, row.email) for row in found}

    async def open_invoice(self, invoice: OpenInvoice) -> None:
        """Keep an invoice open for what is left of it after the payments and credits applied
        before it was seen."""
        await self._serialise(open_invoices.c.invoice_id, invoice.invoice_id)
        early = await self._early_reduction(invoice.invoice_id)
        owed = early.left_of(invoice.outstanding_pence)
        if owed <= 0:
            await self.close_invoice(invoice.invoice_id)
            return
        await self._forget_early_reduction(invoice.invoice_id)
        await self._open(
            open_invoices.c.invoice_id, {**invoice.__dict__, "outstanding_pence": owed}
        )

    async def invoice_owes(self, invoice_id: UUID, outstanding_pence: int) -> None:
        """What an invoice still asks for after a payment or a credit; closed once nothing.
        Only ever less than before: a payment and a credit, each on its own consumer, may be
        applied in either order (and before the invoice is seen)."""
        if outstanding_pence <= 0:
            await self.close_invoice(invoice_id)
            return
        if await self._reduced_early(invoice_id, lambda early: early.owes(outstanding_pence)):
            return
        owed = open_invoices.c.outstanding_pence
        await self.session.execute(
            update(open_invoices)
            .where(open_invoices.c.invoice_id == invoice_id, owed > outstanding_pence)
            .values(outstanding_pence=outstanding_pence)
        )

    async def invoice_less(self, invoice_id: UUID, pence: int) -> None:
        """An invoice reduced by `pence`, by an event that does not say what is left."""
        if await self._reduced_early(invoice_id, lambda early: early.less(pence)):
            return
        owed = open_invoices.c.outstanding_pence
        left = await self.session.scalar(
            update(open_invoices)
            .where(open_invoices.c.invoice_id == invoice_id)
            .values(outstanding_pence=owed - pence)
            .returning(owed)
        )
        if left is not None and left <= 0:
            await self.close_invoice(invoice_id)

    async def close_invoice(self, invoice_id: UUID) -> None:
        await self._close(open_invoices.c.invoice_id, invoice_id)
        await self._forget_early_reduction(invoice_id)

    async def _reduced_early(
        self, invoice_id: UUID, reduce: Callable[[EarlyReduction], EarlyReduction]
    ) -> bool:
        """Remember a payment or credit applied before its invoice was seen, for when it is
        opened; whether it was early (or late for an invoice closed already: nothing to do)."""
        key = open_invoices.c.invoice_id
        await self._serialise(key, invoice_id)
        if await self.session.scalar(select(key).where(key == invoice_id)) is not None:
            return False
        if not await self._closed(key, invoice_id):
            early = reduce(await self._early_reduction(invoice_id))
            await put(self.session, early_reductions, {"invoice_id": invoice_id, **early.__dict__})
        return True

    async def _early_reduction(self, invoice_id: UUID) -> EarlyReduction:
        found = await self.session.execute(EARLY_REDUCTION, {"key": invoice_id})
        row = found.mappings().first()
        return EarlyReduction(**row) if row else EarlyReduction()

    async def _forget_early_reduction(self, invoice_id: UUID) -> None:
        await self.session.execute(_deleting(early_reductions.c.invoice_id), {"key": invoice_id})

    async def invoices(self) -> list[OpenInvoice]:
        found = await self.session.execute(select(open_invoices))
        return [OpenInvoice(**row) for row in found.mappings()]

    async def invoice(self, invoice_id: UUID) -> OpenInvoice | None:
        """The invoice as payments and credits have left it, held against them until this
        transaction ends (its reminder is not drafted from figures a payment has just changed);
        None once nothing is owed."""
        row = await self._held(open_invoices.c.invoice_id, invoice_id)
        return OpenInvoice(**row) if row else None

    async def open_offer(self, offer: OpenOffer) -> bool:
        """Keep an offer open, unless it was taken, declined or lapsed, or its order or session
        cancelled, first; whether it is open."""
        also = [open_offers.c.order_id, open_offers.c.session_id]
        return await self._open(open_offers.c.line_id, offer.__dict__, closed_with=also)

    async def close_offer(self, line_id: UUID) -> None:
        """The places offered to this order line were taken, declined or passed on."""
        await self._close(open_offers.c.line_id, line_id)

    async def close_offers_of(self, order_id: UUID) -> None:
        await self._close(open_offers.c.order_id, order_id)

    async def offers_on(self, session_id: UUID) -> list[UUID]:
        """The order lines offered places on this session."""
        found = await self.session.scalars(
            select(open_offers.c.line_id).where(open_offers.c.session_id == session_id)
        )
        return list(found)

    async def close_offers_on(self, session_id: UUID) -> None:
        await self._close(open_offers.c.session_id, session_id)

    async def still_waiting(self, order_id: UUID, line_id: UUID, session_id: UUID) -> bool:
        """Whether an order line the catalogue put on a waiting list may wait there still, by
        what is kept of it: not once places were offered to it (open still, or taken, declined
        or lapsed: `close_offer`, which places held for it close too), given back
        (`places_given_back`, which its list's closing does too), or its order or session
        cancelled, whichever consumer applied that first. Held against those until this
        transaction ends (in the order the other openings and closings take them)."""
        ended = (
            (subscription_terms.c.order_id, order_id),  # `order_cancelled`
            (open_offers.c.line_id, line_id),
            (open_offers.c.order_id, order_id),
            (trust_bookings.c.line_id, line_id),
            (open_offers.c.session_id, session_id),  # `close_offers_on`
        )
        for key, value in ended:
            await self._serialise(key, value)
        for key, value in ended:
            if await self._closed(key, value):
                return False
        offered = select(open_offers.c.line_id).where(open_offers.c.line_id == line_id)
        return await self.session.scalar(offered) is None

    async def course_of(self, session_id: UUID, line_id: UUID) -> KnownCourse:
        """What is kept of the course of an order line's session, for news that did not name
        it: the title and day an offer still open on the session gives, else the day the
        trust's order of the line said its session runs."""
        offered = open_offers.c
        found = await self.session.execute(
            select(offered.title, offered.starts_on)
            .where(offered.session_id == session_id, offered.title.is_not(None))
            .limit(1)
        )
        title, starts_on = found.first() or (None, None)
        if starts_on is None:
            booked = trust_bookings.c
            starts_on = await self.session.scalar(
                select(booked.runs_on).where(booked.line_id == line_id)
            )
        return KnownCourse(title, starts_on)

    async def offers(self) -> list[OpenOffer]:
        found = await self.session.execute(select(open_offers))
        return [
            OpenOffer(**{**row, "expires_at": in_utc(row["expires_at"])})
            for row in found.mappings()
        ]

    async def open_notice(self, notice: WarningNotice) -> None:
        await self._open(open_notices.c.case_id, notice.__dict__)

    async def notice(self, case_id: UUID) -> WarningNotice | None:
        """The case's open notice, held against its closing until this transaction ends (the
        officer's alert is not kept while the case moves on); None once it moved on."""
        row = await self._held(open_notices.c.case_id, case_id)
        return WarningNotice(**row) if row else None

    async def close_notice(self, case_id: UUID) -> None:
        await self._close(open_notices.c.case_id, case_id)

    async def notices(self) -> list[WarningNotice]:
        found = await self.session.execute(select(open_notices))
        return [WarningNotice(**row) for row in found.mappings()]

    async def await_baseline(self, programme: ProgrammeWithoutBaseline) -> None:
        await self._open(programmes_without_baseline.c.programme_id, programme.__dict__)

    async def programme_without_baseline(
        self, programme_id: UUID
    ) -> ProgrammeWithoutBaseline | None:
        """Held as a notice is (`notice`); None once its baseline is recorded."""
        row = await self._held(programmes_without_baseline.c.programme_id, programme_id)
        return ProgrammeWithoutBaseline(**row) if row else None

    async def baseline_recorded(self, programme_id: UUID) -> None:
        await self._close(programmes_without_baseline.c.programme_id, programme_id)

    async def programmes_without_baseline(self) -> list[ProgrammeWithoutBaseline]:
        found = await self.session.execute(select(programmes_without_baseline))
        return [ProgrammeWithoutBaseline(**row) for row in found.mappings()]

    async def subscribed(
        self, order_id: UUID, urn: int, terms: set[tuple[date, UUID]], *, trust_code: str | None
    ) -> None:
        """Each (term start, service) the order bought for the school, unless it was refunded
        in full first."""
        await self._serialise(subscription_terms.c.order_id, order_id)  # as its refund
        if await self._closed(subscription_terms.c.order_id, order_id, kind=REFUNDED_IN_FULL):
            return
        for term_start, service_id in sorted(terms):
            await self._open(
                subscription_terms.c.order_id,
                {
                    "order_id": order_id,
                    "term_start": term_start,
                    "urn": urn,
                    "trust_code": trust_code,
                    "service_id": service_id,
                },
            )

    async def refunded_in_full(self, order_id: UUID) -> None:
        """An order refunded in full bought nothing, as orders counts it: its subscription
        terms are forgotten, and not kept if they arrive later. Unlike its cancellation, this
        leaves the course places a trust's order booked: they are still booked."""
        await self._close(subscription_terms.c.order_id, order_id, kind=REFUNDED_IN_FULL)

    async def card_paid(self, order_id: UUID, paid_pence: int) -> CardPayment:
        """Keep what the order's card payment took; the payment with the refunds heard of."""
        await self._serialise(ORDER_MONEY, order_id)
        paid = {"order_id": order_id, "paid_pence": paid_pence}
        await self.session.execute(ignoring_clashes(card_payments, self._dialect), paid)
        return await self._card_payment(order_id)

    async def card_refunded(self, order_id: UUID, refund_id: UUID, pence: int) -> CardPayment:
        """Keep what a refund of the order's card payment gave back (each refund once); the
        payment with the refunds heard of."""
        await self._serialise(ORDER_MONEY, order_id)
        refund = {"refund_id": refund_id, "order_id": order_id, "gross_pence": pence}
        await self.session.execute(ignoring_clashes(card_refunds, self._dialect), refund)
        return await self._card_payment(order_id)

    async def _card_payment(self, order_id: UUID) -> CardPayment:
        paid = await self.session.scalar(
            select(card_payments.c.paid_pence).where(card_payments.c.order_id == order_id)
        )
        refunded = await self.session.scalar(
            select(func.coalesce(func.sum(card_refunds.c.gross_pence), 0)).where(
                card_refunds.c.order_id == order_id
            )
        )
        return CardPayment(paid_pence=paid, refunded_pence=int(refunded or 0))

    async def approval_awaited(self, order_id: UUID) -> bool:
        """Keep the order as awaiting its approver, unless it was approved or cancelled first;
        whether it awaits."""
        return await self._open(approvals_awaited.c.order_id, {"order_id": order_id})

    async def approval_answered(self, order_id: UUID) -> None:
        """Approved, or cancelled (declined, lapsed): its approver is asked no more."""
        await self._close(approvals_awaited.c.order_id, order_id)

    async def order_cancelled(self, order_id: UUID, *, on: date) -> None:
        await self._close(subscription_terms.c.order_id, order_id)  # every order's, since kept
        await self.approval_answered(order_id)
        await self.session.execute(
            update(trust_bookings)
            .where(trust_bookings.c.order_id == order_id, trust_bookings.c.cancelled_on.is_(None))
            .values(cancelled_on=on)
        )
        await self.close_offers_of(order_id)

    async def booked_by_trust(
        self, order_id: UUID, trust_code: str, places: Iterable[TrustPlaces]
    ) -> None:
        """The course places a trust's order booked for its schools, unless the order was
        cancelled before it was seen (on what day is not known), or a line's places declined
        or lapsed."""
        await self._serialise(subscription_terms.c.order_id, order_id)  # as its cancellation
        if await self._closed(subscription_terms.c.order_id, order_id):
            return
        for booked in places:
            values = {"order_id": order_id, "trust_code": trust_code, "cancelled_on": None}
            await self._open(trust_bookings.c.line_id, values | booked.__dict__)

    async def places_given_back(self, line_id: UUID) -> None:
        """An order line's places declined or lapsed: a trust did not book them after all."""
        await self._close(trust_bookings.c.line_id, line_id)

    async def forget_trust_bookings(self, *, before: date) -> int:
        """Forget the bookings whose session ran, or whose order was cancelled, before the day
        (one kept before bookings had their day, only by its cancellation); how many."""
        booked = trust_bookings.c
        forgotten = await self.session.execute(
            delete(trust_bookings).where((booked.runs_on < before) | (booked.cancelled_on < before))
        )
        return forgotten.rowcount

    async def trusts_booking(self, line_ids: Iterable[UUID]) -> dict[UUID, str]:
        """The trust whose order booked each of these order lines, of those a trust's did."""
        booked = trust_bookings.c
        found = await self.session.execute(
            select(booked.line_id, booked.trust_code).where(booked.line_id.in_(set(line_ids)))
        )
        return {line_id: trust_code for line_id, trust_code in found}

    async def trusts_booked_on(
        self, session_id: UUID, urns: Iterable[int], *, called_off_on: date
    ) -> dict[str, set[int]]:
        """The trusts whose orders booked the session for these schools, and for which: not
        those whose order was cancelled before the day it was called off (the call-off
        cancels the orders it empties, that day)."""
        booked = trust_bookings.c
        found = await self.session.execute(
            select(booked.trust_code, booked.urn).where(
                booked.session_id == session_id,
                booked.urn.in_(set(urns)),
                booked.cancelled_on.is_(None) | (booked.cancelled_on >= called_off_on),
            )
        )
        trusts: dict[str, set[int]] = {}
        for trust_code, urn in found:
            trusts.setdefault(trust_code, set()).add(urn)
        return trusts

    async def subscribers(self, year_starts: date) -> Subscribers:
        """Who bought a subscription the buy-back of the academic year beginning on
        `year_starts` renews (that academic year's, or the financial year from its April): the
        schools that bought one themselves, and the trusts that bought one for a school (each
        service with the school it was for)."""
        first, last = year_starts.replace(month=4, day=1), year_starts
        terms = subscription_terms.c
        found = await self.session.execute(
            select(terms.urn, terms.trust_code, terms.service_id)
            .where(terms.term_start.between(first, last))
            .distinct()
        )
        schools: dict[int, set[UUID]] = {}
        trusts: dict[str, set[tuple[int, UUID]]] = {}
        for urn, trust_code, service_id in found:
            if trust_code is None:
                schools.setdefault(urn, set()).add(service_id)
            else:
                trusts.setdefault(trust_code, set()).add((urn, service_id))
        return Subscribers(schools=schools, trusts=trusts)

    async def renewals_told(self, year: str, reminder: Reminder) -> dict[str, set[SchoolService]]:
        """What each recipient's renewal reminders of the kind told it of for the year."""
        told = renewals_told.c
        found = await self.session.execute(
            select(told.recipient, told.urn, told.service_id).where(
                told.year == year, told.reminder == reminder.value
            )
        )
        by_recipient: dict[str, set[SchoolService]] = {}
        for recipient, urn, service_id in found:
            by_recipient.setdefault(recipient, set()).add((urn, service_id))
        return by_recipient

    async def told_of_renewals(
        self, recipient: str, year: str, reminder: Reminder, lines: Iterable[SchoolService]
    ) -> None:
        rows = [
            {
                "recipient": recipient,
                "year": year,
                "reminder": reminder.value,
                "urn": urn,
                "service_id": service_id,
            }
            for urn, service_id in sorted(lines)
        ]
        if rows:
            await self.session.execute(inserting_new(renewals_told, self._dialect), rows)

    async def _open(
        self, key: Column[Any], values: dict[str, Any], *, closed_with: Sequence[Column[Any]] = ()
    ) -> bool:
        """Keep something open, unless the event that closes it (or closes what it belongs to,
        by the columns `closed_with`) came first: each subject has its own consumer, so "paid"
        can be applied before "invoiced". Whether it is open."""
        columns = (key, *closed_with)
        keys = [(column, values[column.name]) for column in columns if values[column.name]]
        for column, value in keys:
            await self._serialise(column, value)
        for column, value in keys:
            if await self._closed(column, value):
                return False
        await self.session.execute(ignoring_clashes(key.table, self._dialect), values)
        return True

    async def _held(self, key: Column[Any], value: object) -> RowMapping | None:
        """The row kept under this key, if any, held against its opening and closing (which
        take the same turn, `_serialise`) until this transaction ends."""
        await self._serialise(key, value)
        found = await self.session.execute(select(key.table).where(key == value))
        return found.mappings().first()

    async def _closed(self, key: Column[Any], value: object, *, kind: str | None = None) -> bool:
        closed = await self.session.execute(CLOSED, _closure(key, value, kind))
        return closed.first() is not None

    async def _close(self, key: Column[Any], value: UUID, *, kind: str | None = None) -> None:
        """Delete the rows with this value of `key`, and keep them from being opened again: by
        the closure of their own (`kind`, if given) which only openings that look for it heed."""
        await self._serialise(key, value)
        closure = _closure(key, value, kind)
        await self.session.execute(ignoring_clashes(closures, self._dialect), closure)
        await self.session.execute(_deleting(key), {"key": value})

    @property
    def _dialect(self) -> str:
        return dialect_of(self.session)

    async def _serialise(self, key: Column[Any], value: object) -> None:
        """Opening and closing one thing take turns (the two consumers run at once): on
        PostgreSQL a lock on the key until commit; SQLite has one writer at a time anyway."""
        if dialect_of(self.session) == "postgresql":
            await self.session.execute(
                text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                {"key": f"{_kind(key)}:{value}"},
            )


def _closure(key: Column[Any], value: object, kind: str | None = None) -> dict[str, str]:
    return {"kind": kind or _kind(key), "key": str(value)}


def _kind(key: Column[Any]) -> str:
    """What a closure closes: a row of the table by its key, or every row with this value in
    another column (an order's offers, on its cancellation)."""
    return key.table.name if key.primary_key else f"{key.table.name}.{key.name}"


# An order's subscription terms closed by its full refund: apart from its cancellation, which
# also closes what else is kept of the order (a trust's course places).
REFUNDED_IN_FULL = "subscription_terms.refunded_in_full"

# An order's payment and its refunds take turns with each other, and with the keeping and closing
# of its terms that follow them: one lock, taken first, so that no two of them wait on each other.
ORDER_MONEY = subscription_terms.c.order_id

# What every open and close runs, built once: building one (its values and cache key) cost
# SQLAlchemy more than running it.
CLOSED = select(closures.c.key).where(
    closures.c.kind == bindparam("kind"), closures.c.key == bindparam("key")
)
EARLY_REDUCTION = select(early_reductions.c.owed_pence, early_reductions.c.less_pence).where(
    early_reductions.c.invoice_id == bindparam("key")
)


@cache
def _deleting(key: Column[Any]) -> Delete:
    return delete(key.table).where(key == bindparam("key"))
