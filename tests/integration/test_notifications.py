"""Notifications: each event that needs someone's attention, and each date that brings a
reminder, reaches the right person by real SMTP, once."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from fpdf import FPDF
from pypdf import PdfReader
from sqlalchemy import select

from services.notifications.adapters.tables import messages, messaging
from services.notifications.application.reminders import SendDueReminders
from services.portal.bootstrap import create_app
from services.portal.config import APIS, Settings
from shared.auth import Role
from shared.clock import Clock, business_day
from shared.events import (
    ApprovalRequestedV1,
    BaselineRecordedV1,
    CaseMovedV1,
    CreditNoteIssuedV1,
    Envelope,
    Event,
    InvoiceRaisedV1,
    InvoiceSettledV1,
    OrderApprovedV1,
    OrderCancelledV1,
    OrderPlacedV1,
    PlaceOfferAcceptedV1,
    PlaceOfferDeclinedV1,
    PlaceOfferedV1,
    PlaceOfferLapsedV1,
    PlacesReservedV1,
    ProgrammeCreatedV1,
    ProviderFlaggedV1,
    SchoolContactChangedV1,
    SchoolContactRole,
    SessionCancelledV1,
    WaitingListClosedV1,
    WarningNoticeIssuedV1,
)
from shared.events.catalogue import CoursePlaces
from shared.events.orders import ApprovalReason, SchoolFields
from shared.vat_invoice import fonts
from tests.support.databases import DatabaseFactory
from tests.support.events import invoice_raised
from tests.support.nats_server import free_port
from tests.support.notifications import Notifications, running_notifications, smtp_server
from tests.support.platform import auth, eventually
from tests.support.portal_pages import sign_in, visiting
from tests.support.portal_pages import text_of as page_text

ABBOTS_LANGLEY, ASHWELL = 117083, 117084
BUSINESS_MANAGER = "business_manager.117083@schools.example"
FINANCE = "finance.117083@schools.example"
CATALOGUE_ADMINS = "catalogue@schools-company.example"


@pytest.fixture
async def notifications(
    databases: DatabaseFactory, nats_url: str, tmp_path: Path
) -> AsyncIterator[Notifications]:
    folder = tmp_path / "mail"
    with smtp_server(folder) as smtp:
        async with running_notifications(
            databases, nats_url, folder, smtp_port=smtp.port
        ) as running:
            yield running


def place_offered(
    expires_at: datetime,
    *,
    order_id: UUID | None = None,
    session_id: UUID | None = None,
    **course: Any,
) -> Envelope[PlaceOfferedV1]:
    return Envelope.of(
        PlaceOfferedV1(
            **course_places(order_id or uuid4(), uuid4(), session_id=session_id),
            offer_expires_at=expires_at,
            **course,
        )
    )


def course_places(
    order_id: UUID, line_id: UUID, *, session_id: UUID | None = None
) -> dict[str, Any]:
    """The fields of the catalogue's places events, for one school's order line."""
    return {
        "order_id": order_id,
        "line_id": line_id,
        "service_id": uuid4(),
        "session_id": session_id or uuid4(),
        "urn": ABBOTS_LANGLEY,
        "places": 1,
    }


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None, "the message has no plain-text part"
    return str(body.get_content())


async def test_a_school_offered_a_place_is_told_its_expiry_and_links_and_again_before_it_lapses(
    notifications: Notifications,
) -> None:
    expires_at = datetime(2027, 3, 10, 9, 30, tzinfo=UTC)
    notifications.service.clock.set(date(2027, 3, 8))
    offer = place_offered(expires_at, title="Phonics for new teachers", starts_on=date(2027, 3, 17))
    await notifications.publish(offer)

    [told] = await notifications.mail_to(BUSINESS_MANAGER)
    assert told["Subject"] == "A course place you waited for is yours to take"
    body = " ".join(text_of(told).split())
    assert "09:30 on 10 March 2027" in body
    assert "A place on Phonics for new teachers on 17 March 2027 came free for you." in body
    # the bookings page answers by its own buttons: a link cannot accept or decline
    line = offer.payload.line_id
    assert f"Answer on your bookings page: http://portal.test/bookings?offer={line}" in body
    assert "answer=" not in body

    notifications.service.clock.set(date(2027, 3, 9))  # the day before it lapses
    reminder = await notifications.mail_titled(
        BUSINESS_MANAGER, "Your offered course place lapses soon"
    )
    reminded = " ".join(text_of(reminder).split())
    assert "The offer of a place on Phonics for new teachers on 17 March 2027 lapses at " in (
        reminded
    )
    assert "09:30 on 10 March 2027" in reminded


EXPIRES_AT = datetime(2027, 3, 10, 9, 30, tzinfo=UTC)
DAY_BEFORE_EXPIRY = date(2027, 3, 9)


async def test_an_offer_on_one_line_is_reminded_of_though_another_line_of_its_order_got_places(
    notifications: Notifications,
) -> None:
    order_id = uuid4()
    reserved = Envelope.of(PlacesReservedV1(**course_places(order_id, uuid4()), places_left=3))
    await notifications.publish(reserved)
    await applied(notifications, reserved)
    offer = place_offered(EXPIRES_AT, order_id=order_id)
    await notifications.publish(offer)
    await notifications.mail_to(BUSINESS_MANAGER)

    notifications.service.clock.set(DAY_BEFORE_EXPIRY)
    await notifications.mail_titled(BUSINESS_MANAGER, "Your offered course place lapses soon")


def answered(offer: PlaceOfferedV1, answer: str) -> Envelope[Event]:
    """What closes an offer: the school's answer, its lapse, or its session called off."""
    line = {"order_id": offer.order_id, "line_id": offer.line_id, "session_id": offer.session_id}
    events: dict[str, Event] = {
        "accepted": PlaceOfferAcceptedV1(**line, urn=offer.urn),
        "declined": PlaceOfferDeclinedV1(**line, urn=offer.urn),
        "lapsed": PlaceOfferLapsedV1(
            **offer.model_dump(exclude={"offer_expires_at"}),
            offer_expired_at=offer.offer_expires_at,
        ),
        "session called off": SessionCancelledV1(
            session_id=offer.session_id,
            service_id=offer.service_id,
            title="Phonics for new teachers",
            starts_on=date(2027, 3, 17),
            minimum_places=8,
            places_booked=3,
        ),
    }
    return Envelope.of(events[answer])


@pytest.mark.parametrize("answer", ["accepted", "declined", "lapsed", "session called off"])
async def test_an_offer_answered_or_lapsed_is_not_reminded_of_while_its_order_lives_on(
    notifications: Notifications, answer: str
) -> None:
    offer = place_offered(EXPIRES_AT)
    await notifications.publish(offer)
    await notifications.mail_to(BUSINESS_MANAGER)
    closed = answered(offer.payload, answer)
    await notifications.publish(closed)
    await applied(notifications, closed)

    assert await reminders_on(notifications, DAY_BEFORE_EXPIRY) == 0


@pytest.mark.parametrize("answer", ["declined", "session called off"])
async def test_an_offer_closed_before_it_is_applied_is_neither_told_nor_reminded_of(
    notifications: Notifications, answer: str
) -> None:
    offer = place_offered(EXPIRES_AT)
    closed = answered(offer.payload, answer)
    await notifications.publish(closed)
    await applied(notifications, closed)
    await notifications.publish(offer)
    await applied(notifications, offer)

    assert await reminders_on(notifications, DAY_BEFORE_EXPIRY) == 0
    assert not [m for m in notifications.mail() if "course place" in m["Subject"]]


