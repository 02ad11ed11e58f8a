"""Notifications for an academy trust's buyer, who buys for the trust's schools: the places a
trust's order waited for, the bookings kept for the trust to hear of a call-off, and the
buy-back of what the trust bought for schools that have since left it (theirs to renew now,
unless bought for them for the year already)."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest
from sqlalchemy import select

from services.notifications.adapters.tables import messages, trust_bookings
from shared.events import Envelope, OrderPlacedV1, PlaceOfferedV1, SchoolRegisteredV1
from tests.integration.test_notifications import (
    ABBOTS_LANGLEY,
    ASHWELL,
    DAY_BEFORE_EXPIRY,
    EXPIRES_AT,
    TRUST_BUYER,
    applied,
    apply_in_turn,
    called_off,
    cancelled_on,
    notifications,
    reminders_on,
    subscription_invoiced,
    subscription_ordered,
    text_of,
    trust_course_ordered,
    trust_invoiced,
)
from tests.support.notifications import Notifications
from tests.support.platform import eventually

__all__ = ["notifications"]  # the fixture, shared with the other notifications tests

ASHWELLS_BUSINESS_MANAGER = "business_manager.117084@schools.example"


def offered_to_ashwell(placed: Envelope[OrderPlacedV1], session_id: UUID) -> PlaceOfferedV1:
    """The catalogue's offer of a place on Ashwell's line of the trust's order."""
    [line] = [line for line in placed.payload.lines if line.urn == ASHWELL]
    assert line.line_id is not None
    return PlaceOfferedV1(
        order_id=placed.payload.order_id,
        line_id=line.line_id,
        service_id=line.service_id,
        session_id=session_id,
        urn=ASHWELL,
        places=1,
        offer_expires_at=EXPIRES_AT,
        title="Phonics for new teachers",
        starts_on=date(2027, 3, 17),
    )


async def test_a_place_offered_on_a_trusts_order_is_told_to_its_buyer_and_to_the_school(
    notifications: Notifications,
) -> None:
    """The trust booked the place and pays for it (a decline is credited to the trust); its
    buyer and the school's business manager may each answer, as the trust's bookings page
    says: both are told, and both reminded the day before it lapses."""
    session_id = uuid4()
    placed = trust_course_ordered(session_id, runs_on=date(2027, 3, 17))
    await apply_in_turn(notifications, placed)
    offer = offered_to_ashwell(placed, session_id)
    notifications.service.clock.set(date(2027, 3, 8))
    await notifications.publish(Envelope.of(offer))

    [trust] = await notifications.mail_to(TRUST_BUYER)
    assert trust["Subject"] == "A course place the trust waited for is free to take"
    words = " ".join(text_of(trust).split())
    assert (
        "A place on Phonics for new teachers on 17 March 2027 came free for the trust's "
        "school URN 117084." in words
    )
    assert "09:30 on 10 March 2027" in words
    assert "The school's business manager is told too: either of you may answer." in words
    link = f"http://portal.test/trust/bookings?offer={offer.line_id}"
    assert f"Answer on the trust's bookings page: {link}" in words

    [school] = await notifications.mail_to(ASHWELLS_BUSINESS_MANAGER)
    assert school["Subject"] == "A course place you waited for is yours to take"
    said = " ".join(text_of(school).split())
    assert "Your trust booked it and is told too: either of you may answer." in said
    assert f"http://portal.test/bookings?offer={offer.line_id}" in said

    notifications.service.clock.set(DAY_BEFORE_EXPIRY)
    reminded = await notifications.mail_titled(
        TRUST_BUYER, "The trust's offered course place lapses soon"
    )
    assert "for the trust's school URN 117084, lapses at 09:30 on 10 March 2027" in " ".join(
        text_of(reminded).split()
    )
    await notifications.mail_titled(
        ASHWELLS_BUSINESS_MANAGER, "Your offered course place lapses soon"
    )
    async with notifications.service.unit_of_work() as uow:
        recipients = set(await uow.session.scalars(select(messages.c.recipient)))
    assert recipients == {"trust:TR0042", "school:117084:business_manager"}


