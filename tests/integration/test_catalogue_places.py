"""Course places under concurrency, on SQLite and PostgreSQL: never more reserved than the
capacity, a waiting list without gaps or ties, freed places offered in order, and a session
called off for falling short said to the schools whose bookings it released."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select

from services.catalogue.adapters.tables import messaging
from services.catalogue.application.minimums import CallOffShortSessions
from services.seed.catalogue import seed_catalogue_schools
from shared.auth import Role
from shared.clock import Clock
from shared.events import Envelope, OrderPlacedV1, PlaceOfferAcceptedV1, caused_event_id
from shared.messaging.consumer import apply_once
from tests.support.catalogue_fixtures import (
    ADMIN,
    Catalogue,
    catalogue_on,
    course_line,
    order_cancelled,
    order_placed,
)
from tests.support.databases import DatabaseFactory
from tests.support.platform import ABBOTS_LANGLEY, ASHWELL, auth
from tests.support.same_moment import applied_at_the_same_moment


@pytest.fixture
async def catalogue(databases: DatabaseFactory) -> AsyncIterator[Catalogue]:
    async with catalogue_on(databases, schools=False) as running:
        yield running


async def course_with_session(
    catalogue: Catalogue, places: int, **scheduled: Any
) -> tuple[UUID, UUID]:
    course = await catalogue.published(
        code="ML-PROG",
        title="Middle leadership programme",
        service_type="course",
        prices=None,
        unit_price_pence=59_500,
    )
    session = await catalogue.client.post(
        f"/services/{course['id']}/sessions",
        json={"starts_on": "2027-01-14", "venue": "Stevenage", "capacity": places, **scheduled},
        headers=ADMIN,
    )
    assert session.status_code == 201, session.text
    return UUID(course["id"]), UUID(session.json()["id"])


async def place(catalogue: Catalogue, order: OrderPlacedV1) -> None:
    await apply_once(
        Envelope.of(order, producer="orders"),
        uow_factory=catalogue.service.unit_of_work,
        apply=catalogue.service.bus.apply,
    )


async def bookings(catalogue: Catalogue, session_id: UUID) -> list[dict[str, Any]]:
    found = await catalogue.client.get(f"/sessions/{session_id}/bookings", headers=ADMIN)
    assert found.status_code == 200, found.text
    return list(found.json())


async def test_orders_racing_for_the_last_places_never_overbook(catalogue: Catalogue) -> None:
    course_id, session_id = await course_with_session(catalogue, places=3)
    orders = [order_placed(course_line(course_id, session_id, 1)) for _ in range(8)]

    await asyncio.gather(*(place(catalogue, order) for order in orders))

    found = await bookings(catalogue, session_id)
    assert sorted(b["status"] for b in found) == ["reserved"] * 3 + ["waiting"] * 5
    assert sorted(b["position"] for b in found if b["status"] == "waiting") == [1, 2, 3, 4, 5]
    sessions = await catalogue.client.get(f"/services/{course_id}/sessions", headers=ADMIN)
    assert sessions.json()[0]["places_left"] == 0
    outbox = await catalogue.outbox()
    assert outbox.count("catalogue.places.reserved.v1") == 3
    assert outbox.count("catalogue.places.unavailable.v1") == 5


async def test_two_orders_for_the_last_place_one_wins_and_the_other_waits(
    catalogue: Catalogue,
) -> None:
    course_id, session_id = await course_with_session(catalogue, places=1)
    first, second = (order_placed(course_line(course_id, session_id, 1)) for _ in range(2))

    await asyncio.gather(place(catalogue, first), place(catalogue, second))

    found = await bookings(catalogue, session_id)
    assert sorted((b["status"], b["position"]) for b in found) == [
        ("reserved", None),
        ("waiting", 1),
    ]


async def test_a_new_order_goes_behind_the_schools_waiting_and_the_shop_shows_none_left(
    catalogue: Catalogue,
) -> None:
    """Two places free while the first school waiting needs three: a newcomer asking for one
    or two does not take them, and the shop does not offer them."""
    course_id, session_id = await course_with_session(catalogue, places=3)
    holder = order_placed(course_line(course_id, session_id, 1))
    first_in_line = order_placed(course_line(course_id, session_id, 3))
    newcomer = order_placed(course_line(course_id, session_id, 2))
    for order in (holder, first_in_line, newcomer):
        await place(catalogue, order)

    found = {b["order_id"]: b for b in await bookings(catalogue, session_id)}
    assert (found[str(newcomer.order_id)]["status"], found[str(newcomer.order_id)]["position"]) == (
        "waiting",
        2,
    )
    assert (await last_published(catalogue, "catalogue.places.unavailable.v1"))[
        "waiting_list_position"
    ] == 2
    [shown] = (
        await catalogue.client.get(
            f"/services/{course_id}/sessions", params={"bookable": "true"}, headers=ADMIN
        )
    ).json()
    assert (shown["places_taken"], shown["places_left"], shown["schools_waiting"]) == (1, 0, 2)


async def test_a_cancelled_order_frees_its_places_for_the_waiting_list_in_order(
    catalogue: Catalogue,
) -> None:
    course_id, session_id = await course_with_session(catalogue, places=2)
    holder = order_placed(course_line(course_id, session_id, 2))
    first_in_line = order_placed(course_line(course_id, session_id, 2))
    second_in_line = order_placed(course_line(course_id, session_id, 1))
    for order in (holder, first_in_line, second_in_line):
        await place(catalogue, order)

    await apply_once(
        Envelope.of(order_cancelled(holder), producer="orders"),
        uow_factory=catalogue.service.unit_of_work,
        apply=catalogue.service.bus_on(Clock(datetime(2026, 11, 26, 9, tzinfo=UTC))).apply,
    )

    found = {b["order_id"]: b for b in await bookings(catalogue, session_id)}
    assert found[str(holder.order_id)]["status"] == "released"
    assert found[str(first_in_line.order_id)]["status"] == "offered"
    assert found[str(second_in_line.order_id)]["status"] == "waiting"
    assert (await catalogue.outbox())[-1] == "catalogue.place.offered.v1"
    offer = await last_published(catalogue)  # the school is told what the place is on, and when
    assert (offer["title"], offer["starts_on"]) == ("Middle leadership programme", "2027-01-14")


async def test_the_waiting_list_reads_each_school_s_place_in_line_as_schools_ahead_leave_it(
    catalogue: Catalogue,
) -> None:
    course_id, session_id = await course_with_session(catalogue, places=1)
    holder, first, second, third = (
        order_placed(course_line(course_id, session_id, 1)) for _ in range(4)
    )
    for order in (holder, first, second, third):
        await place(catalogue, order)

    async def in_line() -> list[tuple[str, int | None]]:
        found = {b["order_id"]: b for b in await bookings(catalogue, session_id)}
        return [
            (found[str(order.order_id)]["status"], found[str(order.order_id)]["position"])
            for order in (first, second, third)
        ]

    assert await in_line() == [("waiting", 1), ("waiting", 2), ("waiting", 3)]
    await cancel_at(catalogue, first, datetime(2026, 11, 26, 9, tzinfo=UTC))
    assert await in_line() == [("released", None), ("waiting", 1), ("waiting", 2)]
    joining = order_placed(course_line(course_id, session_id, 1))
    await place(catalogue, joining)  # told its place in line: behind two, not a fourth
    told = await last_published(catalogue, "catalogue.places.unavailable.v1")
    assert (told["order_id"], told["waiting_list_position"]) == (str(joining.order_id), 3)
    await cancel_at(catalogue, holder, datetime(2026, 11, 26, 10, tzinfo=UTC))
    assert await in_line() == [("released", None), ("offered", None), ("waiting", 1)]


async def test_places_accepted_from_an_offer_tell_none_left_while_a_school_still_waits(
    catalogue: Catalogue,
) -> None:
    """Four places: one is free, but the second school waiting needs three. Its places
    accepted, the first school in line leaves one free that no new order may take: the
    reservation says none are left, as the shop does."""
    course_id, session_id = await course_with_session(catalogue, places=4)
    holder, other = (order_placed(course_line(course_id, session_id, n)) for n in (2, 1))
    first, second = (order_placed(course_line(course_id, session_id, n)) for n in (2, 3))
    for order in (holder, other, first, second):
        await place(catalogue, order)
    await cancel_at(catalogue, holder, datetime(2026, 11, 26, 9, tzinfo=UTC))
    offered = {b["order_id"]: b for b in await bookings(catalogue, session_id)}[str(first.order_id)]
    assert offered["status"] == "offered"

    accepted = PlaceOfferAcceptedV1(
        order_id=first.order_id, line_id=offered["line_id"], session_id=session_id, urn=first.urn
    )
    await apply_once(
        Envelope.of(accepted, producer="orders"),
        uow_factory=catalogue.service.unit_of_work,
        apply=catalogue.service.bus.apply,
    )

    reserved = await last_published(catalogue, "catalogue.places.reserved.v1")
    assert (reserved["order_id"], reserved["places_left"]) == (str(first.order_id), 0)
    [shown] = (
        await catalogue.client.get(f"/services/{course_id}/sessions", headers=ADMIN)
    ).json()  # the shop's figure
    assert (shown["places_taken"], shown["places_left"], shown["schools_waiting"]) == (3, 0, 1)


async def test_a_school_reads_its_own_place_in_line_now_and_no_other_school_s(
    catalogue: Catalogue,
) -> None:
    course_id, session_id = await course_with_session(catalogue, places=1)
    holder, ahead = (
        order_placed(course_line(course_id, session_id, 1), urn=ASHWELL) for _ in range(2)
    )
    waits = order_placed(course_line(course_id, session_id, 1), urn=ABBOTS_LANGLEY)
    for order in (holder, ahead, waits):
        await place(catalogue, order)
    await cancel_at(catalogue, ahead, datetime(2026, 11, 26, 9, tzinfo=UTC))

    path = f"/schools/{ABBOTS_LANGLEY}/waiting-places"
    own = await catalogue.client.get(path, headers=auth(Role.SCHOOL, ABBOTS_LANGLEY))
    other = await catalogue.client.get(path, headers=auth(Role.SCHOOL, ASHWELL))

    assert own.status_code == 200, own.text
    [(order_id, session, position)] = [
        (found["order_id"], found["session_id"], found["position"]) for found in own.json()
    ]
    assert (order_id, session, position) == (str(waits.order_id), str(session_id), 1)
    assert (other.status_code, other.json()["field"]) == (403, "urn")


async def last_published(
    catalogue: Catalogue, subject: str = "catalogue.place.offered.v1"
) -> dict[str, Any]:
    async with catalogue.service.sessions() as session:
        body = await session.scalar(
            select(messaging.outbox.c.body)
            .where(messaging.outbox.c.subject == subject)
            .order_by(messaging.outbox.c.position.desc())
        )
    assert body is not None
    return dict(json.loads(body)["payload"])


async def cancel_at(catalogue: Catalogue, order: OrderPlacedV1, moment: datetime) -> None:
    await apply_once(
        Envelope.of(order_cancelled(order), producer="orders"),
        uow_factory=catalogue.service.unit_of_work,
        apply=catalogue.service.bus_on(Clock(moment)).apply,
    )


async def one_place_and_one_waiting(
    catalogue: Catalogue,
) -> tuple[UUID, OrderPlacedV1, OrderPlacedV1]:
    """A session of one place, held by one order, another order waiting for it."""
    course_id, session_id = await course_with_session(catalogue, places=1)
    holder = order_placed(course_line(course_id, session_id, 1))
    waiting = order_placed(course_line(course_id, session_id, 1))
    for order in (holder, waiting):
        await place(catalogue, order)
    return session_id, holder, waiting


async def test_a_place_freed_the_evening_before_is_offered_only_until_the_session_begins(
    catalogue: Catalogue,
) -> None:
    """Places are booked until the day before a session runs: an offer made at 20:00 the day
    before lapses at midnight, not 48 hours later with the course half over."""
    session_id, holder, waiting = await one_place_and_one_waiting(catalogue)

    await cancel_at(catalogue, holder, datetime(2027, 1, 13, 20, tzinfo=UTC))

    found = {b["order_id"]: b["status"] for b in await bookings(catalogue, session_id)}
    assert (found[str(holder.order_id)], found[str(waiting.order_id)]) == ("released", "offered")
    offer = await last_published(catalogue)
    assert datetime.fromisoformat(offer["offer_expires_at"]) == datetime(2027, 1, 14, tzinfo=UTC)


async def test_a_place_freed_on_the_day_of_the_session_is_offered_to_nobody(
    catalogue: Catalogue,
) -> None:
    session_id, holder, waiting = await one_place_and_one_waiting(catalogue)

    await cancel_at(catalogue, holder, datetime(2027, 1, 14, 9, tzinfo=UTC))

    found = {b["order_id"]: b for b in await bookings(catalogue, session_id)}
    assert (found[str(holder.order_id)]["status"], found[str(waiting.order_id)]["status"]) == (
        "released",
        "waiting",
    )
    assert "catalogue.place.offered.v1" not in await catalogue.outbox()


async def test_each_answer_about_places_has_an_id_derived_from_the_order_it_answers(
    catalogue: Catalogue,
) -> None:
    """A catalogue rebuilt from the streams answers each order with the same event ids, so
    JetStream's duplicate window and orders' inbox drop the repeated answers."""
    course_id, session_id = await course_with_session(catalogue, places=1)
    first, second = (order_placed(course_line(course_id, session_id, 1)) for _ in range(2))
    placed = [Envelope.of(order, producer="orders") for order in (first, second)]
    for event in placed:
        await apply_once(
            event, uow_factory=catalogue.service.unit_of_work, apply=catalogue.service.bus.apply
        )

    async with catalogue.service.sessions() as session:
        rows = await session.execute(
            select(messaging.outbox.c.event_id, messaging.outbox.c.subject)
            .where(messaging.outbox.c.subject.like("catalogue.places.%"))
            .order_by(messaging.outbox.c.position)
        )
        answers = [(row.event_id, row.subject) for row in rows]
    assert answers == [
        (str(caused_event_id(event.event_id, subject, event.payload.lines[0].line_id)), subject)
        for event, subject in zip(
            placed,
            ("catalogue.places.reserved.v1", "catalogue.places.unavailable.v1"),
            strict=True,
        )
    ]


async def test_a_trust_s_order_books_each_course_line_for_the_school_it_is_for(
    catalogue: Catalogue,
) -> None:
    course_id, session_id = await course_with_session(catalogue, places=5)
    lines = [
        course_line(course_id, session_id, 1).model_copy(update={"urn": urn})
        for urn in (136609, 138205)  # Sandringham and Fleetville Junior, one trust's schools
    ]
    trust_order = order_placed(lines[0], urn=136609).model_copy(update={"lines": tuple(lines)})

    await place(catalogue, trust_order)

    found = await bookings(catalogue, session_id)
    assert sorted((b["urn"], b["status"]) for b in found) == [
        (136609, "reserved"),
        (138205, "reserved"),
    ]


async def test_a_trust_s_order_line_left_waiting_is_said_to_be_the_trust_s(
    catalogue: Catalogue,
) -> None:
    """Notifications may hear that the line waits before it hears of the order: the news says
    whose order it is, for the trust's buyer to be told too."""
    course_id, session_id = await course_with_session(catalogue, places=1)
    lines = [
        course_line(course_id, session_id, 1).model_copy(update={"urn": urn})
        for urn in (136609, 138205)
    ]
    trust_order = order_placed(lines[0], urn=136609).model_copy(
        update={"lines": tuple(lines), "trust_code": "TR02193", "trust_name": "Alban Academies"}
    )

    await place(catalogue, trust_order)

    waiting = await last_published(catalogue, "catalogue.places.unavailable.v1")
    assert (waiting["urn"], waiting["trust_code"]) == (138205, "TR02193")