async def kept_for(notifications: Notifications, recipient: str) -> list[str]:
    """The templates of the messages kept for a recipient (sent or waiting to go)."""
    async with notifications.service.unit_of_work() as uow:
        kept = await uow.messages.for_recipients(recipient, limit=50)
    return [message.template for message in kept]


async def test_an_offer_applied_after_it_lapsed_is_neither_told_nor_reminded_of(
    notifications: Notifications,
) -> None:
    """The worker was down past its expiry: the school cannot take it now, and its lapse,
    passing it to the next school, follows."""
    after_its_lapse = EXPIRES_AT + timedelta(hours=2)  # 11:30 on its last day
    notifications.service.clock.set(after_its_lapse)
    offer = place_offered(EXPIRES_AT)
    await notifications.publish(offer)
    await applied(notifications, offer)

    assert await reminders_on(notifications, after_its_lapse) == 0
    assert await kept_for(notifications, "school:117083:") == []


async def test_an_offer_not_reminded_of_the_day_before_is_not_reminded_of_once_it_lapsed(
    notifications: Notifications,
) -> None:
    """The worker was down the whole day before: on its last day, after its expiry, a
    "lapses soon" asking for an answer by a time gone is not sent."""
    offer = place_offered(EXPIRES_AT)
    await notifications.publish(offer)
    await notifications.mail_to(BUSINESS_MANAGER)

    after_its_lapse = EXPIRES_AT + timedelta(hours=2)
    assert await reminders_on(notifications, after_its_lapse) == 0
    assert await kept_for(notifications, "school:117083:") == ["place_offered"]


async def test_every_booked_school_is_told_its_course_session_is_cancelled(
    notifications: Notifications,
) -> None:
    cancelled = Envelope.of(
        SessionCancelledV1(
            session_id=uuid4(),
            service_id=uuid4(),
            title="Phonics for new teachers",
            starts_on=date(2027, 2, 3),
            minimum_places=8,
            places_booked=3,
            booked_urns=(ABBOTS_LANGLEY, ASHWELL, ABBOTS_LANGLEY),
        )
    )
    await notifications.publish(cancelled)

    [abbots] = await notifications.mail_to(BUSINESS_MANAGER)
    [ashwell] = await notifications.mail_to("business_manager.117084@schools.example")
    for told in (abbots, ashwell):
        assert told["Subject"] == "Cancelled: Phonics for new teachers on 3 February 2027"
        assert "3 of the 8 places" in text_of(told)
        said = " ".join(text_of(told).split())
        # a card refund is asked of the card processor later, and may be slow or fail; an
        # invoice paid already is credited, and the money paid back by finance
        assert "What you paid is refunded to your card" not in said
        assert "once the card processor has made the refund" in said
        assert "paid back by our finance team" in said
        assert "not yet paid, or awaiting approval: nothing is kept for it" in said


TRUST_BUYER = "buyer.TR0042@trusts.example"


def trust_course_ordered(
    session_id: UUID, *, runs_on: date = date(2027, 2, 3)
) -> Envelope[OrderPlacedV1]:
    """A trust's order of a place on a course session (run on `runs_on`) for each of two of
    its schools."""
    raised = invoice_raised().payload
    [line] = raised.lines
    lines = tuple(
        line.model_copy(
            update={
                "urn": urn,
                "line_id": uuid4(),
                "service_type": "course",
                "session_id": session_id,
                "delivery_on": runs_on,
            }
        )
        for urn in (ABBOTS_LANGLEY, ASHWELL)
    )
    school_and_money = {
        name: getattr(raised, name) for name in OrderPlacedV1.model_fields if hasattr(raised, name)
    }
    return Envelope.of(
        OrderPlacedV1(
            **school_and_money
            | {
                "payment_method": "invoice",
                "placed_on": date(2026, 11, 2),
                "lines": lines,
                "trust_code": "TR0042",
                "trust_name": "Demo Academy Trust",
                "order_id": uuid4(),
            }
        )
    )


def called_off(session_id: UUID, *booked: int) -> Envelope[SessionCancelledV1]:
    return Envelope.of(
        SessionCancelledV1(
            session_id=session_id,
            service_id=uuid4(),
            title="Phonics for new teachers",
            starts_on=date(2027, 2, 3),
            minimum_places=8,
            places_booked=3,
            booked_urns=booked,
        )
    )


def cancelled_on(placed: Envelope[OrderPlacedV1], day: date) -> Envelope[OrderCancelledV1]:
    return Envelope.of(
        OrderCancelledV1(
            **placed.payload.model_dump(include={"order_id", "lines", *SchoolFields.model_fields}),
            cancelled_on=day,
            reason="Phonics for new teachers on 3 February 2027 was cancelled",
        )
    )


@pytest.mark.parametrize(
    "order_cancelled_first", [False, True], ids=["session-first", "order-cancellation-first"]
)
async def test_a_trust_is_told_the_course_it_booked_for_its_schools_is_called_off(
    notifications: Notifications, order_cancelled_first: bool
) -> None:
    """Its schools' business managers are told, and the trust, which booked (and pays): also
    when the order's cancellation, which the call-off causes, is applied first."""
    session_id = uuid4()
    placed = trust_course_ordered(session_id)
    cancelled = called_off(session_id, ABBOTS_LANGLEY, ASHWELL)
    await apply_in_turn(notifications, placed)
    if order_cancelled_first:
        await apply_in_turn(
            notifications, cancelled_on(placed, business_day(cancelled.occurred_at))
        )
    await notifications.publish(cancelled)

    [told] = await notifications.mail_to(TRUST_BUYER)
    assert told["Subject"] == "Cancelled: Phonics for new teachers on 3 February 2027"
    words = " ".join(text_of(told).split())
    assert "The trust booked it for its schools URN 117083 and URN 117084." in words
    assert "http://portal.test/trust/bookings" in words
    await notifications.mail_to(BUSINESS_MANAGER)
    await notifications.mail_to("business_manager.117084@schools.example")


async def test_schools_still_waiting_when_the_session_runs_are_told_their_money_comes_back(
    notifications: Notifications,
) -> None:
    """A trust's order waited for places for Abbots Langley and Ashwell: both business managers
    are told, and the trust, which booked (and pays)."""
    session_id = uuid4()
    placed = trust_course_ordered(session_id)
    await apply_in_turn(notifications, placed)
    await notifications.publish(waiting_list_closed(session_id, *waiting_lines(placed)))

    [trust] = await notifications.mail_to(TRUST_BUYER)
    [abbots] = await notifications.mail_to(BUSINESS_MANAGER)
    [ashwell] = await notifications.mail_to("business_manager.117084@schools.example")
    for told in (trust, abbots, ashwell):
        assert told["Subject"] == "No place came free: Phonics for new teachers on 3 February 2027"
        said = " ".join(text_of(told).split())
        assert "before it ran, so the place on its waiting list has lapsed" in said
        assert "once the card processor has made the refund" in said
        assert "the invoice is credited for it" in said
    words = " ".join(text_of(trust).split())
    assert "The trust booked it for its schools URN 117083 and URN 117084." in words
    assert "http://portal.test/trust/bookings" in words
    assert "http://portal.test/bookings" in " ".join(text_of(abbots).split())


OWN_ORDERS_PAGE = "Your orders page shows each step."
BOTH_ORDERS_PAGES = (
    "Your orders page shows each step of your school's own orders; those of your trust's order "
    "show on the trust's orders page."
)
SOMERSETT = 117090  # a school outside the trust, on its own order


