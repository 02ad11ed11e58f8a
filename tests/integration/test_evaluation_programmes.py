"""Programmes end to end in the evaluation service: participants from order and deployment
events, a comparison group matched from the register, baselines, the analysis and its reports."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import insert, select

from services.evaluation.adapters.tables import group_results, withdrawn_participations
from services.evaluation.domain.analysis import NOT_COMPUTABLE
from services.evaluation.domain.effect_size import baseline_adjusted
from services.evaluation.domain.months_progress import NOT_CONVERTED
from shared.auth import Role
from shared.clock import Clock
from shared.events import InvoiceRaisedV1
from shared.money import Strand
from tests.support.databases import DatabaseFactory
from tests.support.evaluation_world import (
    REGISTER,
    EvaluationWorld,
    evaluation_world,
    order_line,
)
from tests.support.platform import auth, eventually

EVALUATOR = auth(Role.EVALUATOR)
FINANCE = auth(Role.FINANCE)
# real Hertfordshire primaries (URN, pupils on roll in the January 2025 census)
TAKING_PART = [117083, 117084, 117089, 117099, 117105, 117109]  # 415, 228, 439, 424, 417, 447
SUPPORTED = 117088  # Bushey Heath Primary School, supported under an LA case
CANDIDATES = [
    117087, 117090, 117091, 117092, 117093, 117096, 117097, 117098, 117100, 117101, 117102,
    117103, 117106, 117107, 117108, 117110, 117111, 117113, 117114, 117115, 117117, 117118,
]  # fmt: skip


@pytest.fixture
async def world(databases: DatabaseFactory, nats_url: str) -> AsyncIterator[EvaluationWorld]:
    async with evaluation_world(databases, nats_url) as running:
        yield running


async def create_programme(
    world: EvaluationWorld,
    *,
    starts_on: date,
    links: list[dict[str, str]],
    title: str = "Maths mastery CPD",
) -> dict[str, Any]:
    response = await world.api.post(
        "/programmes",
        json={"title": title, "starts_on": starts_on.isoformat(), "links": links},
        headers=EVALUATOR,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def declare_measure(world: EvaluationWorld, programme_id: str, name: str) -> dict[str, Any]:
    response = await world.api.post(
        f"/programmes/{programme_id}/measures", json={"name": name}, headers=EVALUATOR
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def programme_with_participants(world: EvaluationWorld) -> tuple[str, UUID]:
    service_id, case_id = uuid4(), uuid4()
    await world.register(*TAKING_PART, SUPPORTED, *CANDIDATES)
    for urn in TAKING_PART:
        await world.order(urn, service_id)
    await world.deploy(SUPPORTED, case_id=case_id, provider_id=uuid4())
    programme = await create_programme(
        world,
        starts_on=date(2025, 9, 1),
        links=[
            {"kind": "service", "target_id": str(service_id)},
            {"kind": "case", "target_id": str(case_id)},
        ],
    )

    async def everyone_recorded() -> dict[str, Any]:
        found = (await world.api.get(f"/programmes/{programme['id']}", headers=EVALUATOR)).json()
        urns = {p["urn"] for p in found["participants"]}
        registered = await world.registered_schools() == 1 + len(TAKING_PART) + len(CANDIDATES)
        return found if urns == {*TAKING_PART, SUPPORTED} and registered else {}

    await eventually(everyone_recorded)
    return programme["id"], service_id


async def matched_with_a_measure(
    world: EvaluationWorld,
) -> tuple[str, list[dict[str, Any]], dict[str, Any]]:
    """A programme with participants, one comparison school matched to each, and a measure."""
    programme_id, _ = await programme_with_participants(world)
    matches = (
        await world.api.put(
            f"/programmes/{programme_id}/comparison",
            json={"match_per_participant": 1},
            headers=EVALUATOR,
        )
    ).json()
    return programme_id, matches, await declare_measure(world, programme_id, "KS2 reading")


async def test_participants_come_from_orders_and_deployments_and_comparison_matches_phase_and_size(
    world: EvaluationWorld,
) -> None:
    programme_id, _ = await programme_with_participants(world)

    response = await world.api.put(
        f"/programmes/{programme_id}/comparison",
        json={"match_per_participant": 1},
        headers=EVALUATOR,
    )

    assert response.status_code == 200, response.text
    matches = response.json()
    assert {m["participant"] for m in matches} == {*TAKING_PART, SUPPORTED}
    chosen = [m["comparison"] for m in matches]
    assert len(set(chosen)) == len(chosen) and not set(chosen) & {*TAKING_PART, SUPPORTED}
    for match in matches:
        participant, comparison = REGISTER[match["participant"]], REGISTER[match["comparison"]]
        assert comparison.phase == participant.phase
        assert match["size_gap"] == abs((comparison.pupils or 0) - (participant.pupils or 0))
    bushey = next(m for m in matches if m["participant"] == SUPPORTED)
    nearest_gap = min(abs((REGISTER[u].pupils or 0) - 239) for u in CANDIDATES)
    assert bushey["size_gap"] <= nearest_gap + 10  # nearest left once larger schools chose
    programme = (await world.api.get(f"/programmes/{programme_id}", headers=EVALUATOR)).json()
    assert programme["design"] == "matched"
    assert sorted(programme["comparison_urns"]) == sorted(chosen)


async def test_only_orders_paid_or_invoiced_and_not_cancelled_make_participants(
    world: EvaluationWorld,
) -> None:
    service_id = uuid4()
    declined, paid_then_cancelled, paid, invoiced = TAKING_PART[:4]
    await world.register(*TAKING_PART[:4], *CANDIDATES[:2])
    await world.place(declined, service_id, payment_method="card")  # the card was declined
    cancelled_order = await world.pay_by_card(paid_then_cancelled, service_id)
    await world.cancel(paid_then_cancelled, cancelled_order, service_id)
    await world.pay_by_card(paid, service_id)
    await world.order(invoiced, service_id)
    programme = await create_programme(
        world, starts_on=date(2025, 9, 1), links=[{"kind": "service", "target_id": str(service_id)}]
    )
    url = f"/programmes/{programme['id']}"
    if not programme["participants"]:  # the events may not all have arrived yet
        assert "no school takes part yet" in programme["readiness"]["reasons"][0]

    async def both_counted() -> dict[str, Any]:
        found = (await world.api.get(url, headers=EVALUATOR)).json()
        return found if {p["urn"] for p in found["participants"]} == {paid, invoiced} else {}

    found = await eventually(both_counted, timeout=30)  # sixteen events, five consumers

    async def registered() -> bool:  # their pupils come with the register's own events
        async with world.service.unit_of_work() as uow:
            return len(await uow.schools.find([paid, invoiced])) == 2

    await eventually(registered)
    assert not any("no school takes part" in r for r in found["readiness"]["reasons"])
    listed = await world.api.get(
        "/participants", params={"service_id": str(service_id)}, headers=EVALUATOR
    )
    assert {p["urn"] for p in listed.json()} == {paid, invoiced}

    report = (await world.api.get(f"{url}/report", headers=EVALUATOR)).json()
    figures = {f["figure"]: f["value"] for f in report["figures"]}
    assert figures["participating schools"] == report["participating_schools"] == 2
    assert (
        figures["pupils reached"]
        == report["pupils_reached"]
        == sum(REGISTER[urn].pupils or 0 for urn in (paid, invoiced))
    )
    assert report["readiness"] == found["readiness"]
    assert figures["can it show impact?"] == "not yet"  # no measure, no comparison yet


async def test_a_school_given_its_line_back_whole_takes_no_part_in_that_service(
    world: EvaluationWorld,
) -> None:
    """A course whose session was called off on an order kept open by its other lines: the
    school stayed a participant, though it got every penny back and never took part."""
    service_id = uuid4()
    called_off, credited, kept = TAKING_PART[:3]
    await world.register(called_off, credited, kept)
    await world.credit_back(called_off, await world.order(called_off, service_id), service_id)
    money_back = await world.order(credited, service_id)  # a credit, the course still run
    await world.credit_back(credited, money_back, service_id, withdrawn=False)
    await world.order(kept, service_id)
    programme = await create_programme(
        world, starts_on=date(2025, 9, 1), links=[{"kind": "service", "target_id": str(service_id)}]
    )

    async def only_those_taking_part() -> bool:
        found = await world.api.get(
            "/participants", params={"service_id": str(service_id)}, headers=EVALUATOR
        )
        return {p["urn"] for p in found.json()} == {credited, kept}

    async def settled() -> bool:
        async with world.service.unit_of_work() as uow:
            found = await uow.session.execute(select(withdrawn_participations))
            return len(found.all()) == 1

    await eventually(settled, timeout=30)
    await eventually(only_those_taking_part, timeout=30)
    found = (await world.api.get(f"/programmes/{programme['id']}", headers=EVALUATOR)).json()
    assert {p["urn"] for p in found["participants"]} == {credited, kept}


async def test_reported_results_show_no_effect_while_no_school_takes_part(
    world: EvaluationWorld,
) -> None:
    await world.register(*CANDIDATES[:2])
    programme = await create_programme(
        world, starts_on=date(2025, 9, 1), links=[{"kind": "service", "target_id": str(uuid4())}]
    )
    url = f"/programmes/{programme['id']}"
    await eventually(lambda: _registered(world, 2))
    chosen = await world.api.put(
        f"{url}/comparison", json={"urns": CANDIDATES[:2]}, headers=EVALUATOR
    )
    assert chosen.status_code == 200, chosen.text
    measure = await declare_measure(world, programme["id"], "KS2 reading")
    groups = [
        {"group": group, "stage": stage, "mean": mean, "sd": 6.4, "n": 118}
        for group, stage, mean in (
            ("participant", "baseline", 103.1),
            ("participant", "outcome", 106.0),
            ("comparison", "baseline", 103.4),
            ("comparison", "outcome", 104.9),
        )
    ]
    recorded = await world.api.post(
        f"{url}/measures/{measure['id']}/results", json={"groups": groups}, headers=EVALUATOR
    )
    assert recorded.status_code == 200, recorded.text

    report = (await world.api.get(f"{url}/report", headers=EVALUATOR)).json()

    figures = {f["figure"]: f["value"] for f in report["figures"]}
    assert report["participating_schools"] == figures["participating schools"] == 0
    assert report["readiness"]["can_show_impact"] is False
    assert figures["can it show impact?"] == "not yet"
    assert "Hedges' g" not in figures and "months' progress" not in figures
    assert report["measures"][0]["months_progress"] is None
    assert "no school takes part yet" in figures["note"]


async def _registered(world: EvaluationWorld, count: int) -> bool:
    return await world.registered_schools() == count


async def test_a_programme_without_baseline_is_flagged_before_it_starts(
    world: EvaluationWorld,
) -> None:
    programme = await create_programme(
        world,
        starts_on=Clock().today() + timedelta(days=30),
        links=[{"kind": "service", "target_id": str(uuid4())}],
    )
    assert programme["readiness"]["started"] is False
    assert programme["readiness"]["can_show_impact"] is False
    assert "no outcome measure is declared" in programme["readiness"]["reasons"]

    measure = await declare_measure(world, programme["id"], "KS2 reading scaled score")
    flagged = await world.api.get(
        "/programmes", params={"unable_to_show_impact": "true"}, headers=FINANCE
    )
    (listed,) = flagged.json()
    assert "measure 'KS2 reading scaled score' has no baseline" in listed["readiness"]["reasons"]

    recorded = await world.api.post(
        f"/programmes/{programme['id']}/measures/{measure['id']}/results",
        json={
            "groups": [
                {"group": "participant", "stage": "baseline", "mean": 101.2, "sd": 6.1, "n": 120}
            ]
        },
        headers=EVALUATOR,
    )
    assert recorded.status_code == 200, recorded.text
    after = (await world.api.get(f"/programmes/{programme['id']}", headers=EVALUATOR)).json()
    assert not any("baseline" in reason for reason in after["readiness"]["reasons"])


async def test_a_baseline_for_the_schools_taking_part_alone_cannot_yet_show_impact(
    world: EvaluationWorld,
) -> None:
    programme_id, matches, measure = await matched_with_a_measure(world)
    url = f"/programmes/{programme_id}"
    rows = [{"urn": m["participant"], "stage": "baseline", "value": 100.0} for m in matches]
    recorded = await world.api.post(
        f"{url}/measures/{measure['id']}/results", json={"schools": rows}, headers=EVALUATOR
    )
    assert recorded.status_code == 200, recorded.text

    programme = (await world.api.get(url, headers=EVALUATOR)).json()
    report = (await world.api.get(f"{url}/report", headers=EVALUATOR)).json()

    # Without the comparison schools' baseline no effect size can ever be worked out: the
    # programme cannot show impact yet, and says which group's baseline it lacks.
    for readiness in (programme["readiness"], report["readiness"]):
        assert readiness["can_show_impact"] is False
        assert any(
            "'KS2 reading' has no baseline for the comparison schools" in reason
            for reason in readiness["reasons"]
        )
    figures = {f["figure"]: f["value"] for f in report["figures"]}
    assert figures["can it show impact?"] == "not yet"

    comparison = [{"urn": m["comparison"], "stage": "baseline", "value": 99.0} for m in matches]
    recorded = await world.api.post(
        f"{url}/measures/{measure['id']}/results", json={"schools": comparison}, headers=EVALUATOR
    )
    assert recorded.status_code == 200, recorded.text
    ready = (await world.api.get(url, headers=EVALUATOR)).json()["readiness"]
    assert not any("baseline" in reason for reason in ready["reasons"])


async def test_a_csv_with_bad_rows_is_refused_whole_and_each_bad_row_named_by_line(
    world: EvaluationWorld,
) -> None:
    programme_id, _ = await programme_with_participants(world)
    measure = await declare_measure(world, programme_id, "Attendance")
    url = f"/programmes/{programme_id}/measures/{measure['id']}/results.csv"
    bad = "urn,stage,value,pupils\n117083,baseline,94.1,415\n117084,baseline,abc,228\n117089,midway,95.0,\n"

    refused = await world.api.post(
        url, content=bad, headers={**EVALUATOR, "content-type": "text/csv"}
    )

    assert refused.status_code == 422, refused.text
    assert [(e["line"], e["message"].split(":")[0]) for e in refused.json()["errors"]] == [
        (3, "value"),
        (4, "stage"),
    ]
    stored = await world.api.get(url.removesuffix(".csv"), headers=EVALUATOR)
    assert stored.json()["schools"] == []

    good = "urn,stage,value,pupils\n117083,baseline,94.1,415\n117084,baseline,95.3,228\n"
    accepted = await world.api.post(
        url, content=good, headers={**EVALUATOR, "content-type": "text/csv"}
    )
    assert accepted.json() == {"stored": 2}


async def test_a_csv_row_with_a_cell_past_its_header_is_a_bad_row_not_a_server_error(
    world: EvaluationWorld,
) -> None:
    programme_id, _ = await programme_with_participants(world)
    measure = await declare_measure(world, programme_id, "Attendance")
    url = f"/programmes/{programme_id}/measures/{measure['id']}/results.csv"
    moved = "urn,stage,value\n117083,baseline,94.1\n117084,baseline,95,3\n"

    refused = await world.api.post(
        url, content=moved, headers={**EVALUATOR, "content-type": "text/csv"}
    )

    assert refused.status_code == 422, refused.text
    ((problem,),) = [refused.json()["errors"]]
    assert problem["line"] == 3
    assert problem["message"].startswith("4 cells where the header names 3 columns")
    stored = await world.api.get(url.removesuffix(".csv"), headers=EVALUATOR)
    assert stored.json()["schools"] == []


async def test_the_report_shows_every_figure_with_its_method_and_its_cost_per_pupil(
    world: EvaluationWorld,
) -> None:
    programme_id, matches, measure = await matched_with_a_measure(world)
    participants = {m["participant"]: (100.0 + i, 104.0 + i * 1.2) for i, m in enumerate(matches)}
    comparison = {m["comparison"]: (100.5 + i, 102.0 + i) for i, m in enumerate(matches)}
    rows = [
        {"urn": urn, "stage": stage, "value": value, "pupils": 30}
        for cohort in (participants, comparison)
        for urn, (before, after) in cohort.items()
        for stage, value in (("baseline", before), ("outcome", after))
    ]
    recorded = await world.api.post(
        f"/programmes/{programme_id}/measures/{measure['id']}/results",
        json={"schools": rows},
        headers=EVALUATOR,
    )
    assert recorded.json() == {"stored": len(rows)}

    cost = len(TAKING_PART) * 59_500  # six invoices for the service; no deployment cost posted

    async def costed_report() -> dict[str, Any]:
        # The ledger's postings reach evaluation by event, some time after the orders.
        found = (await world.api.get(f"/programmes/{programme_id}/report", headers=FINANCE)).json()
        costs = [f["value"] for f in found["figures"] if f["figure"] == "cost (pence)"]
        return found if costs == [cost] else {}

    page = await eventually(costed_report)

    figures = {f["figure"]: f for f in page["figures"]}
    expected = baseline_adjusted(
        [participants[u] for u in sorted(participants)], [comparison[u] for u in sorted(comparison)]
    )
    assert figures["Hedges' g"]["value"] == pytest.approx(expected.hedges_g)
    assert "ANCOVA" in figures["Cohen's d"]["method"]
    assert figures["95% CI low"]["value"] < expected.hedges_g < figures["95% CI high"]["value"]
    # g over the spread between schools' means is not on the EEF's pupil-level scale
    assert "over the spread between schools" in figures["Hedges' g"]["method"]
    assert figures["months' progress"]["value"] == NOT_CONVERTED
    assert page["measures"][0]["standardised_by"] == "schools"
    assert figures["padlocks"]["value"] == page["measures"][0]["padlocks"] <= 3
    measure_id = page["measures"][0]["id"]
    assert {f["measure_id"] for f in page["figures"] if f["measure"]} == {measure_id}
    assert {f["measure_id"] for f in page["figures"] if not f["measure"]} == {None}
    assert any(f.startswith("padlock lost: design") for f in figures)
    pupils = sum(REGISTER[urn].pupils or 0 for urn in [*TAKING_PART, SUPPORTED])
    assert figures["cost (pence)"]["value"] == cost
    assert figures["cost per pupil (pence)"]["value"] == round(cost / pupils)
    assert figures["impact per £1,000 per pupil"]["value"] == pytest.approx(
        expected.hedges_g / (cost / pupils / 100_000)
    )
    assert all(f["method"] for f in page["figures"] if f["figure"] != "note")

    sheet = await world.api.get(f"/programmes/{programme_id}/report.csv", headers=FINANCE)
    assert sheet.headers["content-type"].startswith("text/csv")
    lines = list(csv.DictReader(io.StringIO(sheet.text)))
    assert [line["figure"] for line in lines] == [f["figure"] for f in page["figures"]]

    plot = await world.api.get("/reports/forest-plot.png", headers=EVALUATOR)
    assert plot.headers["content-type"] == "image/png"
    assert plot.content.startswith(b"\x89PNG") and len(plot.content) > 5000


async def test_the_report_sheet_holds_what_an_evaluator_typed_as_text_a_spreadsheet_will_not_run(
    world: EvaluationWorld,
) -> None:
    programme = await create_programme(
        world,
        starts_on=date(2025, 9, 1),
        links=[{"kind": "service", "target_id": str(uuid4())}],
        title="=1+1",
    )
    await declare_measure(world, programme["id"], "-2 SD attainment gap")

    sheet = await world.api.get(f"/programmes/{programme['id']}/report.csv", headers=FINANCE)

    lines = list(csv.DictReader(io.StringIO(sheet.text)))
    assert {line["programme"] for line in lines} == {"'=1+1"}
    assert "'-2 SD attainment gap" in {line["measure"] for line in lines}
    counted = {line["figure"]: line["value"] for line in lines}
    assert counted["participating schools"] == "0"  # a figure stays a figure


async def test_a_school_sees_its_own_results_and_another_schools_are_not_found(
    world: EvaluationWorld,
) -> None:
    programme_id, _ = await programme_with_participants(world)
    measure = await declare_measure(world, programme_id, "Attendance")
    url = f"/programmes/{programme_id}/measures/{measure['id']}/results"
    await world.api.post(
        url,
        json={
            "schools": [
                {"urn": 117083, "stage": "baseline", "value": 94.1},
                {"urn": 117084, "stage": "baseline", "value": 95.3},
            ]
        },
        headers=EVALUATOR,
    )
    abbots_langley = auth(Role.SCHOOL, 117083)

    own = await world.api.get(url, headers=abbots_langley)
    other = await world.api.get(url, params={"urn": 117084}, headers=abbots_langley)
    report = await world.api.get(f"/programmes/{programme_id}/report", headers=abbots_langley)

    assert own.status_code == 200
    assert [row["urn"] for row in own.json()["schools"]] == [117083]
    assert other.status_code == 404
    assert report.status_code == 403


async def test_two_results_for_the_same_group_and_stage_are_refused_and_nothing_is_stored(
    world: EvaluationWorld,
) -> None:
    programme = await create_programme(
        world, starts_on=date(2025, 9, 1), links=[{"kind": "service", "target_id": str(uuid4())}]
    )
    measure = await declare_measure(world, programme["id"], "KS2 reading scaled score")
    url = f"/programmes/{programme['id']}/measures/{measure['id']}/results"
    baseline = {"group": "participant", "stage": "baseline", "sd": 6.1, "n": 120}

    twice = await world.api.post(
        url,
        json={"groups": [{**baseline, "mean": 101.2}, {**baseline, "mean": 99.0}]},
        headers=EVALUATOR,
    )
    uploaded = await world.api.post(
        f"{url}.csv",
        content=(
            "group,stage,mean,sd,n\n"
            "participant,baseline,101.2,6.1,120\n"
            "comparison,baseline,100.4,6.0,118\n"
            "participant,baseline,99.0,6.1,120\n"
        ),
        headers={**EVALUATOR, "content-type": "text/csv"},
    )

    assert twice.status_code == 422, twice.text
    assert twice.json()["field"] == "groups"
    assert "the participant group at baseline" in twice.json()["detail"]
    assert uploaded.status_code == 422, uploaded.text
    (problem,) = uploaded.json()["errors"]
    assert problem["line"] == 4
    assert "first is on line 2" in problem["message"]
    stored = (await world.api.get(url, headers=EVALUATOR)).json()
    assert stored == {"schools": [], "groups": []}


async def test_a_standard_deviation_too_small_to_divide_by_is_refused_and_nothing_is_stored(
    world: EvaluationWorld,
) -> None:
    programme = await create_programme(
        world, starts_on=date(2025, 9, 1), links=[{"kind": "service", "target_id": str(uuid4())}]
    )
    measure = await declare_measure(world, programme["id"], "KS2 reading scaled score")
    url = f"/programmes/{programme['id']}/measures/{measure['id']}/results"

    sent = await world.api.post(
        url,
        json={
            "groups": [
                {"group": "participant", "stage": "baseline", "mean": 101.2, "sd": 1e-160, "n": 120}
            ]
        },
        headers=EVALUATOR,
    )
    uploaded = await world.api.post(
        f"{url}.csv",
        content="group,stage,mean,sd,n\nparticipant,baseline,101.2,0,120\n",
        headers={**EVALUATOR, "content-type": "text/csv"},
    )

    assert sent.status_code == 422, sent.text
    assert sent.json()["field"] == "groups.0.sd"
    assert uploaded.status_code == 422, uploaded.text
    (problem,) = uploaded.json()["errors"]
    assert problem["line"] == 2
    assert problem["message"].startswith("a standard deviation must be at least 0.000000001")
    stored = (await world.api.get(url, headers=EVALUATOR)).json()
    assert stored == {"schools": [], "groups": []}


async def test_a_stored_spread_too_small_to_divide_by_breaks_neither_report_nor_forest_plot(
    world: EvaluationWorld,
) -> None:
    programme_id, _ = await programme_with_participants(world)
    chosen = await world.api.put(
        f"/programmes/{programme_id}/comparison", json={"urns": CANDIDATES[:2]}, headers=EVALUATOR
    )
    assert chosen.status_code == 200, chosen.text
    summaries = [
        ("participant", "baseline", 103.1),
        ("participant", "outcome", 106.0),
        ("comparison", "baseline", 103.4),
        ("comparison", "outcome", 104.9),
    ]
    reading = await declare_measure(world, programme_id, "KS2 reading")
    recorded = await world.api.post(
        f"/programmes/{programme_id}/measures/{reading['id']}/results",
        json={
            "groups": [
                {"group": g, "stage": s, "mean": mean, "sd": 6.4, "n": 118}
                for g, s, mean in summaries
            ]
        },
        headers=EVALUATOR,
    )
    assert recorded.status_code == 200, recorded.text
    maths = await declare_measure(world, programme_id, "KS2 maths")
    async with world.service.unit_of_work() as uow:  # kept before an SD had a least value
        await uow.session.execute(
            insert(group_results),
            [
                {"measure_id": UUID(maths["id"]), "group": g, "stage": s, "mean": mean}
                | {"sd": 1e-160, "n": 118}
                for g, s, mean in summaries
            ],
        )
        await uow.commit()

    report = await world.api.get(f"/programmes/{programme_id}/report", headers=EVALUATOR)
    sheet = await world.api.get(f"/programmes/{programme_id}/report.csv", headers=EVALUATOR)
    plot = await world.api.get("/reports/forest-plot.png", headers=EVALUATOR)
    stored = await world.api.get(
        f"/programmes/{programme_id}/measures/{maths['id']}/results", headers=EVALUATOR
    )

    assert report.status_code == 200, report.text
    by_measure: dict[str, dict[str, Any]] = {}
    for figure in report.json()["figures"]:
        by_measure.setdefault(figure["measure"], {})[figure["figure"]] = figure["value"]
    assert by_measure["KS2 maths"]["note"] == NOT_COMPUTABLE
    assert "Hedges' g" not in by_measure["KS2 maths"]
    assert by_measure["KS2 reading"]["Hedges' g"] == pytest.approx(1.4 / 6.4 * (1 - 3 / 935))
    assert sheet.status_code == 200, sheet.text
    assert plot.status_code == 200, plot.text
    assert plot.content.startswith(b"\x89PNG")
    assert stored.status_code == 200, stored.text
    assert {group["sd"] for group in stored.json()["groups"]} == {1e-160}


async def test_a_csv_row_with_a_urn_past_64_bits_is_refused_by_line(world: EvaluationWorld) -> None:
    programme_id, _ = await programme_with_participants(world)
    measure = await declare_measure(world, programme_id, "Attendance")
    url = f"/programmes/{programme_id}/measures/{measure['id']}/results.csv"

    refused = await world.api.post(
        url,
        content=f"urn,stage,value,pupils\n117083,baseline,94.1,415\n{2**63},baseline,95.3,{2**64}\n",
        headers={**EVALUATOR, "content-type": "text/csv"},
    )

    assert refused.status_code == 422, refused.text
    assert [(e["line"], e["message"].split(" ")[:3]) for e in refused.json()["errors"]] == [
        (3, ["a", "URN", "has"])
    ]


async def test_each_school_on_a_trust_s_order_takes_part_in_what_was_bought_for_it(
    world: EvaluationWorld,
) -> None:
    service_id, first, second = uuid4(), TAKING_PART[0], TAKING_PART[1]
    await world.register(first, second)

    async def registered() -> bool:  # the register comes long before any order
        return await world.registered_schools() == 2

    await eventually(registered)
    lines = tuple(order_line(service_id).model_copy(update={"urn": urn}) for urn in (first, second))
    await world.publish(
        InvoiceRaisedV1(
            **world.school_fields(first),
            trust_code="4209",
            trust_name="Herts Learning Trust",
            strand=Strand.TRADED,
            net_pence=sum(line.net_pence for line in lines),
            vat_pence=sum(line.vat_pence for line in lines),
            gross_pence=sum(line.gross_pence for line in lines),
            financial_year="2025-26",
            invoice_id=uuid4(),
            invoice_number="INV-TRUST",
            order_id=uuid4(),
            purchase_order="MAT-1",
            issued_on=date(2025, 9, 1),
            due_on=date(2025, 10, 1),
            lines=lines,
        )
    )

    async def both_take_part() -> dict[int, str]:
        listed = await world.api.get(
            "/participants", params={"service_id": str(service_id)}, headers=EVALUATOR
        )
        found = {p["urn"]: p["school_name"] for p in listed.json()}
        return found if len(found) == 2 else {}

    names = await eventually(both_take_part)
    assert names == {first: REGISTER[first].name, second: REGISTER[second].name}


async def test_a_comparison_school_that_takes_part_since_is_left_out_of_the_comparison(
    world: EvaluationWorld,
) -> None:
    programme_id, service_id = await programme_with_participants(world)
    chosen = CANDIDATES[:3]
    response = await world.api.put(
        f"/programmes/{programme_id}/comparison", json={"urns": chosen}, headers=EVALUATOR
    )
    assert response.status_code == 200, response.text
    await world.order(chosen[2], service_id)  # it buys the linked service afterwards

    async def it_takes_part() -> dict[str, Any]:
        found = (await world.api.get(f"/programmes/{programme_id}/report", headers=FINANCE)).json()
        return found if chosen[2] in {p["urn"] for p in found["participants"]} else {}

    report = await eventually(it_takes_part)

    figures = {f["figure"]: f for f in report["figures"]}
    assert figures["participating schools"]["value"] == len(TAKING_PART) + 2
    assert figures["comparison schools"]["value"] == 2
    assert figures["comparison schools left out"]["value"] == 1
    assert figures["comparison schools left out"]["method"] == (
        f"1 comparison school left out: it took part since ({chosen[2]}), "
        "so counted as taking part only"
    )
    assert report["comparison_urns"] == sorted(chosen[:2])
    assert report["comparison_left_out"] == [chosen[2]]
    shown = (await world.api.get(f"/programmes/{programme_id}", headers=FINANCE)).json()
    (listed,) = (await world.api.get("/programmes", headers=FINANCE)).json()
    for programme in (shown, listed):
        assert programme["comparison_urns"] == report["comparison_urns"]
        assert programme["comparison_left_out"] == report["comparison_left_out"]


async def test_a_second_measure_of_the_same_name_is_refused_naming_the_name(
    world: EvaluationWorld,
) -> None:
    programme_id, _ = await programme_with_participants(world)
    first = await declare_measure(world, programme_id, "KS2 reading")

    again = await world.api.post(
        f"/programmes/{programme_id}/measures", json={"name": "ks2 reading "}, headers=EVALUATOR
    )

    assert again.status_code == 409
    assert again.json()["field"] == "name"
    listed = await world.api.get(f"/programmes/{programme_id}/measures", headers=EVALUATOR)
    assert [m["id"] for m in listed.json()] == [first["id"]]


async def test_a_programme_is_dated_by_the_service_s_clock(world: EvaluationWorld) -> None:
    """It took the machine's day: the day before in England from midnight to 1 a.m. in
    summer on a UTC machine, and never a day a demonstration set."""
    world.service.clock.set(date(2027, 4, 1))
    created = await create_programme(
        world, starts_on=date(2027, 9, 1), links=[{"kind": "service", "target_id": str(uuid4())}]
    )
    async with world.service.unit_of_work() as uow:
        programme = await uow.programmes.get(UUID(created["id"]))
    assert programme.created_on == date(2027, 4, 1)


async def test_a_report_before_any_outcome_says_why_its_size_cannot_be_judged_not_inf(
    world: EvaluationWorld,
) -> None:
    """Baselines recorded for both groups, no outcome yet: no school's outcome entered the
    analysis, so the trial's minimum detectable effect is unbounded, and the report said
    'minimum detectable effect inf' to the evaluator."""
    programme_id, matches, measure = await matched_with_a_measure(world)
    schools = [m[group] for m in matches for group in ("participant", "comparison")]
    rows = [
        {"urn": urn, "stage": "baseline", "value": 100.0 + i, "pupils": 30}
        for i, urn in enumerate(schools)
    ]
    recorded = await world.api.post(
        f"/programmes/{programme_id}/measures/{measure['id']}/results",
        json={"schools": rows},
        headers=EVALUATOR,
    )
    assert recorded.json() == {"stored": len(rows)}

    page = (await world.api.get(f"/programmes/{programme_id}/report", headers=EVALUATOR)).json()

    figures = {f["figure"]: f for f in page["figures"]}
    size = figures["padlock lost: size"]
    assert size["value"] == 0
    assert size["method"] == "no school's outcome in one group or both: the trial's size is unknown"
    assert not [f for f in page["figures"] if "inf" in str(f["value"]) + f["method"]]
    report_csv = await world.api.get(f"/programmes/{programme_id}/report.csv", headers=EVALUATOR)
    assert " inf" not in report_csv.text


async def test_what_was_bought_or_spent_before_a_programme_started_is_not_part_of_it(
    world: EvaluationWorld,
) -> None:
    """Only a programme's end bounded it: a programme starting on 2 September counted the
    schools invoiced on the 1st as taking part, and their invoices as its cost."""
    service_id, case_id = uuid4(), uuid4()
    await world.register(*TAKING_PART, SUPPORTED)
    for urn in TAKING_PART:
        await world.order(urn, service_id)  # invoiced and its income posted on 1 September
    await world.deploy(SUPPORTED, case_id=case_id, provider_id=uuid4())  # on 1 October
    links = [
        {"kind": "service", "target_id": str(service_id)},
        {"kind": "case", "target_id": str(case_id)},
    ]
    from_the_1st = await create_programme(world, starts_on=date(2025, 9, 1), links=links)
    from_the_2nd = await create_programme(world, starts_on=date(2025, 9, 2), links=links)

    async def report_of(programme: dict[str, Any]) -> dict[str, Any]:
        path = f"/programmes/{programme['id']}/report"
        return dict((await world.api.get(path, headers=FINANCE)).json())

    def cost_of(report: dict[str, Any]) -> Any:
        return next(f["value"] for f in report["figures"] if f["figure"] == "cost (pence)")

    async def all_arrived() -> bool:
        report = await report_of(from_the_1st)
        return bool(
            report["participating_schools"] == len(TAKING_PART) + 1
            and cost_of(report) == len(TAKING_PART) * 59_500
        )

    await eventually(all_arrived)
    later = await report_of(from_the_2nd)
    assert [p["urn"] for p in later["participants"]] == [SUPPORTED]
    assert cost_of(later) == 0