async def test_a_trust_s_order_line_refused_places_names_the_course_its_day_and_the_trust(
    catalogue: Catalogue,
) -> None:
    """Heard of on the session's day: refused, with what notifications needs to tell the school
    and the trust's buyer what was refused (it may hear of the refusal before the order)."""
    course_id, session_id = await course_with_session(catalogue, places=5)
    line = course_line(course_id, session_id, 1).model_copy(update={"urn": 138205})
    trust_order = order_placed(line, urn=138205).model_copy(
        update={"trust_code": "TR02193", "trust_name": "Alban Academies"}
    )
    catalogue.service.clock.set(datetime(2027, 1, 14, 9, 0, tzinfo=UTC))

    await place(catalogue, trust_order)

    refused = await last_published(catalogue, "catalogue.places.refused.v1")
    assert refused["reason"] == "session_begun"
    assert (refused["title"], refused["starts_on"]) == ("Middle leadership programme", "2027-01-14")
    assert (refused["urn"], refused["trust_code"]) == (138205, "TR02193")


async def test_an_order_cancelled_before_its_placing_arrives_never_takes_places(
    catalogue: Catalogue,
) -> None:
    """Each event has its own durable consumer, so a cancellation can be applied before the
    order it cancels (found by the chaos run on a NATS cluster): the places stay free."""
    course_id, session_id = await course_with_session(catalogue, places=2)
    order = order_placed(course_line(course_id, session_id, 2))

    await apply_once(
        Envelope.of(order_cancelled(order), producer="orders"),
        uow_factory=catalogue.service.unit_of_work,
        apply=catalogue.service.bus_on(Clock(datetime(2026, 11, 26, 9, tzinfo=UTC))).apply,
    )
    await place(catalogue, order)

    found = await bookings(catalogue, session_id)
    assert [(b["order_id"], b["status"]) for b in found] == [(str(order.order_id), "released")]
    sessions = await catalogue.client.get(f"/services/{course_id}/sessions", headers=ADMIN)
    assert sessions.json()[0]["places_left"] == 2
    assert "catalogue.places.reserved.v1" not in await catalogue.outbox()


