"""The evaluation demo seeds a programme with an evaluator's reported results, once; until a
school buys the linked course, the report says so rather than claiming an effect."""

from __future__ import annotations

import httpx

from services import registry
from services.seed import demo
from services.seed.evaluation import SUMMARIES, seed_evaluation
from shared.auth import Role
from tests.support.databases import DatabaseFactory
from tests.support.platform import auth


async def test_the_demo_programme_shows_no_effect_until_a_school_takes_part_and_seeds_once(
    sqlite_databases: DatabaseFactory,
) -> None:
    services = {
        name: registry.service(
            name, database_url=await sqlite_databases.new(name), environment="test"
        )
        for name in ("catalogue", "evaluation")
    }
    for service in services.values():
        await service.migrate()
    await demo.seed_catalogue(services["catalogue"])

    first = await seed_evaluation(services["evaluation"], services["catalogue"])
    second = await seed_evaluation(services["evaluation"], services["catalogue"])

    assert (first, second) == (3, 0)  # it said 1 of the 3 programmes it seeded
    api = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=services["evaluation"].api()), base_url="http://e"
    )
    try:
        programme = next(
            p
            for p in (await api.get("/programmes", headers=auth(Role.ADMIN))).json()
            if p["title"] == "Middle leaders leading maths mastery"
        )
        page = (
            await api.get(f"/programmes/{programme['id']}/report", headers=auth(Role.ADMIN))
        ).json()
    finally:
        await api.aclose()
        for service in services.values():
            await service.engine.dispose()
    figures = {f["figure"]: f["value"] for f in page["figures"]}
    assert page["programme"]["design"] == "unmatched"
    assert page["participating_schools"] == figures["participating schools"] == 0
    assert page["readiness"]["can_show_impact"] is False
    assert "no school takes part yet" in page["readiness"]["reasons"][0]
    assert "Hedges' g" not in figures and page["measures"][0]["months_progress"] is None
    reported = {f["figure"]: f["value"] for f in page["figures"] if f["measure"]}
    assert reported["participant baseline pupils"] == SUMMARIES[0][-1]  # the results are kept
    methods = {f["figure"]: f["method"] for f in page["figures"] if f["measure"]}
    # a reported summary's SD is as reported: nothing here divided anything by n − 1
    assert methods["participant baseline SD"] == "as reported with the group summary"