async def test_each_reader_of_a_call_off_is_pointed_to_the_orders_page_it_can_see(
    notifications: Notifications,
) -> None:
    """A school sees its own orders, not its trust's: one the trust booked for (which may have
    booked on its own order too) is pointed to both; the trust to its own page."""
    session_id = uuid4()
    placed = trust_course_ordered(session_id)
    await apply_in_turn(notifications, placed)
    await notifications.publish(called_off(session_id, ABBOTS_LANGLEY, ASHWELL, SOMERSETT))

    [trust] = await notifications.mail_to(TRUST_BUYER)
    [abbots] = await notifications.mail_to(BUSINESS_MANAGER)
    [own] = await notifications.mail_to(f"business_manager.{SOMERSETT}@schools.example")
    assert "The trust's orders page shows each step." in " ".join(text_of(trust).split())
    assert BOTH_ORDERS_PAGES in " ".join(text_of(abbots).split())
    assert OWN_ORDERS_PAGE in " ".join(text_of(own).split())


async def test_a_school_left_waiting_on_its_own_order_and_its_trust_s_reads_of_both_pages(
    notifications: Notifications,
) -> None:
    session_id = uuid4()
    placed = trust_course_ordered(session_id)
    await apply_in_turn(notifications, placed)
    abbots_own = CoursePlaces(**course_places(uuid4(), uuid4(), session_id=session_id))
    closed = waiting_list_closed(session_id, *waiting_lines(placed), abbots_own)
    await notifications.publish(closed)

    [abbots] = await notifications.mail_to(BUSINESS_MANAGER)
    [ashwell] = await notifications.mail_to("business_manager.117084@schools.example")
    for school in (abbots, ashwell):
        said = " ".join(text_of(school).split())
        assert BOTH_ORDERS_PAGES in said
        assert OWN_ORDERS_PAGE not in said  # not of its trust's order, which it cannot see
    [trust] = await notifications.mail_to(TRUST_BUYER)
    assert "The trust's orders page shows each step." in " ".join(text_of(trust).split())


def waiting_list_closed(session_id: UUID, *lines: CoursePlaces) -> Envelope[WaitingListClosedV1]:
    """The catalogue's closing of the session's waiting list with these lines still waiting."""
    return Envelope.of(
        WaitingListClosedV1(
            session_id=session_id,
            service_id=uuid4(),
            title="Phonics for new teachers",
            starts_on=date(2027, 2, 3),
            lines=lines,
        )
    )


def waiting_lines(placed: Envelope[OrderPlacedV1]) -> list[CoursePlaces]:
    """Each course line of a trust's order, waiting for its place."""
    order = placed.payload
    return [
        CoursePlaces(
            **course_places(order.order_id, line.line_id, session_id=line.session_id)
            | {"urn": line.urn}
        )
        for line in order.lines
        if line.line_id and line.urn
    ]


async def test_a_school_is_told_of_each_order_left_waiting_once_however_often_it_is_delivered(
    notifications: Notifications,
) -> None:
    """The waiting list closed with one order's line on it; a second order of the same school,
    whose places were asked for after that (its event applied late), waited too and was closed
    by the list's next closing. The school was told only of the first."""
    session_id = uuid4()
    first, second = (
        waiting_list_closed(
            session_id, CoursePlaces(**course_places(uuid4(), uuid4(), session_id=session_id))
        )
        for _ in range(2)
    )
    await apply_in_turn(notifications, first)
    await notifications.mail_to(BUSINESS_MANAGER)
    await notifications.publish(second)
    await notifications.publish(second, msg_id="redelivered")  # past the stream's de-duplication
    await notifications.forget_applied()
    await notifications.publish(second, msg_id="replayed")
    ashwell = course_places(uuid4(), uuid4(), session_id=session_id) | {"urn": ASHWELL}
    await notifications.publish(waiting_list_closed(session_id, CoursePlaces(**ashwell)))
    await notifications.mail_to("business_manager.117084@schools.example")  # after the copies

    told = await notifications.mail_to(BUSINESS_MANAGER, count=2)
    assert [message["Subject"] for message in told] == [
        "No place came free: Phonics for new teachers on 3 February 2027"
    ] * 2
    assert await kept_for(notifications, "school:117083:") == ["waiting_list_closed"] * 2


async def test_a_trust_is_told_of_each_of_its_schools_left_waiting_in_a_list_closed_in_parts(
    notifications: Notifications,
) -> None:
    """A long waiting list is closed in several events: the trust's order's line for Abbots
    Langley in one, its line for Ashwell in the next. The trust was told only of the first."""
    session_id = uuid4()
    placed = trust_course_ordered(session_id)
    await apply_in_turn(notifications, placed)
    abbots, ashwell = waiting_lines(placed)
    await apply_in_turn(notifications, waiting_list_closed(session_id, abbots))
    await notifications.publish(waiting_list_closed(session_id, ashwell))

    told = await notifications.mail_to(TRUST_BUYER, count=2)
    said = sorted(" ".join(text_of(message).split()) for message in told)
    assert "The trust booked it for its school URN 117083." in said[0]
    assert "The trust booked it for its school URN 117084." in said[1]


async def test_a_trust_whose_order_was_cancelled_before_the_call_off_is_not_told_of_it(
    notifications: Notifications,
) -> None:
    """The trust cancelled its order; Ashwell booked the session itself since."""
    session_id = uuid4()
    placed = trust_course_ordered(session_id)
    cancelled = called_off(session_id, ASHWELL)
    earlier = business_day(cancelled.occurred_at) - timedelta(days=3)
    await apply_in_turn(notifications, placed, cancelled_on(placed, earlier), cancelled)

    await notifications.mail_to("business_manager.117084@schools.example")
    async with notifications.service.unit_of_work() as uow:
        recipients = await uow.session.scalars(select(messages.c.recipient))
        assert list(recipients) == ["school:117084:business_manager"]


async def test_invoice_reminders_follow_its_due_date_and_stop_once_it_is_paid(
    notifications: Notifications,
) -> None:
    raised = invoice_raised()  # due 2 December 2026
    clock = notifications.service.clock
    clock.set(date(2026, 11, 20))
    await notifications.publish(raised)
    clock.set(date(2026, 11, 25))
    [week_before] = await notifications.mail_to(FINANCE)
    assert week_before["Subject"] == "Invoice INV-900001 is due in 7 days"
    assert "£1,200.00" in text_of(week_before)

    clock.set(date(2026, 12, 2))
    due = await notifications.mail_titled(FINANCE, "Invoice INV-900001 is due today")

    event = raised.payload
    await notifications.publish(
        Envelope.of(
            InvoiceSettledV1(
                invoice_id=event.invoice_id,
                invoice_number=event.invoice_number,
                order_id=event.order_id,
                amount_pence=event.gross_pence,
                outstanding_pence=0,
                settled_on=date(2026, 12, 3),
                remittance_reference="BACS 1",
                financial_year="2026-27",
                urn=event.urn,
                school_name=event.school_name,
                phase=event.phase,
                la_code=event.la_code,
            )
        )
    )
    await assert_no_invoices_open(notifications)
    assert await reminders_on(notifications, date(2027, 1, 1)) == 0  # 30 days overdue
    assert [m["Subject"] for m in notifications.mail()] == [
        week_before["Subject"],
        due["Subject"],
    ]


