"""The catalogue among the other services, over NATS JetStream: what it announces and what it
hears (the schools register, orders asking for places, ratings and QA flags)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

import nats
from nats.js.api import DeliverPolicy

from shared.events import Envelope, ProviderFlaggedV1, RatingRecordedV1, SchoolRegisteredV1
from tests.support.catalogue_fixtures import (
    ADMIN,
    SCHOOL,
    course_line,
    order_cancelled,
    order_placed,
)
from tests.support.events import publish_raw
from tests.support.platform import ABBOTS_LANGLEY, ASHWELL, Platform, eventually
from tests.support.schools import ABBOTS_LANGLEY_AS_REGISTERED
from tests.support.tariffs import banded, flat

ABBOTS_LANGLEY_ON_THE_REGISTER = SchoolRegisteredV1(**ABBOTS_LANGLEY_AS_REGISTERED, pupils=415)


async def publish(platform: Platform, event: Any, producer: str) -> None:
    message = Envelope.of(event, producer=producer)
    assert await publish_raw(platform.nats_url, message, msg_id=str(message.event_id))


async def subjects_in_stream(nats_url: str, subjects: str) -> list[str]:
    connection = await nats.connect(nats_url)
    try:
        found: list[str] = []
        subscription = await connection.jetstream().subscribe(
            subjects, deliver_policy=DeliverPolicy.ALL, ordered_consumer=True
        )
        while True:
            try:
                found.append((await subscription.next_msg(timeout=0.5)).subject)
            except (TimeoutError, nats.errors.TimeoutError):
                return found
    finally:
        await connection.close()


async def test_orders_read_model_matches_what_the_catalogue_published(
    platform: Platform,
) -> None:
    provider = await platform.catalogue.post(
        "/providers", json={"name": "Governance services", "kind": "company_team"}, headers=ADMIN
    )
    created = await platform.catalogue.post(
        "/services",
        json={
            "code": "GOV-CLERK",
            "title": "Governor clerking service",
            "service_type": "subscription",
            "category": "Governance",
            "unit_price_pence": 180_000,
            "provider_id": provider.json()["id"],
            "phases": ["primary", "secondary"],
            "academic_years": ["2026/27"],
        },
        headers=ADMIN,
    )
    service = (
        await platform.catalogue.post(f"/services/{created.json()['id']}/publish", headers=ADMIN)
    ).json()

    async def listing() -> dict[str, Any] | None:
        found = (await platform.orders.get("/listings", headers=SCHOOL)).json()
        return next((row for row in found if row["service_id"] == service["id"]), None)

    listed = await eventually(listing)
    for field in ("code", "title", "service_type", "category", "unit_price_pence", "vat_rate"):
        assert listed[field] == service[field]
    assert listed["price_version"] == service["price_version"] == 1

    repriced = await platform.catalogue.put(
        f"/services/{service['id']}/prices",
        json={"prices": {"maintained": flat(190000)}, "vat_rate": "standard"},
        headers=ADMIN,
    )
    assert repriced.status_code == 200, repriced.text

    async def second_version() -> dict[str, Any] | None:
        found = await listing()
        return found if found and found["price_version"] == 2 else None

    assert (await eventually(second_version))["unit_price_pence"] == 190_000

    retired = await platform.catalogue.post(f"/services/{service['id']}/retire", headers=ADMIN)
    assert retired.status_code == 200, retired.text

    async def gone() -> bool:
        return await listing() is None

    assert await eventually(gone)


async def test_the_catalogue_prices_by_the_register_and_books_places_by_events(
    platform: Platform,
) -> None:
    await publish(platform, ABBOTS_LANGLEY_ON_THE_REGISTER, "orders")
    provider = (
        await platform.catalogue.post(
            "/providers",
            json={"name": "Teaching school hub partnership", "kind": "teaching_school"},
            headers=ADMIN,
        )
    ).json()
    created = await platform.catalogue.post(
        "/services",
        json={
            "code": "ML-PROG",
            "title": "Middle leadership programme",
            "service_type": "course",
            "category": "CPD and leadership",
            "prices": {"maintained": banded({0: 55000, 401: 59500})},
            "vat_rate": "exempt",
            "provider_id": provider["id"],
        },
        headers=ADMIN,
    )
    course_id = created.json()["id"]
    await platform.catalogue.post(f"/services/{course_id}/publish", headers=ADMIN)
    session_id = (
        await platform.catalogue.post(
            f"/services/{course_id}/sessions",
            json={"starts_on": "2027-01-14", "online": True, "capacity": 1},
            headers=ADMIN,
        )
    ).json()["id"]

    async def quoted() -> dict[str, Any]:
        answer = await platform.catalogue.post(
            "/quotes",
            json={
                "service_id": course_id,
                "urn": ABBOTS_LANGLEY,
                "quantity": 1,
                "session_id": session_id,
            },
            headers=SCHOOL,
        )
        return dict(answer.json()) if answer.status_code == 200 else {}

    quote = await eventually(quoted)
    assert (quote["unit_price_pence"], quote["session_id"]) == (59_500, session_id)
    assert quote["rule"] == "band 401 pupils or more (415 on roll), maintained school price"

    winner = order_placed(course_line(UUID(course_id), UUID(session_id), 1))
    waiting = order_placed(course_line(UUID(course_id), UUID(session_id), 1), urn=ASHWELL)
    await publish(platform, winner, "orders")
    await publish(platform, waiting, "orders")

    async def booked() -> list[dict[str, Any]]:
        found = await platform.catalogue.get(f"/sessions/{session_id}/bookings", headers=ADMIN)
        return list(found.json()) if len(found.json()) == 2 else []

    places = {b["urn"]: (b["status"], b["position"]) for b in await eventually(booked)}
    assert places == {ABBOTS_LANGLEY: ("reserved", None), ASHWELL: ("waiting", 1)}

    await publish(platform, order_cancelled(winner), "orders")

    async def offered() -> list[str]:
        found = await subjects_in_stream(platform.nats_url, "catalogue.>")
        return found if "catalogue.place.offered.v1" in found else []

    assert await eventually(offered) == [
        "catalogue.service.published.v1",
        "catalogue.places.reserved.v1",
        "catalogue.places.unavailable.v1",
        "catalogue.place.offered.v1",
    ]

    await publish(
        platform,
        RatingRecordedV1(
            rating_id=uuid4(),
            urn=ABBOTS_LANGLEY,
            service_id=UUID(course_id),
            provider_id=UUID(provider["id"]),
            score=2,
            comment="too theoretical",
            rated_on=date(2027, 2, 1),
            service_average=2.5,
            service_ratings=4,
            provider_average=2.75,
            provider_ratings=8,
        ),
        "evaluation",
    )
    await publish(
        platform,
        ProviderFlaggedV1(
            provider_id=UUID(provider["id"]),
            average=2.75,
            threshold=3.0,
            ratings=8,
            flagged_on=date(2027, 2, 1),
        ),
        "evaluation",
    )

    async def reviewed() -> dict[str, Any]:
        shown = (await platform.catalogue.get(f"/services/{course_id}", headers=SCHOOL)).json()
        return (
            shown if shown["provider"]["qa_status"] == "under_review" and shown["ratings"] else {}
        )

    shown = await eventually(reviewed)
    assert (shown["rating_average"], shown["ratings"]) == (2.5, 4)
    assert (shown["provider"]["rating_average"], shown["provider"]["ratings"]) == (2.75, 8)
    assert shown["price_for_school"]["unit_price_pence"] == 59_500


def rating_of(
    service_id: str, provider_id: str, *, service: tuple[float, int], provider: tuple[float, int]
) -> RatingRecordedV1:
    """A rating, with the averages (and their counts) evaluation said it made."""
    return RatingRecordedV1(
        rating_id=uuid4(),
        urn=ABBOTS_LANGLEY,
        service_id=UUID(service_id),
        provider_id=UUID(provider_id),
        score=4,
        comment="",
        rated_on=date(2027, 2, 1),
        service_average=service[0],
        service_ratings=service[1],
        provider_average=provider[0],
        provider_ratings=provider[1],
    )


async def test_a_rating_heard_after_a_later_one_leaves_the_later_averages_shown(
    platform: Platform,
) -> None:
    """Two workers share the consumer, and a parked rating may be re-driven days later: the
    shop window keeps the averages of the most ratings, whatever order they are heard in."""
    provider = (
        await platform.catalogue.post(
            "/providers", json={"name": "Maths hub", "kind": "company_team"}, headers=ADMIN
        )
    ).json()["id"]

    async def consultancy(code: str) -> str:
        created = await platform.catalogue.post(
            "/services",
            json={
                "code": code,
                "title": "Maths mastery",
                "service_type": "consultancy",
                "category": "Curriculum",
                "unit_price_pence": 50_000,
                "provider_id": provider,
            },
            headers=ADMIN,
        )
        return str(created.json()["id"])

    service, sentinel = await consultancy("MATHS-1"), await consultancy("MATHS-2")
    later = rating_of(service, provider, service=(4.0, 5), provider=(3.5, 9))
    earlier = rating_of(service, provider, service=(2.5, 4), provider=(2.75, 8))
    await publish(platform, later, "evaluation")
    await publish(platform, earlier, "evaluation")
    # Heard after both on the same consumer: once it shows, both have been applied.
    await publish(
        platform, rating_of(sentinel, provider, service=(5.0, 1), provider=(3.5, 9)), "evaluation"
    )

    async def shown(service_id: str) -> dict[str, Any]:
        found = (await platform.catalogue.get(f"/services/{service_id}", headers=ADMIN)).json()
        return dict(found) if found["ratings"] else {}

    await eventually(lambda: shown(sentinel))
    rated = await shown(service)
    assert (rated["rating_average"], rated["ratings"]) == (4.0, 5)
    assert (rated["provider"]["rating_average"], rated["provider"]["ratings"]) == (3.5, 9)