async def test_a_trusts_bookings_are_forgotten_a_month_after_their_session_ran_or_was_cancelled(
    notifications: Notifications,
) -> None:
    """They are kept for the trust to hear if a session is called off, which is decided before
    it runs (and cancels the orders it empties that day): not once the session has run, nor
    once the order was cancelled, each a month on (for an event its consumer applies late)."""
    ran = trust_course_ordered(uuid4(), runs_on=date(2027, 2, 3))
    to_come = trust_course_ordered(uuid4(), runs_on=date(2027, 6, 9))
    cancelled_long_ago = trust_course_ordered(uuid4(), runs_on=date(2027, 6, 9))
    cancelled_lately = trust_course_ordered(uuid4(), runs_on=date(2027, 6, 9))
    await apply_in_turn(
        notifications,
        ran,
        to_come,
        cancelled_long_ago,
        cancelled_lately,
        cancelled_on(cancelled_long_ago, date(2027, 1, 4)),
        cancelled_on(cancelled_lately, date(2027, 3, 1)),
    )
    everyone = {ran, to_come, cancelled_long_ago, cancelled_lately}
    assert await orders_booked(notifications) == {placed.payload.order_id for placed in everyone}

    notifications.service.clock.set(date(2027, 3, 15))  # 40 days after the first session ran

    async def forgotten() -> bool:
        kept = {to_come.payload.order_id, cancelled_lately.payload.order_id}
        return await orders_booked(notifications) == kept

    await eventually(forgotten)


async def orders_booked(notifications: Notifications) -> set[UUID]:
    """The orders whose bookings notifications keeps for their trust."""
    async with notifications.service.unit_of_work() as uow:
        return set(await uow.session.scalars(select(trust_bookings.c.order_id)))


def ashwell_registered(trust_code: str | None) -> Envelope[SchoolRegisteredV1]:
    """Ashwell as the register (orders') now has it: in this trust, or in none."""
    return registered(ASHWELL, "Ashwell School", trust_code)


def registered(urn: int, name: str, trust_code: str | None) -> Envelope[SchoolRegisteredV1]:
    return Envelope.of(
        SchoolRegisteredV1(
            urn=urn,
            name=name,
            la_code="919",
            la_name="Hertfordshire",
            establishment_type="Academy converter",
            type_group="Academies",
            phase="Primary",
            pupils=180,
            postcode="SG7 5NL",
            town="Ashwell",
            trust_code=trust_code,
            trust_name=None if trust_code is None else f"Trust {trust_code}",
        )
    )


LEFT = pytest.mark.parametrize(
    "now_in", [None, "TR0099"], ids=["left-for-no-trust", "left-for-another"]
)


@LEFT
async def test_a_trust_is_not_told_to_renew_for_a_school_that_has_left_it_the_school_is(
    notifications: Notifications, now_in: str | None
) -> None:
    """The trust bought the service for two schools last year; one has left it since, and the
    trust renewed it for the other. Orders offers a trust's renewal only for the schools the
    register has in it, and the one that left renews what the trust bought for it on its own
    renewal page: the trust has nothing left to renew, the school has."""
    clock = notifications.service.clock
    clock.set(date(2027, 2, 1))
    await apply_in_turn(
        notifications,
        ashwell_registered("TR0042"),
        trust_invoiced(date(2026, 9, 1)),
        ashwell_registered(now_in),
        trust_invoiced(date(2027, 9, 1), urns=(ABBOTS_LANGLEY,)),
    )

    await reminders_on(notifications, date(2027, 3, 2))  # the window opens
    assert await told_to_renew(notifications) == {"school:117084:business_manager"}


async def told_to_renew(notifications: Notifications) -> set[str]:
    """Who has been told to renew (whatever else the day brought: an invoice's chaser)."""
    return set(await renewal_reminders(notifications))