async def test_an_overdue_invoice_is_chased_at_30_and_60_days_until_it_is_credited(
    notifications: Notifications,
) -> None:
    raised = invoice_raised()
    clock = notifications.service.clock
    clock.set(date(2027, 1, 1))  # 30 days overdue: the stages before it are not sent late
    await notifications.publish(raised)
    [overdue] = await notifications.mail_to(FINANCE)
    assert overdue["Subject"] == "Invoice INV-900001 is 30 days overdue"
    clock.set(date(2027, 1, 31))
    await notifications.mail_titled(FINANCE, "Invoice INV-900001 is 60 days overdue")

    # in full, saying nothing of what is left (as a credit note before the field was added)
    await notifications.publish(credited(raised, raised.payload.gross_pence))
    await assert_no_invoices_open(notifications)


def credited(
    raised: Envelope[InvoiceRaisedV1], gross_pence: int, *, outstanding_pence: int | None = None
) -> Envelope[CreditNoteIssuedV1]:
    """A credit note for some of the invoice (its VAT left out: notifications reads the gross)."""
    event = raised.payload
    return Envelope.of(
        CreditNoteIssuedV1(
            credit_note_id=uuid4(),
            credit_note_number="CN-2",
            invoice_id=event.invoice_id,
            invoice_number=event.invoice_number,
            order_id=event.order_id,
            issued_on=date(2026, 11, 20),
            reason="Six months of the subscription unused",
            lines=event.lines,
            urn=event.urn,
            school_name=event.school_name,
            phase=event.phase,
            la_code=event.la_code,
            strand=event.strand,
            net_pence=gross_pence,
            vat_pence=0,
            gross_pence=gross_pence,
            financial_year=event.financial_year,
            outstanding_pence=outstanding_pence,
        )
    )


def settled(
    raised: Envelope[InvoiceRaisedV1], amount_pence: int, *, outstanding_pence: int
) -> Envelope[InvoiceSettledV1]:
    event = raised.payload
    return Envelope.of(
        InvoiceSettledV1(
            invoice_id=event.invoice_id,
            invoice_number=event.invoice_number,
            order_id=event.order_id,
            amount_pence=amount_pence,
            outstanding_pence=outstanding_pence,
            settled_on=date(2026, 11, 21),
            remittance_reference="BACS 2",
            financial_year="2026-27",
            urn=event.urn,
            school_name=event.school_name,
            phase=event.phase,
            la_code=event.la_code,
        )
    )


async def until_owed(notifications: Notifications, pence: int) -> None:
    """Wait until the one open invoice asks for `pence`."""

    async def owed() -> bool:
        async with notifications.service.unit_of_work() as uow:
            return [i.outstanding_pence for i in await uow.read_models.invoices()] == [pence]

    await eventually(owed)


async def test_a_part_credit_leaves_the_rest_owed_and_reminded_of_until_it_is_paid(
    notifications: Notifications,
) -> None:
    raised = invoice_raised()  # £1,200.00, due 2 December 2026
    await notifications.publish(raised)
    await until_owed(notifications, 120_000)
    await notifications.publish(credited(raised, 60_000, outstanding_pence=60_000))
    await until_owed(notifications, 60_000)

    notifications.service.clock.set(date(2026, 12, 2))
    due = await notifications.mail_titled(FINANCE, "Invoice INV-900001 is due today")
    # what is left, beside the invoice's total (the credit note is not the invoice)
    assert " ".join(text_of(due).split()).startswith(
        "Abbots Langley School: £600.00 of invoice INV-900001 (£1,200.00 including any VAT) "
        "is still owed; it is due today, 2 December 2026."
    )

    await notifications.publish(settled(raised, 60_000, outstanding_pence=0))
    await assert_no_invoices_open(notifications)


async def test_a_credit_applied_after_a_later_payment_leaves_what_the_payment_left(
    notifications: Notifications,
) -> None:
    raised = invoice_raised()
    await notifications.publish(raised)
    await until_owed(notifications, 120_000)
    # Orders credited £600 (£600 left), then £400 was paid (£200 left): the payment's
    # consumer got there first.
    await notifications.publish(settled(raised, 40_000, outstanding_pence=20_000))
    await until_owed(notifications, 20_000)
    credit = credited(raised, 60_000, outstanding_pence=60_000)
    await notifications.publish(credit)
    await applied(notifications, credit)
    await until_owed(notifications, 20_000)
    await assert_reminded_of(notifications, "£200.00")


async def test_an_invoice_credited_in_full_before_it_is_seen_is_never_reminded_of(
    notifications: Notifications,
) -> None:
    raised = invoice_raised()
    await apply_in_turn(notifications, credited(raised, 120_000, outstanding_pence=0), raised)
    assert await reminders_on(notifications, date(2026, 12, 2)) == 0
    await assert_no_invoices_open(notifications)


def legacy_credited(
    raised: Envelope[InvoiceRaisedV1], gross_pence: int
) -> Envelope[CreditNoteIssuedV1]:
    """A part credit from before credit notes said what is left of the invoice."""
    credit = credited(raised, gross_pence, outstanding_pence=0).payload
    return Envelope.of(credit.model_copy(update={"outstanding_pence": None}))


@pytest.mark.parametrize("reduction_first", [True, False], ids=["reduction-first", "invoice-first"])
@pytest.mark.parametrize(
    "reduced",
    [
        lambda raised: settled(raised, 100_000, outstanding_pence=20_000),
        lambda raised: credited(raised, 100_000, outstanding_pence=20_000),
        lambda raised: legacy_credited(raised, 100_000),
    ],
    ids=["part-payment", "part-credit", "part-credit-saying-no-rest"],
)
async def test_a_part_payment_or_credit_leaves_the_rest_owed_whichever_is_applied_first(
    notifications: Notifications,
    reduced: Callable[[Envelope[InvoiceRaisedV1]], Envelope[Any]],
    reduction_first: bool,
) -> None:
    raised = invoice_raised()  # £1,200.00, due 2 December 2026
    reduction = reduced(raised)
    await apply_in_turn(
        notifications, *((reduction, raised) if reduction_first else (raised, reduction))
    )
    await until_owed(notifications, 20_000)
    await assert_reminded_of(notifications, "£200.00")


async def test_a_payment_and_a_credit_both_applied_before_the_invoice_leave_the_least_owed(
    notifications: Notifications,
) -> None:
    raised = invoice_raised()
    # Orders credited £600 (£600 left), then £400 was paid (£200 left).
    early = (
        settled(raised, 40_000, outstanding_pence=20_000),
        credited(raised, 60_000, outstanding_pence=60_000),
    )
    await apply_in_turn(notifications, *early, raised)
    await until_owed(notifications, 20_000)

    await notifications.publish(settled(raised, 20_000, outstanding_pence=0))
    await assert_no_invoices_open(notifications)


async def assert_reminded_of(notifications: Notifications, owed: str) -> None:
    """The reminder a week before the invoice is due asks for `owed`."""
    notifications.service.clock.set(date(2026, 11, 25))
    assert owed in text_of(
        await notifications.mail_titled(FINANCE, "Invoice INV-900001 is due in 7 days")
    )


async def apply_in_turn(notifications: Notifications, *envelopes: Envelope[Any]) -> None:
    """Publish these events one after another, each once the one before is applied."""
    for envelope in envelopes:
        await notifications.publish(envelope)
        await applied(notifications, envelope)


