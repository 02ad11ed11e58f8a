"""A waiting-list place offered by news from before offers named the course: the offer and its
reminder name the course from what notifications keeps (another open offer on the session, or
the day of the trust's order that booked the line) or say that they cannot."""

from __future__ import annotations

from datetime import UTC, date, datetime
from email.message import EmailMessage
from uuid import uuid4

from shared.events import Envelope
from tests.integration.test_notifications import (
    BUSINESS_MANAGER,
    TRUST_BUYER,
    apply_in_turn,
    notifications,
    place_offered,
    text_of,
    trust_course_ordered,
)
from tests.integration.test_notifications_waiting import (
    CANNOT_NAME,
    offered_to_someone_else,
    trust_line_for_ashwell,
)
from tests.support.notifications import Notifications

__all__ = ["notifications"]  # the fixture, shared with the other notifications tests

EXPIRES_AT = datetime(2027, 3, 10, 9, 30, tzinfo=UTC)
DAY_BEFORE_EXPIRY = date(2027, 3, 9)
REMINDER = "Your offered course place lapses soon"


def said(message: EmailMessage) -> str:
    return " ".join(text_of(message).split())


async def test_an_offer_that_did_not_name_the_course_says_it_cannot_where_nothing_kept_names_it(
    notifications: Notifications,
) -> None:
    """Its reminder too, the offer kept as it came."""
    offer = place_offered(EXPIRES_AT)
    await notifications.publish(offer)

    [told] = await notifications.mail_to(BUSINESS_MANAGER)
    text = said(told)
    assert f"A place on a course session came free for you. {CANNOT_NAME}" in text
    line = offer.payload.line_id
    assert f"Answer on your bookings page: http://portal.test/bookings?offer={line}" in text

    notifications.service.clock.set(DAY_BEFORE_EXPIRY)
    reminded = said(await notifications.mail_titled(BUSINESS_MANAGER, REMINDER))
    assert "The offer of a place on a course session lapses at " in reminded
    assert CANNOT_NAME in reminded


async def test_an_offer_that_did_not_name_the_course_names_it_as_an_open_offer_on_its_session_does(
    notifications: Notifications,
) -> None:
    """An offer replayed from before offers named the course; a place offered on the same
    session to another school, still open, names it, and so does the reminder."""
    session_id = await offered_to_someone_else(notifications, starts_on=date(2027, 3, 17))
    await notifications.publish(place_offered(EXPIRES_AT, session_id=session_id))

    [told] = await notifications.mail_to(BUSINESS_MANAGER)
    text = said(told)
    assert "A place on Phonics for new teachers on 17 March 2027 came free for you." in text
    assert CANNOT_NAME not in text

    notifications.service.clock.set(DAY_BEFORE_EXPIRY)
    reminded = said(await notifications.mail_titled(BUSINESS_MANAGER, REMINDER))
    assert "The offer of a place on Phonics for new teachers on 17 March 2027 lapses" in reminded


async def test_an_offer_that_did_not_name_the_course_gives_the_day_the_trust_s_order_booked(
    notifications: Notifications,
) -> None:
    placed = trust_course_ordered(uuid4(), runs_on=date(2027, 3, 17))
    await apply_in_turn(notifications, placed)
    offer = place_offered(EXPIRES_AT).payload.model_copy(update=trust_line_for_ashwell(placed))
    await notifications.publish(Envelope.of(offer))

    [trust] = await notifications.mail_to(TRUST_BUYER)
    for_trust = said(trust)
    assert (
        "A place on a course session on 17 March 2027 came free for the trust's school" in for_trust
    )
    assert CANNOT_NAME in for_trust
    assert "Answer on the trust's bookings page: http://portal.test/trust/bookings" in for_trust
