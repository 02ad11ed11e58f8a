"""Quality assurance of inputs (ratings published for the catalogue) and partnership maturity."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import nats

from services.evaluation.application.ratings import RateDelivery
from services.evaluation.domain.maturity import CRITERIA, DRIVERS
from shared.auth import Role
from shared.events import OrderFulfilledV1
from tests.support.databases import DatabaseFactory
from tests.support.evaluation_world import EvaluationWorld, evaluation_world, order_line
from tests.support.event_delivery import dead_letters
from tests.support.platform import auth, eventually
from tests.support.same_moment import handled_at_the_same_moment

EVALUATOR = auth(Role.EVALUATOR)
SCHOOLS = [117083, 117084, 117089, 117099]  # real Hertfordshire primaries


async def published(nats_url: str, subject: str) -> list[dict[str, Any]]:
    """Every event on this subject in the EVALUATION stream, as the catalogue would receive it."""
    connection = await nats.connect(nats_url)
    try:
        jetstream = connection.jetstream()
        subscription = await jetstream.pull_subscribe(
            subject, durable=f"test-{uuid4().hex[:8]}", stream="EVALUATION"
        )
        try:
            messages = await subscription.fetch(50, timeout=1)
        except TimeoutError:
            return []
        return [json.loads(m.data)["payload"] for m in messages]
    finally:
        await connection.close()


async def invitation_for(world: EvaluationWorld, urn: int) -> dict[str, Any]:
    async def found() -> list[dict[str, Any]]:
        response = await world.api.get("/ratings/invitations", headers=auth(Role.SCHOOL, urn))
        return response.json()  # type: ignore[no-any-return]

    (invitation,) = await eventually(found)
    return invitation


async def test_ratings_after_delivery_publish_averages_and_flag_a_poor_provider(
    databases: DatabaseFactory, nats_url: str
) -> None:
    async with evaluation_world(databases, nats_url) as world:
        service_id, provider_id = uuid4(), uuid4()
        for urn in SCHOOLS[:3]:
            await world.order(urn, service_id, provider_id=provider_id)
        for urn, score in zip(SCHOOLS[:3], (3, 2, 2), strict=True):
            invitation = await invitation_for(world, urn)
            assert invitation["service_id"] == str(service_id)
            rated = await world.api.post(
                "/ratings",
                json={"invitation_id": invitation["id"], "score": score, "comment": "useful"},
                headers=auth(Role.SCHOOL, urn),
            )
            assert rated.status_code == 201, rated.text
        again = await world.api.post(
            "/ratings",
            json={"invitation_id": invitation["id"], "score": 5},
            headers=auth(Role.SCHOOL, SCHOOLS[2]),
        )
        assert again.status_code == 409

        ratings = await eventually(
            lambda: _count(published(nats_url, "evaluation.rating.recorded.v1"), 3)
        )
        last = ratings[-1]
        # (3 + 2 + 2)/3 exactly: a reader rounds it down to show it ("2.33")
        assert (last["service_average"], last["service_ratings"]) == (7 / 3, 3)
        assert (last["provider_average"], last["provider_ratings"]) == (7 / 3, 3)
        (flag,) = await eventually(
            lambda: _count(published(nats_url, "evaluation.provider.flagged.v1"), 1)
        )
        assert flag["provider_id"] == str(provider_id)
        assert (flag["average"], flag["threshold"], flag["ratings"]) == (7 / 3, 3.0, 3)


async def test_two_schools_rating_one_provider_at_once_each_count_the_other_s_rating(
    databases: DatabaseFactory, nats_url: str
) -> None:
    """The averages the catalogue shows come with the ratings: the second rating's averages
    count the first, though both were given at the same moment."""
    async with evaluation_world(databases, nats_url) as world:
        service_id, provider_id = uuid4(), uuid4()
        for urn in SCHOOLS[:2]:
            await world.order(urn, service_id, provider_id=provider_id)
        first, second = [
            RateDelivery(UUID((await invitation_for(world, urn))["id"]), urn, score, "")
            for urn, score in zip(SCHOOLS[:2], (5, 1), strict=True)
        ]

        await handled_at_the_same_moment(world.service, first, second)

        ratings = await eventually(
            lambda: _count(published(nats_url, "evaluation.rating.recorded.v1"), 2)
        )
        counted = sorted((r["service_ratings"], r["provider_ratings"]) for r in ratings)
        assert counted == [(1, 1), (2, 2)]
        last = max(ratings, key=lambda r: r["service_ratings"])
        assert (last["service_average"], last["provider_average"]) == (3.0, 3.0)


async def test_each_school_of_a_delivered_order_is_invited_to_rate_each_service_it_had(
    databases: DatabaseFactory, nats_url: str
) -> None:
    """A trust's order buys one service for two of its schools (a line each), and for the first
    also another service sold under the same title. Delivered, each school is invited to rate
    each service it had: none of the three invitations is lost with the event."""
    async with evaluation_world(databases, nats_url) as world:
        mentoring, namesake = uuid4(), uuid4()
        first, second = SCHOOLS[:2]
        lines = [(mentoring, first), (mentoring, second), (namesake, first)]
        await world.publish(
            OrderFulfilledV1(
                **world.school_fields(first),
                order_id=uuid4(),
                fulfilled_on=date(2025, 9, 2),
                lines=tuple(
                    order_line(service).model_copy(update={"urn": urn}) for service, urn in lines
                ),
            )
        )

        invited = await eventually(lambda: _invitations(world, {first: 2, second: 1}))

        assert invited == {first: {mentoring, namesake}, second: {mentoring}}
        assert await dead_letters(world.service) == []


async def _invitations(world: EvaluationWorld, expected: dict[int, int]) -> dict[int, set[UUID]]:
    """The services each school is invited to rate, once each school has as many as expected."""
    found = {}
    for urn, count in expected.items():
        listed = await world.api.get("/ratings/invitations", headers=auth(Role.SCHOOL, urn))
        found[urn] = {UUID(invitation["service_id"]) for invitation in listed.json()}
        if len(listed.json()) != count:
            return {}
    return found


async def _count(found: Any, expected: int) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = await found
    return events if len(events) == expected else []


async def test_a_school_rates_only_its_own_deliveries(
    sqlite_databases: DatabaseFactory, nats_url: str
) -> None:
    async with evaluation_world(sqlite_databases, nats_url) as world:
        await world.deploy(SCHOOLS[0], case_id=uuid4(), provider_id=uuid4())
        invitation = await invitation_for(world, SCHOOLS[0])

        other = await world.api.post(
            "/ratings",
            json={"invitation_id": invitation["id"], "score": 4},
            headers=auth(Role.SCHOOL, SCHOOLS[1]),
        )
        out_of_range = await world.api.post(
            "/ratings",
            json={"invitation_id": invitation["id"], "score": 6},
            headers=auth(Role.SCHOOL, SCHOOLS[0]),
        )
        staff = await world.api.post(
            "/ratings", json={"invitation_id": invitation["id"], "score": 4}, headers=EVALUATOR
        )

        assert other.status_code == 404
        assert out_of_range.status_code == 422 and "score" in out_of_range.text
        assert staff.status_code == 403
        assert (await world.api.get("/ratings", headers=EVALUATOR)).json() == []


def judgements(step: int) -> list[dict[str, Any]]:
    return [
        {"dimension": f"driver: {d}", "step": step, "evidence": f"{d}: seen in minutes"}
        for d in DRIVERS
    ] + [{"dimension": f"criterion: {c}", "step": step, "evidence": "peer visit"} for c in CRITERIA]


async def test_partnership_maturity_shows_each_dimension_over_time(
    sqlite_databases: DatabaseFactory, nats_url: str
) -> None:
    async with evaluation_world(sqlite_databases, nats_url) as world:
        url = await cluster_of_the_schools(world, "Three Rivers primary cluster")
        for on, perspective, step in (
            (date(2025, 7, 1), "self", 1),
            (date(2025, 12, 1), "peer", 2),
            (date(2026, 7, 1), "self", 3),
        ):
            made = await world.api.post(
                f"{url}/assessments",
                json={
                    "perspective": perspective,
                    "assessor": "cluster heads",
                    "assessed_on": on.isoformat(),
                    "judgements": judgements(step),
                },
                headers=EVALUATOR,
            )
            assert made.status_code == 201, made.text
        incomplete = await world.api.post(
            f"{url}/assessments",
            json={
                "perspective": "self",
                "assessor": "cluster heads",
                "assessed_on": "2026-08-01",
                "judgements": judgements(2)[:3],
            },
            headers=EVALUATOR,
        )

        maturity = await world.api.get(f"{url}/maturity", headers=auth(Role.SCHOOL, SCHOOLS[1]))
        outsider = await world.api.get(f"{url}/maturity", headers=auth(Role.SCHOOL, 117105))

        assert incomplete.status_code == 422 and incomplete.json()["field"] == "judgements"
        body = maturity.json()
        assert body["assessments"] == 3 and len(body["trend"]) == len(DRIVERS) + len(CRITERIA)
        purpose = body["trend"][0]
        assert [p["step"] for p in purpose["points"]] == [1, 2, 3]
        assert purpose["change"] == 2  # self-assessment, beginning → embedding
        assert outsider.status_code == 404


async def test_an_assessment_dated_after_today_is_refused_and_never_counts_as_the_latest(
    sqlite_databases: DatabaseFactory, nats_url: str
) -> None:
    """An assessment typed as 2062 was kept and, latest by date, set the network's maturity
    for decades of real assessments after it."""
    async with evaluation_world(sqlite_databases, nats_url) as world:
        world.service.clock.set(date(2026, 12, 6))
        url = await cluster_of_the_schools(world, "Watford primaries")
        body = {"perspective": "self", "assessor": "cluster heads", "judgements": judgements(1)}
        later = await world.api.post(
            f"{url}/assessments", json={**body, "assessed_on": "2026-12-07"}, headers=EVALUATOR
        )
        assert (later.status_code, later.json()["field"]) == (422, "assessed_on")
        today = await world.api.post(
            f"{url}/assessments", json={**body, "assessed_on": "2026-12-06"}, headers=EVALUATOR
        )
        assert today.status_code == 201, today.text
        maturity = (await world.api.get(f"{url}/maturity", headers=EVALUATOR)).json()
        assert maturity["assessments"] == 1


async def test_a_second_assessment_of_one_date_and_perspective_corrects_the_first(
    databases: DatabaseFactory, nats_url: str
) -> None:
    """Two self-assessments dated 1 December were both kept and read in no set order: the table
    could show one's step while the change was worked out from the other. The second is now a
    correction that replaces the first, and is audited as one. By hand: beginning (1) on
    1 July, then leading (4) on 1 December as corrected: +3 steps."""
    async with evaluation_world(databases, nats_url) as world:
        world.service.clock.set(date(2026, 12, 6))
        url = await cluster_of_the_schools(world, "Dacorum primaries")
        ids = []
        for on, assessor, step in (
            ("2026-07-01", "cluster heads", 1),
            ("2026-12-01", "cluster heads", 2),
            ("2026-12-01", "cluster heads, corrected", 4),
        ):
            made = await world.api.post(
                f"{url}/assessments",
                json={
                    "perspective": "self",
                    "assessor": assessor,
                    "assessed_on": on,
                    "judgements": judgements(step),
                },
                headers=EVALUATOR,
            )
            assert made.status_code == 201, made.text
            ids.append(made.json()["id"])

        maturity = (await world.api.get(f"{url}/maturity", headers=EVALUATOR)).json()
        audit = await world.api.get("/audit", params={"object_id": ids[1]}, headers=EVALUATOR)

        assert maturity["assessments"] == 2
        for trend in maturity["trend"]:
            steps = [(p["assessed_on"], p["step"]) for p in trend["points"]]
            assert steps == [("2026-07-01", 1), ("2026-12-01", 4)], trend["dimension"]
            assert trend["change"] == 3, trend["dimension"]
        (corrected,) = audit.json()["entries"]
        assert corrected["action"] == "assessment.corrected"
        assert ids[2] in corrected["summary"] and "cluster heads, corrected" in corrected["summary"]


async def cluster_of_the_schools(world: EvaluationWorld, name: str) -> str:
    """A cluster of SCHOOLS, once evaluation has them registered: its URL."""
    await world.register(*SCHOOLS)

    async def registered() -> bool:
        return await world.registered_schools() == len(SCHOOLS)

    await eventually(registered)
    network = await world.api.post(
        "/networks",
        json={"name": name, "kind": "cluster", "urns": SCHOOLS},
        headers=EVALUATOR,
    )
    assert network.status_code == 201, network.text
    return f"/networks/{network.json()['id']}"


async def test_a_delivery_rated_twice_at_once_is_rated_once(
    databases: DatabaseFactory, nats_url: str
) -> None:
    async with evaluation_world(databases, nats_url) as world:
        await world.deploy(SCHOOLS[0], case_id=uuid4(), provider_id=uuid4())
        invitation = await invitation_for(world, SCHOOLS[0])
        school = auth(Role.SCHOOL, SCHOOLS[0])

        answers = await asyncio.gather(
            *(
                world.api.post(
                    "/ratings",
                    json={"invitation_id": invitation["id"], "score": score},
                    headers=school,
                )
                for score in (4, 2)
            )
        )

        assert sorted(answer.status_code for answer in answers) == [201, 409]
        [refused] = [answer.json() for answer in answers if answer.status_code == 409]
        assert refused == {
            "detail": "this delivery has already been rated",
            "field": "invitation_id",
        }
        assert len((await world.api.get("/ratings", headers=EVALUATOR)).json()) == 1