async def applied(notifications: Notifications, *envelopes: Envelope[Any]) -> None:
    """Wait until the worker applied these events (its inbox holds them)."""
    wanted = {str(envelope.event_id) for envelope in envelopes}

    async def all_in() -> bool:
        async with notifications.service.unit_of_work() as uow:
            seen = await uow.session.scalars(select(messaging.inbox.c.event_id))
            return wanted <= set(seen)

    await eventually(all_in)


async def test_catalogue_administrators_are_told_of_a_provider_flagged_for_review(
    notifications: Notifications,
) -> None:
    provider_id = uuid4()
    await notifications.publish(flagged(provider_id))

    [told] = await notifications.mail_to(CATALOGUE_ADMINS)
    assert told["Subject"] == "A provider is flagged for a quality review"
    assert "2.4 on average over 5 ratings" in text_of(told)
    assert f"http://portal.test/providers/{provider_id}" in text_of(told)


async def test_a_provider_flagged_just_under_the_threshold_is_not_said_to_be_at_it(
    notifications: Notifications,
) -> None:
    """74 points from 25 ratings: 2.96, which is under 3.0 (it read "3.0 ... below the 3.0")."""
    await notifications.publish(flagged(uuid4(), average=74 / 25))

    [told] = await notifications.mail_to(CATALOGUE_ADMINS)
    assert "rate this provider 2.96 on average over 5 ratings, below the 3.0 that" in " ".join(
        text_of(told).split()
    )


async def test_an_event_delivered_twice_or_replayed_sends_nothing_twice(
    notifications: Notifications,
) -> None:
    first = flagged(uuid4())
    await notifications.publish(first)
    await notifications.mail_to(CATALOGUE_ADMINS)
    await notifications.publish(first, msg_id="redelivered")  # past the stream's de-duplication
    await notifications.forget_applied()
    await notifications.publish(first, msg_id="replayed")
    second = flagged(uuid4())
    await notifications.publish(second)  # after the copies, in the same stream

    await notifications.mail_to(CATALOGUE_ADMINS, count=2)
    sent = [text_of(m) for m in notifications.mail()]
    assert len(sent) == 2
    assert str(second.payload.provider_id) in sent[1]


async def test_a_user_reads_their_messages_newest_first_with_the_unread_marked(
    notifications: Notifications,
) -> None:
    await notifications.publish(place_offered(datetime(2027, 3, 10, 9, 30, tzinfo=UTC)))
    await notifications.mail_to(BUSINESS_MANAGER)
    await notifications.publish(flagged(uuid4()))
    await notifications.mail_to(CATALOGUE_ADMINS)
    school = auth(Role.SCHOOL, ABBOTS_LANGLEY)

    [offer] = (await notifications.api.get("/messages", headers=school)).json()
    assert offer["read"] is False and offer["status"] == "sent"
    assert offer["link"].startswith("http://portal.test/bookings?offer=")
    read = await notifications.api.post(f"/messages/{offer['id']}/read", headers=school)
    assert read.json()["read"] is True
    other_school = auth(Role.SCHOOL, ASHWELL)
    assert (await notifications.api.get("/messages", headers=other_school)).json() == []
    refused = await notifications.api.post(f"/messages/{offer['id']}/read", headers=other_school)
    assert refused.status_code == 404
    admins = (await notifications.api.get("/messages", headers=auth(Role.CATALOGUE_ADMIN))).json()
    assert [m["template"] for m in admins] == ["provider_flagged"]
    trust_buyer = auth(Role.TRUST_BUYER, trust="DEMO-1")  # its Messages page answered 500
    assert (await notifications.api.get("/messages", headers=trust_buyer)).json() == []


def flagged(provider_id: object, *, average: float = 2.4) -> Envelope[ProviderFlaggedV1]:
    return Envelope.of(
        ProviderFlaggedV1(
            provider_id=provider_id,  # type: ignore[arg-type]
            average=average,
            threshold=3.0,
            ratings=5,
            flagged_on=date(2027, 1, 5),
        )
    )


async def assert_no_invoices_open(notifications: Notifications) -> None:
    async def closed() -> bool:
        async with notifications.service.unit_of_work() as uow:
            return not await uow.read_models.invoices()

    await eventually(closed)


async def reminders_on(notifications: Notifications, day: date) -> int:
    """How many reminders a run on this day (or at this moment) keeps."""
    new: int = await notifications.service.bus_on(Clock(day)).handle(SendDueReminders())
    return new


async def test_the_portal_lists_a_users_messages_and_opening_one_leads_where_they_act(
    notifications: Notifications,
) -> None:
    offer = place_offered(datetime(2027, 3, 10, 9, 30, tzinfo=UTC))
    await notifications.publish(offer)
    await notifications.mail_to(BUSINESS_MANAGER)
    unused = {name: httpx.AsyncClient(base_url=f"http://{name}") for name in APIS}
    clients = unused | {"notifications": notifications.api}
    portal = visiting(create_app(Settings(environment="test"), clients))
    async with portal:
        await sign_in(portal, "school")
        listed = (await portal.get("/messages")).text
        assert "A course place you waited for is yours to take" in page_text(listed)
        assert "Unread" in page_text(listed)
        [message_id] = re.findall(r'href="/messages/([0-9a-f-]{36})"', listed)

        opened = await portal.get(f"/messages/{message_id}")
        assert opened.status_code == 303
        assert opened.headers["location"] == f"/bookings?offer={offer.payload.line_id}"
        assert "Unread" not in page_text((await portal.get("/messages")).text)

        await sign_in(portal, "school-academy")  # another school sees none of it
        assert "No messages yet." in page_text((await portal.get("/messages")).text)


async def test_the_portal_dates_a_message_by_englands_day(notifications: Notifications) -> None:
    """Told at 00:30 on 5 June, British Summer Time: 23:30 on 4 June by the UTC it is kept in."""
    notifications.service.clock.set(datetime(2026, 6, 4, 23, 30, tzinfo=UTC))
    await notifications.publish(place_offered(datetime(2026, 6, 7, 9, 30, tzinfo=UTC)))
    await notifications.mail_to(BUSINESS_MANAGER)
    unused = {name: httpx.AsyncClient(base_url=f"http://{name}") for name in APIS}
    portal = visiting(
        create_app(Settings(environment="test"), unused | {"notifications": notifications.api})
    )
    async with portal:
        await sign_in(portal, "school")
        listed = page_text((await portal.get("/messages")).text)
    assert "5 June 2026" in listed and "4 June 2026" not in listed


