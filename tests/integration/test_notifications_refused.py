"""The catalogue refused an order line places (the course no longer sold for the session's year
when it was ordered, or the session begun or called off when it heard of the order): its school
(and, on a trust's order, the trust's buyer) is told why, truly, and that the line is given
back in full, once per line."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from shared.events import Envelope, PlacesRefusedV1
from shared.events.catalogue import PlacesRefusal
from tests.integration.test_notifications import (
    BUSINESS_MANAGER,
    TRUST_BUYER,
    apply_in_turn,
    course_places,
    kept_for,
    notifications,
    text_of,
    trust_course_ordered,
)
from tests.integration.test_notifications_waiting import (
    ASHWELLS_BUSINESS_MANAGER,
    CANNOT_NAME,
    UNNAMED,
    offered_to_someone_else,
    told_of_trust_line_unnamed,
    trust_line_for_ashwell,
)
from tests.support.notifications import Notifications

__all__ = ["notifications"]  # the fixture, shared with the other notifications tests

SUBJECT = "No place booked: Phonics for new teachers on 3 February 2027"


def places_refused(
    reason: PlacesRefusal | None = PlacesRefusal.SESSION_BEGUN,
    *,
    order_id: UUID | None = None,
    line_id: UUID | None = None,
    urn: int | None = None,
    session_id: UUID | None = None,
    trust_code: str | None = None,
    **course: Any,
) -> Envelope[PlacesRefusedV1]:
    """The catalogue's news that it booked an order line no places, for `reason` (None: news
    from before refusals gave one)."""
    places = course_places(order_id or uuid4(), line_id or uuid4(), session_id=session_id)
    said_why: dict[str, Any] = {"reason": reason} if reason else {}
    return Envelope.of(
        PlacesRefusedV1(
            **places | ({"urn": urn} if urn else {}),
            academic_year="2026/27",
            **said_why,
            trust_code=trust_code,
            **course or {"title": "Phonics for new teachers", "starts_on": date(2027, 2, 3)},
        )
    )


def said(message: Any) -> str:
    return " ".join(text_of(message).split())


WHY = {
    PlacesRefusal.YEAR_NOT_SOLD: (
        "the course was no longer sold for the academic year 2026/27, the session's, when "
        "the order was placed"
    ),
    PlacesRefusal.SESSION_BEGUN: (
        "the session had already begun by the time the order reached our course bookings"
    ),
    PlacesRefusal.SESSION_CALLED_OFF: (
        "the session had been called off before the order reached our course bookings"
    ),
    PlacesRefusal.SERVICE_RETIRED: (
        "the course had been withdrawn from sale by the time the order was placed"
    ),
}


@pytest.mark.parametrize("reason", list(PlacesRefusal))
async def test_a_school_refused_places_is_told_why_and_that_the_line_is_given_back(
    notifications: Notifications, reason: PlacesRefusal
) -> None:
    await notifications.publish(places_refused(reason))

    [told] = await notifications.mail_to(BUSINESS_MANAGER)
    assert told["Subject"] == SUBJECT
    assert told["X-Template"] == "places_refused"
    text = said(told)
    assert (
        "Your order asked for a place on Phonics for new teachers on 3 February 2027, but no "
        f"place was booked: {WHY[reason]}." in text
    )
    for other in set(WHY.values()) - {WHY[reason]}:
        assert other not in text
    assert "That line of the order is given back in full. Nothing is kept for it:" in text
    assert "once the card processor has made the refund" in text
    assert "the invoice is credited for it" in text
    assert "Your orders page shows each step." in text
    assert "http://portal.test/bookings" in text


async def test_news_from_before_refusals_named_the_course_or_said_why_reads_truly(
    notifications: Notifications,
) -> None:
    """Every refusal from before refusals said why was for the year no longer sold; where
    nothing kept names the course, the message says it cannot, rather than seem to say all
    there is to know."""
    await notifications.publish(places_refused(None, **UNNAMED))

    [told] = await notifications.mail_to(BUSINESS_MANAGER)
    assert told["Subject"] == "No place booked: a course you ordered"
    text = said(told)
    assert (
        "Your order asked for a place on a course session, but no place was booked: "
        f"{WHY[PlacesRefusal.YEAR_NOT_SOLD]}." in text
    )
    assert CANNOT_NAME in text
    assert "http://portal.test/bookings" in text


async def test_news_that_did_not_name_the_course_names_it_as_an_open_offer_on_its_session_does(
    notifications: Notifications,
) -> None:
    """A refusal replayed from before refusals named the course; a place offered on the same
    session to another school, still open, names it."""
    session_id = await offered_to_someone_else(notifications)
    await notifications.publish(places_refused(session_id=session_id, **UNNAMED))

    [told] = await notifications.mail_to(BUSINESS_MANAGER)
    assert told["Subject"] == SUBJECT
    text = said(told)
    assert "Your order asked for a place on Phonics for new teachers on 3 February 2027" in text
    assert CANNOT_NAME not in text


async def test_news_that_did_not_name_the_course_gives_the_day_the_trust_s_order_booked(
    notifications: Notifications,
) -> None:
    """What notifications keeps of the trust's order is the day its session runs, not the
    course's name: the day is told, and that the message cannot name the course."""
    trust, school = await told_of_trust_line_unnamed(
        notifications, places_refused, trust_code="TR0042"
    )
    assert trust["Subject"] == school["Subject"] == "No place booked: a course on 3 February 2027"
    for_trust = said(trust)
    assert (
        "The trust's order asked for a place on a course session on 3 February 2027 for its "
        "school URN 117084, but no place was booked" in for_trust
    )
    assert CANNOT_NAME in for_trust
    assert "http://portal.test/trust/bookings" in for_trust
    assert CANNOT_NAME in said(school)