async def renewal_reminders(notifications: Notifications) -> list[str]:
    """The recipient of each renewal reminder kept."""
    async with notifications.service.unit_of_work() as uow:
        told = await uow.session.scalars(
            select(messages.c.recipient).where(messages.c.key.startswith("renewal-"))
        )
        return list(told)


async def test_a_trust_is_told_to_renew_for_a_school_still_in_it_though_another_left(
    notifications: Notifications,
) -> None:
    notifications.service.clock.set(date(2027, 2, 1))
    await apply_in_turn(notifications, trust_invoiced(date(2026, 9, 1)), ashwell_registered(None))

    notifications.service.clock.set(date(2027, 3, 2))  # the window for 2027/28 opens
    await notifications.mail_titled(TRUST_BUYER, "Renew your subscriptions for 2027/28")


@LEFT
async def test_a_school_that_left_its_trust_is_told_to_renew_what_the_trust_bought_for_it(
    notifications: Notifications, now_in: str | None
) -> None:
    notifications.service.clock.set(date(2027, 2, 1))
    await apply_in_turn(
        notifications,
        ashwell_registered("TR0042"),
        trust_invoiced(date(2026, 9, 1)),
        ashwell_registered(now_in),
    )

    notifications.service.clock.set(date(2027, 3, 2))  # the window for 2027/28 opens
    told = await notifications.mail_titled(
        ASHWELLS_BUSINESS_MANAGER, "Renew your subscriptions for 2027/28"
    )
    words = " ".join(text_of(told).split())
    assert "Your school had subscriptions last year and has not yet renewed them all" in words
    assert "renew those left in one step, at next year's prices, on the renewal page" in words
    assert "http://portal.test/renewal" in words


async def test_a_school_that_left_its_trust_and_renewed_what_the_trust_bought_is_not_told_to(
    notifications: Notifications,
) -> None:
    """Its own order for the year renews what its old trust bought for it, as orders counts it
    (paid or not)."""
    notifications.service.clock.set(date(2027, 2, 1))
    await apply_in_turn(
        notifications,
        ashwell_registered("TR0042"),
        trust_invoiced(date(2026, 9, 1), urns=(ASHWELL,)),
        ashwell_registered(None),
        subscription_ordered(ASHWELL, date(2027, 9, 1)),
    )

    await reminders_on(notifications, date(2027, 3, 2))  # the window opens
    assert await told_to_renew(notifications) == set()


async def test_a_school_that_joined_another_trust_is_not_told_to_renew_what_the_new_one_bought(
    notifications: Notifications,
) -> None:
    """Its old trust bought the service for it last year, and its new trust has bought it for
    it for the year: orders offers it to no one again (the school would pay twice), and no one
    is told to renew it."""
    notifications.service.clock.set(date(2027, 2, 1))
    await apply_in_turn(
        notifications,
        ashwell_registered("TR0042"),
        trust_invoiced(date(2026, 9, 1), urns=(ASHWELL,)),
        ashwell_registered("TR0099"),
        trust_invoiced(date(2027, 9, 1), urns=(ASHWELL,), trust=("TR0099", "Trust TR0099")),
    )

    await reminders_on(notifications, date(2027, 3, 2))  # the window opens
    assert await told_to_renew(notifications) == set()