async def test_the_portal_says_a_message_not_emailed_yet_is_waiting_and_when_one_was_sent(
    databases: DatabaseFactory, nats_url: str, tmp_path: Path
) -> None:
    """It headed every message "Sent", dated when it was written: one waiting out the mail
    server's outage read as sent already, and one sent late read as sent the day it was
    written. One the mail service could not take says so."""
    port, folder = free_port(), tmp_path / "mail"
    async with running_notifications(
        databases, nats_url, folder, smtp_port=port, staff_emails={}
    ) as running:
        clock = running.service.clock
        clock.set(datetime(2026, 6, 4, 9, 0, tzinfo=UTC))  # 10:00 in England; the server down
        await running.publish(place_offered(datetime(2026, 6, 9, 9, 30, tzinfo=UTC)))
        await running.publish(flagged(uuid4()))  # to the catalogue admins, of no address

        async def both_tried() -> bool:
            async with running.service.unit_of_work() as uow:
                kept = await uow.messages.for_recipients("", limit=5)
            return sorted((m.status, m.attempts) for m in kept) == [("failed", 0), ("pending", 1)]

        await eventually(both_tried)
        unused = {name: httpx.AsyncClient(base_url=f"http://{name}") for name in APIS}
        clients = unused | {"notifications": running.api}
        portal = visiting(create_app(Settings(environment="test"), clients))
        async with portal:
            await sign_in(portal, "school")
            waiting = page_text((await portal.get("/messages")).text)
            assert "Not sent yet Waiting to be emailed (written 10:00 on 4 June 2026)" in waiting

            clock.set(datetime(2026, 6, 5, 14, 15, tzinfo=UTC))  # 15:15 in England
            with smtp_server(folder, port=port):
                await running.mail_to(BUSINESS_MANAGER)

                async def sent() -> bool:
                    listed = await running.api.get("/messages", headers=auth(Role.SCHOOL, 117083))
                    return [m["status"] for m in listed.json()] == ["sent"]

                await eventually(sent)
            listed = page_text((await portal.get("/messages")).text)
            assert "Not sent" not in listed and "4 June 2026" not in listed
            assert "15:15 on 5 June 2026 A course place you waited for" in listed

            await sign_in(portal, "catalogue-admin")
            refused = page_text((await portal.get("/messages")).text)
            assert "Not sent The email could not be delivered (written 10:00 on 4 June 2026)" in (
                refused
            )


def warning_notice(
    case_id: UUID, *, school_name: str = "Abbots Langley School"
) -> Envelope[WarningNoticeIssuedV1]:
    return Envelope.of(
        WarningNoticeIssuedV1(
            case_id=case_id,
            urn=ABBOTS_LANGLEY,
            school_name=school_name,
            issued_on=date(2027, 1, 11),
            grounds="Unacceptably low standards of performance in Key Stage 2 reading",
            required_action="Adopt the reading recovery plan and report on it each half term",
            compliance_by=date(2027, 2, 26),
        )
    )


async def test_a_warning_notice_reaches_the_headteacher_and_chair_as_a_pdf_letter_and_its_lapse_the_officer(
    notifications: Notifications,
) -> None:
    case_id = uuid4()
    notifications.service.clock.set(date(2027, 1, 11))
    await notifications.publish(warning_notice(case_id))

    for contact in ("headteacher", "chair_of_governors"):
        [told] = await notifications.mail_to(f"{contact}.117083@schools.example")
        assert told["Subject"] == "Warning notice to Abbots Langley School"
        assert "must comply by 26 February 2027." in " ".join(text_of(told).split())
        [letter] = list(told.iter_attachments())
        assert letter.get_content_type() == "application/pdf"
        pages = PdfReader(io.BytesIO(letter.get_content())).pages
        words = " ".join(" ".join(page.extract_text() for page in pages).split())
        assert "Unacceptably low standards" in words
        assert "Adopt the reading recovery plan" in words
        assert "26 February 2027" in words

    notifications.service.clock.set(date(2027, 2, 27))  # past the compliance date, case unmoved
    [officer] = await notifications.mail_to("la-officers@schools-company.example")
    assert "compliance date passed" in officer["Subject"]
    assert f"http://portal.test/cases/{case_id}" in text_of(officer)


def beyond_the_page(pdf: bytes) -> list[str]:
    """The pieces of text of a PDF (as fpdf2 writes them, one per line) that run past its
    page's right edge, measured in the fonts the letters use: cut off where a reader sees."""
    measure = FPDF()
    measure.add_font("DejaVu", "", fonts() / "DejaVuSans.ttf")
    measure.add_font("DejaVu", "B", fonts() / "DejaVuSans-Bold.ttf")
    cut: list[str] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        edge = float(page.mediabox.width)

        def measured(
            text: str, _cm: Any, tm: Any, font: Any, size: float, edge: float = edge
        ) -> None:
            bold = "Bold" in str((font or {}).get("/BaseFont", ""))
            measure.set_font("DejaVu", "B" if bold else "", size)
            if text.strip() and tm[4] + measure.get_string_width(text) * 72 / 25.4 > edge:
                cut.append(text)

        page.extract_text(visitor_text=measured)
    return cut


async def test_a_warning_notice_to_a_school_of_the_longest_name_is_a_letter_read_whole(
    notifications: Notifications,
) -> None:
    """Its addressees named the school on one line each, which ran off the page."""
    longest = (
        "St Mary and St John Church of England Voluntary Aided Primary School and Nursery, "
        "Abbots Langley, with its Specialist Resource Base for Pupils with Speech, Language and "
        "Communication Needs"
    )
    await notifications.publish(warning_notice(uuid4(), school_name=longest))

    [told] = await notifications.mail_to("headteacher.117083@schools.example")
    [letter] = list(told.iter_attachments())
    assert beyond_the_page(letter.get_content()) == []


async def test_a_notice_recorded_after_its_compliance_date_says_when_it_was_given_and_that_the_date_passed(
    notifications: Notifications,
) -> None:
    notifications.service.clock.set(date(2027, 3, 1))  # recorded weeks after it was given
    await notifications.publish(warning_notice(uuid4()))

    [told] = await notifications.mail_to("headteacher.117083@schools.example")
    words = " ".join(text_of(told).split())
    assert "gave, on 11 January 2027, Abbots Langley School a warning notice" in words
    assert "was to comply by 26 February 2027; that date has passed" in words
    assert "must comply by" not in words


async def test_an_officer_hears_nothing_of_a_notice_whose_case_moved_on(
    notifications: Notifications,
) -> None:
    case_id = uuid4()
    await notifications.publish(warning_notice(case_id))
    await notifications.mail_to("headteacher.117083@schools.example")
    await notifications.publish(
        Envelope.of(
            CaseMovedV1(
                case_id=case_id,
                urn=ABBOTS_LANGLEY,
                stage="action_plan_received",
                moved_on=date(2027, 2, 1),
            )
        )
    )

    async def closed() -> bool:
        async with notifications.service.unit_of_work() as uow:
            return not await uow.read_models.notices()

    await eventually(closed)
    assert await reminders_on(notifications, date(2027, 3, 1)) == 0


async def test_the_evaluator_is_told_of_a_programme_starting_within_14_days_without_a_baseline(
    notifications: Notifications,
) -> None:
    clock = notifications.service.clock
    clock.set(date(2027, 4, 1))
    lacking, measured = uuid4(), uuid4()
    published: list[Envelope[Event]] = [
        Envelope.of(ProgrammeCreatedV1(programme_id=programme_id, title=title, starts_on=starts))
        for programme_id, title, starts in (
            (lacking, "Maths mastery", date(2027, 4, 20)),
            (measured, "Reading recovery", date(2027, 4, 20)),
        )
    ]
    published.append(Envelope.of(BaselineRecordedV1(programme_id=measured, measure_id=uuid4())))
    for envelope in published:
        await notifications.publish(envelope)

    async def all_applied() -> bool:
        async with notifications.service.unit_of_work() as uow:
            return all([await uow.has_applied(envelope.event_id) for envelope in published])

    await eventually(all_applied)
    async with notifications.service.unit_of_work() as uow:
        waiting = await uow.read_models.programmes_without_baseline()
    assert [p.programme_id for p in waiting] == [lacking]
    assert await reminders_on(notifications, date(2027, 4, 5)) == 0  # 15 days before

    clock.set(date(2027, 4, 6))
    [told] = await notifications.mail_to("evaluation@schools-company.example")
    assert told["Subject"] == "Maths mastery starts on 20 April 2027 with no baseline"
    assert f"http://portal.test/programmes/{lacking}" in text_of(told)
    assert len(notifications.mail()) == 1