async def test_a_session_called_off_tells_only_the_schools_whose_bookings_it_released(
    catalogue: Catalogue,
) -> None:
    """A school that cancelled weeks ago has nothing to get back: it is not told it has."""
    decides_on = Clock().today() + timedelta(days=4)
    course_id, session_id = await course_with_session(
        catalogue,
        places=12,
        starts_on=(decides_on + timedelta(days=10)).isoformat(),
        minimum_places=6,
        decision_on=decides_on.isoformat(),
    )
    booked = order_placed(course_line(course_id, session_id, 2), urn=ABBOTS_LANGLEY)
    cancelled_weeks_ago = order_placed(course_line(course_id, session_id, 1), urn=ASHWELL)
    for order in (booked, cancelled_weeks_ago):
        await place(catalogue, order)
    await apply_once(
        Envelope.of(order_cancelled(cancelled_weeks_ago), producer="orders"),
        uow_factory=catalogue.service.unit_of_work,
        apply=catalogue.service.bus.apply,
    )

    called_off = await catalogue.service.bus_on(Clock(decides_on)).handle(CallOffShortSessions())

    assert called_off == [session_id]
    async with catalogue.service.sessions() as session:
        [body] = await session.scalars(
            select(messaging.outbox.c.body).where(
                messaging.outbox.c.subject == "catalogue.session.cancelled.v1"
            )
        )
    cancelled = json.loads(body)["payload"]
    assert (cancelled["booked_urns"], cancelled["places_booked"]) == ([ABBOTS_LANGLEY], 2)


