"""An order line for a course session that found no place waits on the session's waiting list:
its school (and, on a trust's order, the trust's buyer) is told so at once, once per line, with
what becomes of its money; never once the line waits no more."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from email.message import EmailMessage
from typing import Any
from uuid import UUID, uuid4

import pytest

from shared.events import (
    Envelope,
    OrderPlacedV1,
    PlaceOfferAcceptedV1,
    PlacesReservedV1,
    PlacesUnavailableV1,
)
from shared.events.catalogue import CoursePlaces
from tests.integration.test_notifications import (
    ASHWELL,
    BUSINESS_MANAGER,
    TRUST_BUYER,
    applied,
    apply_in_turn,
    cancelled_on,
    course_places,
    kept_for,
    notifications,
    place_offered,
    text_of,
    trust_course_ordered,
    waiting_list_closed,
)
from tests.integration.test_notifications_withdrawn import MailServerDown, down
from tests.support.notifications import Notifications
from tests.support.platform import eventually

__all__ = ["down", "notifications"]  # the fixtures, shared with the other notifications tests

ASHWELLS_BUSINESS_MANAGER = "business_manager.117084@schools.example"
SUBJECT = "On the waiting list: Phonics for new teachers on 3 February 2027"


def places_unavailable(
    order_id: UUID | None = None,
    line_id: UUID | None = None,
    *,
    urn: int | None = None,
    session_id: UUID | None = None,
    position: int = 3,
    trust_code: str | None = None,
    **course: Any,
) -> Envelope[PlacesUnavailableV1]:
    """The catalogue's news that an order line found no place and waits, at `position` (on a
    trust's order, `trust_code`)."""
    places = course_places(order_id or uuid4(), line_id or uuid4(), session_id=session_id)
    return Envelope.of(
        PlacesUnavailableV1(
            **places | ({"urn": urn} if urn else {}),
            waiting_list_position=position,
            trust_code=trust_code,
            **course or {"title": "Phonics for new teachers", "starts_on": date(2027, 2, 3)},
        )
    )


async def test_a_school_whose_order_line_found_no_place_is_told_it_waits_and_of_its_money(
    notifications: Notifications,
) -> None:
    await notifications.publish(places_unavailable())

    [told] = await notifications.mail_to(BUSINESS_MANAGER)
    assert told["Subject"] == SUBJECT
    assert told["X-Template"] == "places_unavailable"
    said = " ".join(text_of(told).split())
    assert (
        "Your order asked for a place on Phonics for new teachers on 3 February 2027, but none "
        "were left: that line of the order is on the session's waiting list, number 3 in line."
        in said
    )
    assert "when the line's turn comes, it is offered to you by email" in said
    # the money: charged with the order as a booked place is, given back in full if no place
    assert "The line is paid for with the rest of its order, as a booked place is" in said
    assert "nothing of it is refunded or credited while it waits" in said
    assert "once the card processor has made the refund" in said
    assert "the invoice is credited for it" in said
    assert "Cancelling the order while the line waits gives all of its price back" in said
    assert "Your orders page shows each step." in said
    assert "http://portal.test/bookings" in said


UNNAMED: dict[str, Any] = {"title": None, "starts_on": None}  # news from before it named the course
SOMEONE_ELSE = {"urn": 117090}  # another school, ahead in the line
CANNOT_NAME = "This message cannot name the course: the bookings page linked below shows it."


async def offered_to_someone_else(
    notifications: Notifications, *, starts_on: date = date(2027, 2, 3)
) -> UUID:
    """A session, of Phonics for new teachers run on `starts_on`, on which a place is offered
    to another school, open until 10 March 2027 (its offer names the course): its id."""
    session_id = uuid4()
    offer = place_offered(
        datetime(2027, 3, 10, 9, 30, tzinfo=UTC),
        session_id=session_id,
        title="Phonics for new teachers",
        starts_on=starts_on,
    )
    await apply_in_turn(notifications, Envelope.of(offer.payload.model_copy(update=SOMEONE_ELSE)))
    return session_id


async def test_news_that_did_not_name_the_course_says_it_cannot_where_nothing_kept_names_it(
    notifications: Notifications,
) -> None:
    await notifications.publish(places_unavailable(**UNNAMED))

    [told] = await notifications.mail_to(BUSINESS_MANAGER)
    assert told["Subject"] == "On the waiting list: a course you ordered"
    said = " ".join(text_of(told).split())
    assert "Your order asked for a place on a course session, but none were left" in said
    assert CANNOT_NAME in said
    assert "http://portal.test/bookings" in said