async def test_a_school_is_told_once_of_each_refused_line_however_often_it_is_delivered(
    notifications: Notifications,
) -> None:
    first, second = places_refused(), places_refused(PlacesRefusal.SESSION_CALLED_OFF)
    await apply_in_turn(notifications, first)
    await notifications.mail_to(BUSINESS_MANAGER)
    await notifications.publish(first, msg_id="redelivered")  # past the stream's de-duplication
    await notifications.forget_applied()
    await notifications.publish(first, msg_id="replayed")
    await notifications.publish(second)  # after the copies, in the same stream

    told = await notifications.mail_to(BUSINESS_MANAGER, count=2)
    assert WHY[PlacesRefusal.SESSION_CALLED_OFF] in said(told[1])
    assert await kept_for(notifications, "school:117083:") == ["places_refused"] * 2
    assert len(notifications.mail()) == 2


@pytest.mark.parametrize("order_first", [True, False], ids=["order-first", "refusal-first"])
async def test_a_trust_s_line_refused_places_is_told_to_its_buyer_and_to_the_school(
    notifications: Notifications, order_first: bool
) -> None:
    """The refusal and the trust's order come on different streams: either may be applied
    first. The buyer is told once, naming the school."""
    placed = trust_course_ordered(uuid4())
    refused = places_refused(**trust_line_for_ashwell(placed), trust_code="TR0042")
    await apply_in_turn(notifications, *((placed, refused) if order_first else (refused, placed)))

    [trust] = await notifications.mail_to(TRUST_BUYER)
    [school] = await notifications.mail_to(ASHWELLS_BUSINESS_MANAGER)
    assert trust["Subject"] == school["Subject"] == SUBJECT
    for_trust = said(trust)
    assert (
        "The trust's order asked for a place on Phonics for new teachers on 3 February 2027 "
        "for its school URN 117084, but no place was booked" in for_trust
    )
    assert "The school's business manager is told too." in for_trust
    assert "The trust's orders page shows each step." in for_trust
    assert "http://portal.test/trust/bookings" in for_trust
    for_school = said(school)
    assert "Your trust's order asked for a place on Phonics for new teachers" in for_school
    assert "for your school, but no place was booked" in for_school
    assert "Your trust booked it and is told too." in for_school
    assert "those of your trust's order show on the trust's orders page." in for_school
    assert await kept_for(notifications, "trust:TR0042") == ["places_refused"]
    assert not [m for m in notifications.mail() if m["To"] == BUSINESS_MANAGER]
