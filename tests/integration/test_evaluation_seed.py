"""The evaluation demo seeds a programme that can be analysed, once."""

from __future__ import annotations

import httpx

from services import registry
from services.evaluation.domain.effect_size import GroupSummary, difference_in_gains
from services.seed import demo
from services.seed.evaluation import SUMMARIES, seed_evaluation
from shared.auth import Role
from tests.support.databases import DatabaseFactory
from tests.support.platform import auth


async def test_the_demo_programme_reports_an_effect_size_and_seeding_twice_changes_nothing(
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

    assert (first, second) == (1, 0)
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
    base_t, out_t, base_c, out_c = (GroupSummary(m, s, n) for *_, m, s, n in SUMMARIES)
    expected = difference_in_gains(
        treatment_baseline=base_t,
        treatment_outcome=out_t,
        comparison_baseline=base_c,
        comparison_outcome=out_c,
    )
    assert figures["Hedges' g"] == expected.hedges_g
    assert page["programme"]["design"] == "unmatched"
    assert page["measures"][0]["padlocks"] <= 1