async def test_news_that_did_not_name_the_course_names_it_as_an_open_offer_on_its_session_does(
    notifications: Notifications,
) -> None:
    """The waiting list's news, replayed when its message was first deployed, did not name the
    course; a place offered on the same session, still open, did."""
    session_id = await offered_to_someone_else(notifications)
    await notifications.publish(places_unavailable(session_id=session_id, **UNNAMED))

    [told] = await notifications.mail_to(BUSINESS_MANAGER)
    assert told["Subject"] == SUBJECT
    said = " ".join(text_of(told).split())
    assert "Your order asked for a place on Phonics for new teachers on 3 February 2027" in said
    assert CANNOT_NAME not in said


async def test_news_that_did_not_name_the_course_gives_the_day_the_trust_s_order_booked(
    notifications: Notifications,
) -> None:
    """What notifications keeps of the trust's order is the day its session runs, not the
    course's name: the day is told, and that the message cannot name the course."""
    trust, school = await told_of_trust_line_unnamed(notifications, places_unavailable)
    assert (
        trust["Subject"] == school["Subject"] == "On the waiting list: a course on 3 February 2027"
    )
    for_trust = " ".join(text_of(trust).split())
    assert (
        "The trust's order asked for a place on a course session on 3 February 2027 for its "
        "school URN 117084, but none were left" in for_trust
    )
    assert CANNOT_NAME in for_trust
    assert "http://portal.test/trust/bookings" in for_trust


async def test_a_school_is_told_once_of_each_waiting_line_however_often_it_is_delivered(
    notifications: Notifications,
) -> None:
    """Two lines wait: the school is told of each, once, whatever the copies of the news."""
    first, second = places_unavailable(), places_unavailable(position=4)
    await apply_in_turn(notifications, first)
    await notifications.mail_to(BUSINESS_MANAGER)
    await notifications.publish(first, msg_id="redelivered")  # past the stream's de-duplication
    await notifications.forget_applied()
    await notifications.publish(first, msg_id="replayed")
    await notifications.publish(second)  # after the copies, in the same stream

    told = await notifications.mail_to(BUSINESS_MANAGER, count=2)
    assert "number 4 in line" in " ".join(text_of(told[1]).split())
    assert await kept_for(notifications, "school:117083:") == ["places_unavailable"] * 2
    assert len(notifications.mail()) == 2


def trust_line_for_ashwell(placed: Envelope[OrderPlacedV1]) -> dict[str, Any]:
    [line] = [line for line in placed.payload.lines if line.urn == ASHWELL]
    return {
        "order_id": placed.payload.order_id,
        "line_id": line.line_id,
        "urn": ASHWELL,
        "session_id": line.session_id,
    }


async def told_of_trust_line_unnamed(
    notifications: Notifications, news: Callable[..., Envelope[Any]], **said: Any
) -> tuple[EmailMessage, EmailMessage]:
    """A trust's order of a session run on 3 February 2027, then `news` of its line for Ashwell
    that does not name the course (`said`: what else it says): the trust's buyer's message
    and the school's."""
    placed = trust_course_ordered(uuid4(), runs_on=date(2027, 2, 3))
    await apply_in_turn(notifications, placed)
    await notifications.publish(news(**trust_line_for_ashwell(placed), **UNNAMED, **said))
    [trust] = await notifications.mail_to(TRUST_BUYER)
    [school] = await notifications.mail_to(ASHWELLS_BUSINESS_MANAGER)
    return trust, school


async def test_a_line_of_a_trusts_order_left_waiting_is_told_to_its_buyer_and_to_the_school(
    notifications: Notifications,
) -> None:
    placed = trust_course_ordered(uuid4())
    await apply_in_turn(notifications, placed)
    await notifications.publish(places_unavailable(**trust_line_for_ashwell(placed)))

    [trust] = await notifications.mail_to(TRUST_BUYER)
    [school] = await notifications.mail_to(ASHWELLS_BUSINESS_MANAGER)
    assert trust["Subject"] == school["Subject"] == SUBJECT
    for_trust = " ".join(text_of(trust).split())
    assert (
        "The trust's order asked for a place on Phonics for new teachers on 3 February 2027 for "
        "its school URN 117084, but none were left: that line of the order is on the "
        "session's waiting list, number 3 in line." in for_trust
    )
    assert "it is offered to the trust and the school by email" in for_trust
    assert "The school's business manager is told too." in for_trust
    assert "The trust's orders page shows each step." in for_trust
    assert "http://portal.test/trust/bookings" in for_trust
    for_school = " ".join(text_of(school).split())
    assert (
        "Your trust's order asked for a place on Phonics for new teachers on 3 February 2027 "
        "for your school, but none were left" in for_school
    )
    assert "Your trust booked it and is told too." in for_school
    assert "Your orders page shows each step." not in for_school  # not of its trust's order
    assert "those of your trust's order show on the trust's orders page." in for_school
    assert "http://portal.test/bookings" in for_school
    assert not [m for m in notifications.mail() if m["To"] == BUSINESS_MANAGER]