async def test_a_programme_first_seen_on_its_start_day_is_said_to_start_today(
    notifications: Notifications,
) -> None:
    """Its alert first goes out on the day it starts: "before it starts" is too late."""
    notifications.service.clock.set(date(2027, 4, 20))
    programme_id = uuid4()
    await notifications.publish(
        Envelope.of(
            ProgrammeCreatedV1(
                programme_id=programme_id, title="Maths mastery", starts_on=date(2027, 4, 20)
            )
        )
    )

    [told] = await notifications.mail_to("evaluation@schools-company.example")
    assert told["Subject"] == "Maths mastery starts today, 20 April 2027, with no baseline"
    words = " ".join(text_of(told).split())
    assert "before it starts" not in words
    assert "It starts today: record the baseline today" in words


CLERKING = UUID("5e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b")  # one service, renewed year on year


def subscription_invoiced(
    urn: int, term_start: date, service_id: UUID = CLERKING
) -> Envelope[InvoiceRaisedV1]:
    raised = invoice_raised(urn=urn).payload
    [line] = raised.lines
    with_term = line.model_copy(
        update={
            "term_start": term_start,
            "term_end": term_start.replace(year=term_start.year + 1),
            "service_id": service_id,
        }
    )
    return Envelope.of(raised.model_copy(update={"lines": (with_term,), "order_id": uuid4()}))


async def test_schools_that_bought_last_year_and_have_not_renewed_hear_when_renewals_open_and_close(
    notifications: Notifications,
) -> None:
    clock = notifications.service.clock
    clock.set(date(2027, 2, 1))  # before the window for 2027/28 opens
    for urn, year_starts in (
        (ABBOTS_LANGLEY, date(2026, 4, 1)),  # a financial year's: renewed with 2027/28's buy-back
        (ASHWELL, date(2026, 9, 1)),
        (ASHWELL, date(2027, 9, 1)),  # Ashwell has renewed already
    ):
        await notifications.publish(subscription_invoiced(urn, year_starts))

    async def both_known() -> bool:
        async with notifications.service.unit_of_work() as uow:
            return set((await uow.read_models.subscribers(date(2027, 9, 1))).schools) == {ASHWELL}

    await eventually(both_known)
    clock.set(date(2027, 3, 2))  # 183 days before 1 September
    [opened] = await notifications.mail_to(BUSINESS_MANAGER)
    assert opened["Subject"] == "Renew your subscriptions for 2027/28"
    assert "open until 1 October 2027" in text_of(opened)
    assert "http://portal.test/renewal" in text_of(opened)

    clock.set(date(2027, 9, 24))  # a week before it closes
    await notifications.mail_titled(
        BUSINESS_MANAGER, "Renewals for 2027/28 close on 1 October 2027"
    )
    renewals = [m["To"] for m in notifications.mail() if "Renew" in m["Subject"]]
    assert renewals == [BUSINESS_MANAGER, BUSINESS_MANAGER]  # none to Ashwell, who renewed


async def test_a_school_first_told_of_renewals_late_in_their_last_week_is_told_the_days_left(
    notifications: Notifications,
) -> None:
    """Its renewal was cancelled, or the worker was down, until three days before the close:
    not "close in a week"."""
    await apply_in_turn(notifications, subscription_invoiced(ABBOTS_LANGLEY, date(2026, 9, 1)))

    notifications.service.clock.set(date(2027, 9, 28))
    closing = await notifications.mail_titled(
        BUSINESS_MANAGER, "Renewals for 2027/28 close on 1 October 2027"
    )
    assert text_of(closing).startswith("Renewals for 2027/28 close in 3 days, on 1 October 2027.")


def subscription_ordered(urn: int, term_start: date) -> Envelope[OrderPlacedV1]:
    """An order of a subscription, placed and not yet paid or invoiced (its card payment, or
    its approver's approval, awaited)."""
    raised = subscription_invoiced(urn, term_start).payload
    school_and_money = {
        name: getattr(raised, name) for name in OrderPlacedV1.model_fields if hasattr(raised, name)
    }
    return Envelope.of(
        OrderPlacedV1(
            **school_and_money | {"payment_method": "card", "placed_on": date(2027, 2, 1)}
        )
    )


async def test_a_school_whose_renewal_awaits_payment_or_approval_is_not_told_to_renew_again(
    notifications: Notifications,
) -> None:
    """Orders counts an order not cancelled as renewing (and refuses to renew again), paid or
    not: so does the reminder, until the order is cancelled."""
    notifications.service.clock.set(date(2027, 2, 1))
    renewing = subscription_ordered(ASHWELL, date(2027, 9, 1))
    await apply_in_turn(notifications, subscription_invoiced(ASHWELL, date(2026, 9, 1)), renewing)

    window_opens = date(2027, 3, 2)
    assert await reminders_on(notifications, window_opens) == 0

    placed = renewing.payload
    cancelled = Envelope.of(
        OrderCancelledV1(
            **placed.model_dump(include={"order_id", "lines", *SchoolFields.model_fields}),
            cancelled_on=date(2027, 2, 8),
            reason="declined by the school's approver",
        )
    )
    await apply_in_turn(notifications, cancelled)
    assert await reminders_on(notifications, window_opens) == 1


def trust_invoiced(
    term_start: date,
    urns: tuple[int, ...] = (ABBOTS_LANGLEY, ASHWELL),
    trust: tuple[str, str] = ("TR0042", "Demo Academy Trust"),
) -> Envelope[InvoiceRaisedV1]:
    """A trust's invoice (the trust is the customer; the event names its first school) for a
    subscription to one service for each of these schools (two: £1,200.00 in all)."""
    raised = invoice_raised(net_pence=50_000).payload
    [line] = raised.lines
    term = {"term_start": term_start, "term_end": term_start.replace(year=term_start.year + 1)}
    lines = tuple(
        line.model_copy(update={**term, "urn": urn, "line_id": uuid4(), "service_id": CLERKING})
        for urn in urns
    )
    totals = {
        name: len(urns) * getattr(raised, name)
        for name in ("net_pence", "vat_pence", "gross_pence")
    }
    trust_code, trust_name = trust
    return Envelope.of(
        raised.model_copy(
            update={
                **totals,
                "trust_code": trust_code,
                "trust_name": trust_name,
                "lines": lines,
                "order_id": uuid4(),
                "invoice_id": uuid4(),
            }
        )
    )


async def test_a_trusts_subscriptions_are_the_trusts_to_renew_and_its_buyer_hears_of_the_buy_back(
    notifications: Notifications,
) -> None:
    clock = notifications.service.clock
    clock.set(date(2027, 2, 1))
    await notifications.publish(trust_invoiced(date(2026, 9, 1)))

    async def the_trusts() -> bool:
        async with notifications.service.unit_of_work() as uow:
            found = await uow.read_models.subscribers(date(2026, 9, 1))
            return (set(found.schools), set(found.trusts)) == (set(), {"TR0042"})

    await eventually(the_trusts)
    clock.set(date(2027, 3, 2))  # the window for 2027/28 opens
    told = await notifications.mail_titled(
        "buyer.TR0042@trusts.example", "Renew your subscriptions for 2027/28"
    )
    words = " ".join(text_of(told).split())
    assert "The trust bought subscriptions for its schools last year" in words
    assert "http://portal.test/trust/renewal" in words
    renewals = [m["To"] for m in notifications.mail() if "Renew" in m["Subject"]]
    assert renewals == ["buyer.TR0042@trusts.example"]  # not its schools: they did not buy them