async def test_a_school_that_leaves_its_trust_once_told_renewals_are_open_is_told_of_the_rest(
    notifications: Notifications,
) -> None:
    """Ashwell bought a service itself last year, and its trust bought it another. Told when
    the window opens of its own, it then leaves the trust: what the trust bought for it is
    Ashwell's to renew from then on, and it is told so while the window is open (not only a
    week before it closes) — once, however often the reminders run or the register's news is
    delivered."""
    clock = notifications.service.clock
    clock.set(date(2027, 2, 1))
    await apply_in_turn(
        notifications,
        ashwell_registered("TR0042"),
        subscription_invoiced(ASHWELL, date(2026, 9, 1), service_id=uuid4()),
        trust_invoiced(date(2026, 9, 1), urns=(ASHWELL,)),
    )
    clock.set(date(2027, 3, 2))  # the window for 2027/28 opens
    await notifications.mail_titled(
        ASHWELLS_BUSINESS_MANAGER, "Renew your subscriptions for 2027/28"
    )
    await notifications.mail_titled(TRUST_BUYER, "Renew your subscriptions for 2027/28")

    left = ashwell_registered(None)
    await apply_in_turn(notifications, left)
    clock.set(date(2027, 4, 6))
    told = await notifications.mail_titled(
        ASHWELLS_BUSINESS_MANAGER, "More subscriptions to renew for 2027/28"
    )
    words = " ".join(text_of(told).split())
    assert "Renewals for 2027/28 are open until 1 October 2027." in words
    assert "Since we last wrote, your school renews 1 more of last year's subscriptions" in words
    assert "renew it in one step, at next year's prices, on the renewal page" in words
    assert "http://portal.test/renewal" in words

    await notifications.publish(left, msg_id="delivered again")  # past the stream's de-duplication
    await notifications.forget_applied()
    await notifications.publish(left, msg_id="replayed")
    await applied(notifications, left)
    assert await reminders_on(notifications, date(2027, 4, 7)) == 0
    assert (await renewal_reminders(notifications)).count("school:117084:business_manager") == 2


async def test_a_schools_earlier_announcement_applied_after_a_later_one_does_not_undo_it(
    notifications: Notifications,
) -> None:
    """Two workers may apply a school's two announcements at once, the later one first."""
    joined, left = ashwell_registered("TR0042"), ashwell_registered(None)
    await apply_in_turn(notifications, left, joined)

    async with notifications.service.unit_of_work() as uow:
        assert await uow.read_models.trusts_of([ASHWELL]) == {ASHWELL: None}


async def test_a_trusts_buyer_reads_its_schools_by_the_names_the_register_gave_them(
    notifications: Notifications,
) -> None:
    """Not by a bare URN: "Ashwell School (URN 117084)", as the portal names them."""
    session_id = uuid4()
    placed = trust_course_ordered(session_id, runs_on=date(2027, 3, 17))
    await apply_in_turn(
        notifications,
        registered(ABBOTS_LANGLEY, "Abbots Langley School", "TR0042"),
        ashwell_registered("TR0042"),
        placed,
    )
    notifications.service.clock.set(date(2027, 3, 8))
    await notifications.publish(Envelope.of(offered_to_ashwell(placed, session_id)))

    [offered] = await notifications.mail_to(TRUST_BUYER)
    assert "came free for the trust's school Ashwell School (URN 117084)." in " ".join(
        text_of(offered).split()
    )
    notifications.service.clock.set(DAY_BEFORE_EXPIRY)
    reminded = await notifications.mail_titled(
        TRUST_BUYER, "The trust's offered course place lapses soon"
    )
    assert "for the trust's school Ashwell School (URN 117084), lapses at" in " ".join(
        text_of(reminded).split()
    )
    await notifications.publish(called_off(session_id, ABBOTS_LANGLEY, ASHWELL))
    told = await notifications.mail_titled(
        TRUST_BUYER, "Cancelled: Phonics for new teachers on 3 February 2027"
    )
    assert (
        "The trust booked it for its schools Abbots Langley School (URN 117083) and "
        "Ashwell School (URN 117084)." in " ".join(text_of(told).split())
    )


async def test_a_school_renamed_on_the_register_keeps_its_new_name_whatever_the_order_applied(
    notifications: Notifications,
) -> None:
    former = registered(ASHWELL, "Ashwell Primary School", "TR0042")
    renamed = registered(ASHWELL, "Ashwell School", "TR0042")
    await apply_in_turn(notifications, renamed, former)

    async with notifications.service.unit_of_work() as uow:
        assert await uow.read_models.school_names([ASHWELL, ABBOTS_LANGLEY]) == {
            ASHWELL: "Ashwell School"
        }