async def test_the_trust_s_buyer_is_told_a_line_waits_when_the_news_comes_before_the_order(
    notifications: Notifications,
) -> None:
    """The news that the line waits and the trust's order come on different streams: either
    may be applied first. The news says whose order it is; the buyer is told once."""
    placed = trust_course_ordered(uuid4())
    waiting = places_unavailable(**trust_line_for_ashwell(placed), trust_code="TR0042")
    await apply_in_turn(notifications, waiting, placed)

    [trust] = await notifications.mail_to(TRUST_BUYER)
    [school] = await notifications.mail_to(ASHWELLS_BUSINESS_MANAGER)
    assert "for its school URN 117084, but none were left" in " ".join(text_of(trust).split())
    assert "Your trust booked it and is told too." in " ".join(text_of(school).split())
    assert await kept_for(notifications, "trust:TR0042") == ["places_unavailable"]


async def test_the_trust_s_buyer_is_offered_a_place_freed_before_the_order_was_applied(
    notifications: Notifications,
) -> None:
    """An offer follows the news that the line waits, on the same stream: it reaches the
    trust's buyer as well, though the trust's order is applied after both."""
    placed = trust_course_ordered(uuid4())
    waiting = places_unavailable(**trust_line_for_ashwell(placed), trust_code="TR0042")
    await apply_in_turn(notifications, waiting, waiting_no_more(waiting.payload, "offered"))
    await apply_in_turn(notifications, placed)

    async def offered() -> list[EmailMessage]:
        to_trust = [m for m in notifications.mail() if m["To"] == TRUST_BUYER]
        return [m for m in to_trust if m["X-Template"] == "place_offered"]

    [offer] = await eventually(offered)
    assert "http://portal.test/trust/bookings?offer=" in text_of(offer)
    assert (await kept_for(notifications, "trust:TR0042")).count("place_offered") == 1


def waiting_no_more(line: PlacesUnavailableV1, why: str) -> Envelope[Any]:
    """What ends a line's wait: a place held for it (reserved, or an offer accepted), a place
    offered, the list closed, or its order cancelled."""
    places = line.model_dump(include=set(CoursePlaces.model_fields))
    ids = {name: places[name] for name in ("order_id", "line_id", "session_id", "urn")}
    if why == "reserved":
        return Envelope.of(PlacesReservedV1(**places, places_left=0))
    if why == "offer accepted":
        return Envelope.of(PlaceOfferAcceptedV1(**ids))
    if why == "offered":
        offer = place_offered(datetime(2027, 1, 20, 9, 30, tzinfo=UTC)).payload
        return Envelope.of(offer.model_copy(update=places))
    if why == "list closed":
        return waiting_list_closed(line.session_id, CoursePlaces(**places))
    placed = trust_course_ordered(line.session_id)
    [first, *_] = placed.payload.lines
    order = placed.payload.model_copy(
        update={
            "order_id": line.order_id,
            "lines": (first.model_copy(update={"line_id": line.line_id}),),
        }
    )
    return cancelled_on(Envelope.of(order), date(2027, 1, 5))


WHYS = ["reserved", "offer accepted", "offered", "list closed", "order cancelled"]


@pytest.mark.parametrize("why", WHYS)
async def test_a_line_that_waits_no_more_before_its_news_is_applied_is_not_told_it_waits(
    notifications: Notifications, why: str
) -> None:
    waiting = places_unavailable()
    await apply_in_turn(notifications, waiting_no_more(waiting.payload, why))
    await apply_in_turn(notifications, waiting)

    assert "places_unavailable" not in await kept_for(notifications, "school:117083:")


@pytest.mark.parametrize("why", WHYS)
async def test_a_waiting_message_not_sent_when_the_line_waits_no_more_never_goes(
    down: MailServerDown, why: str
) -> None:
    """The mail server was down: the line was placed, offered a place, closed or cancelled
    before its message went. Withdrawn, it is not drafted again by a replay of the news."""
    waiting = places_unavailable()
    await down.notifications.publish(waiting)
    await down.waiting("places_unavailable")

    await apply_in_turn(down.notifications, waiting_no_more(waiting.payload, why))
    await down.withdrawn("places_unavailable")
    await down.notifications.forget_applied()
    await down.notifications.publish(waiting, msg_id="replayed")
    await applied(down.notifications, waiting)

    still_true = {"offered": ("place_offered",), "list closed": ("waiting_list_closed",)}
    await down.never_sent("places_unavailable", still_true=still_true.get(why, ()))