async def test_a_session_that_had_its_minimum_on_its_decision_date_runs_whoever_cancels_later(
    catalogue: Catalogue,
) -> None:
    """Decided once, on its decision date: one school cancelling afterwards (even after the
    course ran) does not call the session off and give every other school its money back."""
    decides_on = Clock().today() + timedelta(days=4)
    runs_on = decides_on + timedelta(days=10)
    course_id, session_id = await course_with_session(
        catalogue,
        places=12,
        starts_on=runs_on.isoformat(),
        minimum_places=3,
        decision_on=decides_on.isoformat(),
    )
    stays = order_placed(course_line(course_id, session_id, 2), urn=ABBOTS_LANGLEY)
    leaves = order_placed(course_line(course_id, session_id, 1), urn=ASHWELL)
    for order in (stays, leaves):
        await place(catalogue, order)
    assert await catalogue.service.bus_on(Clock(decides_on)).handle(CallOffShortSessions()) == []

    await cancel_at(catalogue, leaves, datetime.combine(decides_on, time(12), tzinfo=UTC))
    for day in (decides_on, decides_on + timedelta(days=1), runs_on + timedelta(days=1)):
        assert await catalogue.service.bus_on(Clock(day)).handle(CallOffShortSessions()) == []

    [shown] = (await catalogue.client.get(f"/services/{course_id}/sessions", headers=ADMIN)).json()
    assert (shown["places_taken"], shown["cancelled_on"], shown["confirmed_on"]) == (
        2,
        None,
        decides_on.isoformat(),
    )
    assert "catalogue.session.cancelled.v1" not in await catalogue.outbox()