async def test_a_trust_that_renewed_a_service_for_one_school_is_still_told_of_the_other(
    notifications: Notifications,
) -> None:
    """The trust bought the service for two schools last year and this year for one: orders
    still offers the other school's, so the trust is told to renew."""
    clock = notifications.service.clock
    clock.set(date(2027, 2, 1))
    last_year, this_year = (
        trust_invoiced(date(2026, 9, 1)),
        trust_invoiced(date(2027, 9, 1), urns=(ABBOTS_LANGLEY,)),
    )
    await apply_in_turn(notifications, last_year, this_year)

    clock.set(date(2027, 3, 2))  # the window for 2027/28 opens
    told = await notifications.mail_titled(
        "buyer.TR0042@trusts.example", "Renew your subscriptions for 2027/28"
    )
    assert "has not yet renewed them all: renew those left in one step" in " ".join(
        text_of(told).split()
    )


async def test_a_trusts_invoice_is_chased_once_naming_the_trust_as_the_debtor(
    notifications: Notifications,
) -> None:
    raised = trust_invoiced(date(2026, 9, 1))
    notifications.service.clock.set(date(2026, 12, 2))
    await notifications.publish(raised)
    [due] = await notifications.mail_to("buyer.TR0042@trusts.example")
    assert due["Subject"] == "Invoice INV-900001 is due today"
    assert text_of(due).startswith(
        "Demo Academy Trust: invoice INV-900001 for £1,200.00 (including any VAT) is not yet "
        "paid; it is due today, 2 December 2026."
    )
    assert "Abbots Langley School" not in text_of(due)
    async with notifications.service.unit_of_work() as uow:
        recipients = await uow.session.scalars(select(messages.c.recipient))
        assert list(recipients) == ["trust:TR0042"]  # its debtor's, not any school's


def approval_requested(order_id: UUID, **why: Any) -> Envelope[ApprovalRequestedV1]:
    return Envelope.of(
        ApprovalRequestedV1(
            order_id=order_id,
            placed_on=date(2027, 1, 4),
            approve_by=date(2027, 1, 9),
            gross_pence=78_000,
            titles=("Governance review",),
            urn=ABBOTS_LANGLEY,
            school_name="Abbots Langley School",
            phase="Primary",
            la_code="919",
            **why,
        )
    )


async def test_the_schools_approver_is_told_of_an_order_awaiting_approval_with_its_link(
    notifications: Notifications,
) -> None:
    order_id = uuid4()
    await notifications.publish(approval_requested(order_id))  # from before it said why

    [told] = await notifications.mail_to("approver.117083@schools.example")
    assert told["Subject"] == "An order of £780.00 awaits your approval"
    body = text_of(told)
    assert "Governance review" in body and "by 9 January 2027" in body
    assert f"http://portal.test/orders/{order_id}/approval" in body
    # the total the approver approves, and the limit it is over, count VAT: said so
    assert "for £780.00 (including any VAT) on 4 January 2027, and it needs your approval." in (
        " ".join(body.split())
    )
    assert "limit" not in body


@pytest.mark.parametrize(
    ("why", "said"),
    [
        (
            {"reason": ApprovalReason.EVERY_ORDER},
            "on 4 January 2027; your school asks for every order to be approved.",
        ),
        (
            {"reason": ApprovalReason.SPENDING_LIMIT, "spending_limit_pence": 50_000},
            "on 4 January 2027, over the school's spending limit of £500.00 (counted with VAT).",
        ),
    ],
)
async def test_the_approver_is_told_why_the_order_awaits_approval(
    notifications: Notifications, why: dict[str, Any], said: str
) -> None:
    await notifications.publish(approval_requested(uuid4(), **why))

    [told] = await notifications.mail_to("approver.117083@schools.example")
    assert said in text_of(told)


def approval_answered(order_id: UUID, answer: str) -> Envelope[Event]:
    """The order approved, or cancelled (its approver declined it, or it lapsed unanswered)."""
    school: dict[str, Any] = {
        "urn": ABBOTS_LANGLEY,
        "school_name": "Abbots Langley School",
        "phase": "Primary",
        "la_code": "919",
    }
    if answer == "approved":
        return Envelope.of(
            OrderApprovedV1(
                order_id=order_id, approved_by="Jo Bloggs", approved_on=date(2027, 1, 5), **school
            )
        )
    return Envelope.of(
        OrderCancelledV1(
            order_id=order_id,
            cancelled_on=date(2027, 1, 5),
            reason="declined by the school's approver (Jo Bloggs)",
            lines=(),
            **school,
        )
    )


@pytest.mark.parametrize("answer", ["approved", "cancelled"])
async def test_an_approval_asked_for_after_the_order_was_answered_is_not_asked_for(
    notifications: Notifications, answer: str
) -> None:
    """Each event has its own consumer: one catching up after an outage may apply the request
    after the approval or the cancellation it led to."""
    order_id = uuid4()
    await apply_in_turn(
        notifications, approval_answered(order_id, answer), approval_requested(order_id)
    )

    assert await kept_for(notifications, "school:117083:approver") == []


async def test_an_approval_applied_after_its_last_day_to_answer_is_not_asked_for(
    notifications: Notifications,
) -> None:
    """The worker was down past it: the approver could no longer approve (the order lapses)."""
    notifications.service.clock.set(date(2027, 1, 10))  # its last day was 9 January
    await apply_in_turn(notifications, approval_requested(uuid4()))

    assert await kept_for(notifications, "school:117083:approver") == []


async def test_a_message_goes_to_the_contact_the_school_named(
    notifications: Notifications,
) -> None:
    named = "priya.shah@abbotslangley.herts.sch.uk"
    await notifications.publish(
        Envelope.of(
            SchoolContactChangedV1(
                urn=ABBOTS_LANGLEY,
                contact=SchoolContactRole.FINANCE,
                name="Priya Shah",
                email=named,
            )
        )
    )

    async def known() -> bool:
        async with notifications.service.unit_of_work() as uow:
            return bool(await uow.read_models.contacts_of(ABBOTS_LANGLEY))

    await eventually(known)
    notifications.service.clock.set(date(2026, 12, 2))
    await notifications.publish(invoice_raised())
    [due] = await notifications.mail_to(named)
    assert due["Subject"] == "Invoice INV-900001 is due today"


def contact_named(email: str, *, contact: SchoolContactRole) -> Envelope[SchoolContactChangedV1]:
    return Envelope.of(
        SchoolContactChangedV1(urn=ABBOTS_LANGLEY, contact=contact, name="A. Person", email=email)
    )


async def test_a_contact_named_again_is_not_undone_by_the_earlier_naming_applied_late(
    notifications: Notifications,
) -> None:
    """Two workers applied the school's two namings at once, or the first was retried: the one
    who left is not told again."""
    left = contact_named("left.in.july@abbotslangley.example", contact=SchoolContactRole.FINANCE)
    now = contact_named("new.bursar@abbotslangley.example", contact=SchoolContactRole.FINANCE)
    await apply_in_turn(notifications, now, left)

    notifications.service.clock.set(date(2026, 12, 2))
    await notifications.publish(invoice_raised())
    [due] = await notifications.mail_to("new.bursar@abbotslangley.example")
    assert due["Subject"] == "Invoice INV-900001 is due today"
    assert not [m for m in notifications.mail() if m["To"] == "left.in.july@abbotslangley.example"]