@pytest.mark.parametrize("held", ["placing", "cancellation"])
async def test_an_order_and_its_cancellation_applied_at_the_same_moment_never_take_places(
    catalogue: Catalogue, held: str
) -> None:
    """The two come through separate consumers, so two workers may apply them at once: both
    are applied, whichever writes first, and the places stay free."""
    course_id, session_id = await course_with_session(catalogue, places=2)
    order = order_placed(course_line(course_id, session_id, 2))
    placing = Envelope.of(order, producer="orders")
    cancellation = Envelope.of(order_cancelled(order), producer="orders")
    first, second = (placing, cancellation) if held == "placing" else (cancellation, placing)

    outcomes = await applied_at_the_same_moment(catalogue.service, first, second)

    assert outcomes == [True, True]  # each applied, neither refused
    found = await bookings(catalogue, session_id)
    assert [(b["order_id"], b["status"]) for b in found] == [(str(order.order_id), "released")]
    sessions = await catalogue.client.get(f"/services/{course_id}/sessions", headers=ADMIN)
    assert sessions.json()[0]["places_left"] == 2


async def test_a_session_whose_day_or_decision_date_has_passed_is_refused_naming_it(
    catalogue: Catalogue,
) -> None:
    course = await catalogue.published(code="ML-PROG", service_type="course")
    catalogue.service.clock.set(datetime(2027, 1, 11, 9, 0, tzinfo=UTC))

    async def scheduled(starts_on: str, **minimum: Any) -> tuple[int, str | None, str]:
        answer = await catalogue.client.post(
            f"/services/{course['id']}/sessions",
            json={"starts_on": starts_on, "venue": "Stevenage", "capacity": 20, **minimum},
            headers=ADMIN,
        )
        return answer.status_code, answer.json().get("field"), answer.json().get("detail")

    ran = await scheduled("2027-01-08")
    undecided = await scheduled("2027-01-25", minimum_places=6, decision_on="2027-01-10")

    assert ran == (422, "starts_on", "8 January 2027 has passed")
    assert undecided == (422, "decision_on", "the decision date 10 January 2027 has passed")
    listed = await catalogue.client.get(f"/services/{course['id']}/sessions", headers=ADMIN)
    assert listed.json() == []  # nothing was scheduled
    assert (await scheduled("2027-01-11"))[0] == 201  # today's is not past
    assert (await scheduled("2027-01-25", minimum_places=6, decision_on="2027-01-11"))[0] == 201


async def test_the_bookings_of_a_session_name_each_school_the_register_has_told_of(
    catalogue: Catalogue,
) -> None:
    """For the catalogue admin's page of a course's sessions: who waits, by name."""
    await seed_catalogue_schools(catalogue.service)
    course_id, session_id = await course_with_session(catalogue, places=1)
    not_yet_registered = 199_999
    for urn in (ABBOTS_LANGLEY, ASHWELL, not_yet_registered):
        await place(catalogue, order_placed(course_line(course_id, session_id, 1), urn=urn))

    found = await bookings(catalogue, session_id)
    assert sorted((b["urn"], b["school_name"], b["status"], b["position"]) for b in found) == [
        (ABBOTS_LANGLEY, "Abbots Langley School", "reserved", None),
        (ASHWELL, "Ashwell Primary School", "waiting", 1),
        (not_yet_registered, None, "waiting", 2),
    ]
