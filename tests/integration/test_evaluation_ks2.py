"""The DfE's Key Stage 2 file imported as published, through the evaluation API: its figures
read back as the file gives them, and a bad file refused with each bad row named."""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator, Iterable
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import insert, update

from services.evaluation.adapters.tables import outcome_matches, tracked_measures
from services.seed.ks2_evaluation import KS2_FILE
from shared.auth import Role
from shared.limits import MAX_REQUEST_BYTES
from tests.support.databases import DatabaseFactory
from tests.support.evaluation_world import EvaluationWorld, evaluation_world
from tests.support.platform import auth, eventually
from tests.support.portal_pages import signed_in_where_only, text_of

EVALUATOR = auth(Role.EVALUATOR)
KS2_HEADER = "RECTYPE,URN,PTRWM_EXP,TELIG"
MEGABYTE = 1 << 20
KS2_TEXT = KS2_FILE.read_text()
# Abbots Langley School: every figure published; Thundridge CofE Primary: 2025 suppressed
# (a cohort of four), 2023 published; Gaddesden Row JMI: suppressed in 2025 and 2023.
NAMED_SCHOOLS = (117083, 117408, 117101)
COLUMNS = {
    ("ks2-rwm-expected", 2025): ("PTRWM_EXP", "TELIG"),
    ("ks2-rwm-expected", 2024): ("PTRWM_EXP_24", "TELIG_24"),
    ("ks2-rwm-expected", 2023): ("PTRWM_EXP_23", "TELIG_23"),
    ("ks2-reading-score", 2025): ("READ_AVERAGE", "TELIG"),
    ("ks2-reading-score", 2023): ("READ_AVERAGE_23", "TELIG_23"),
    ("ks2-maths-score", 2025): ("MAT_AVERAGE", "TELIG"),
    ("ks2-maths-score", 2024): ("MAT_AVERAGE_24", "TELIG_24"),
    ("ks2-disadvantaged", 2023): ("PTFSM6CLA1A_23", "TELIG_23"),
}

MEASURE_COLUMNS = ("PTRWM_EXP", "READ_AVERAGE", "MAT_AVERAGE", "PTFSM6CLA1A")
SUFFIXES = ("", "_24", "_23")


@pytest.fixture
async def world(databases: DatabaseFactory, nats_url: str) -> AsyncIterator[EvaluationWorld]:
    async with evaluation_world(databases, nats_url) as running:
        yield running


def rows_of_the_file() -> dict[int, dict[str, str]]:
    """The file read with nothing but the csv module: short rows leave fields unset."""
    reader = csv.DictReader(KS2_TEXT.splitlines())
    return {int(row["URN"]): row for row in reader if row["URN"]}


async def test_the_published_file_imports_and_three_named_schools_read_back_as_it_gives_them(
    world: EvaluationWorld,
) -> None:
    imported = await world.api.post(
        "/published-results/ks2",
        params={"year": 2025},
        content=KS2_TEXT,
        headers={**EVALUATOR, "Content-Type": "text/csv"},
    )
    assert imported.status_code == 200, imported.text
    in_file = rows_of_the_file()
    with_figures = [
        urn
        for urn, row in in_file.items()
        if any(row.get(f"{name}{suffix}") for name in MEASURE_COLUMNS for suffix in SUFFIXES)
    ]
    assert imported.json()["schools"] == len(with_figures)

    for urn in NAMED_SCHOOLS:
        answer = await world.api.get("/published-results", params={"urn": urn}, headers=EVALUATOR)
        stored = {(r["measure"], r["year"]): r for r in answer.json()}
        row = in_file[urn]
        for key, (column, cohort) in COLUMNS.items():
            published = row.get(column) or ""
            result = stored.get(key)
            if published == "":
                assert result is None, (urn, column)
            elif published == "SUPP":
                assert result is not None
                assert (result["value"], result["marker"]) == (None, "SUPP"), (urn, column)
            else:
                assert result is not None
                assert result["value"] == float(published.rstrip("%")), (urn, column)
                assert result["cohort"] == int(row[cohort]), (urn, cohort)
    # the file, as printed: Abbots Langley 56% in 2025 from 62% in 2023, 59 pupils in 2025
    abbots = await world.api.get("/published-results", params={"urn": 117083}, headers=EVALUATOR)
    figures = {(r["measure"], r["year"]): (r["value"], r["cohort"]) for r in abbots.json()}
    assert figures["ks2-rwm-expected", 2025] == (56, 59)
    assert figures["ks2-rwm-expected", 2023] == (62, 60)


async def test_a_bad_file_is_refused_naming_each_bad_row_and_nothing_is_stored(
    world: EvaluationWorld,
) -> None:
    lines = KS2_TEXT.splitlines()
    header = lines[0].split(",")
    urn, rwm = header.index("URN"), header.index("PTRWM_EXP")
    fourth, ninth = lines[3].split(","), lines[8].split(",")
    fourth[rwm] = "lots"
    ninth[urn] = "X1"
    lines[3], lines[8] = ",".join(fourth), ",".join(ninth)

    refused = await world.api.post(
        "/published-results/ks2",
        params={"year": 2025},
        content="\n".join(lines),
        headers={**EVALUATOR, "Content-Type": "text/csv"},
    )

    assert refused.status_code == 422
    problems = refused.json()["errors"]
    assert [p["line"] for p in problems] == [4, 9]
    assert "PTRWM_EXP: 'lots'" in problems[0]["message"]
    assert "'X1'" in problems[1]["message"]
    good = int(lines[1].split(",")[urn])
    answer = await world.api.get("/published-results", params={"urn": good}, headers=EVALUATOR)
    assert answer.json() == []


async def test_a_urn_or_cohort_no_integer_column_holds_is_a_bad_row_not_a_server_error(
    world: EvaluationWorld,
) -> None:
    text = (
        "RECTYPE,URN,PTRWM_EXP,TELIG\n"
        "1,\u00b2,60%,30\n"  # a digit to str.isdigit, not to int
        "1,99999999999999999999,60%,30\n"
        "1,99999999999,60%,30\n"  # fits SQLite's integer, not PostgreSQL's
        "1,117083,60%,99999999999\n"
        "1,117084,60%,30\n"
    )

    refused = await world.api.post(
        "/published-results/ks2",
        params={"year": 2025},
        content=text,
        headers={**EVALUATOR, "Content-Type": "text/csv"},
    )

    assert refused.status_code == 422
    problems = refused.json()["errors"]
    assert [p["line"] for p in problems] == [2, 3, 4, 5]
    assert [p["message"].split(":")[0] for p in problems] == ["URN", "URN", "URN", "TELIG"]
    answer = await world.api.get("/published-results", params={"urn": 117084}, headers=EVALUATOR)
    assert answer.json() == []


async def test_a_school_on_two_rows_is_refused_naming_both_lines_and_nothing_is_stored(
    world: EvaluationWorld,
) -> None:
    text = "RECTYPE,URN,PTRWM_EXP,TELIG\n1,117084,60%,30\n1,117083,60%,30\n1,117083,61%,30\n"

    refused = await world.api.post(
        "/published-results/ks2",
        params={"year": 2025},
        content=text,
        headers={**EVALUATOR, "Content-Type": "text/csv"},
    )

    assert refused.status_code == 422, refused.text
    problems = refused.json()["errors"]
    assert [(p["line"], p["message"]) for p in problems] == [(4, "URN: 117083 is on line 3 too")]
    answer = await world.api.get("/published-results", params={"urn": 117084}, headers=EVALUATOR)
    assert answer.json() == []


class PastTheBound:
    """A body a few megabytes past the bound, counting how many of them were asked for."""

    def __init__(self) -> None:
        self.sent = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield f"{KS2_HEADER}\n".encode()
        while self.sent <= MAX_REQUEST_BYTES // MEGABYTE + 4:
            self.sent += 1
            yield b"1,117083,60%,30\n" * (MEGABYTE // 16)


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "chunked"])
async def test_a_body_past_the_bound_is_refused_before_it_is_read_whole(
    world: EvaluationWorld, declared: bool
) -> None:
    body = PastTheBound()
    length = {"Content-Length": str(MAX_REQUEST_BYTES + 1)} if declared else {}

    refused = await world.api.post(
        "/published-results/ks2",
        params={"year": 2025},
        content=aiter(body),
        headers={**EVALUATOR, "Content-Type": "text/csv", **length},
    )

    assert refused.status_code == 413, refused.text
    assert refused.json()["field"] == "body"
    assert body.sent <= (0 if declared else MAX_REQUEST_BYTES // MEGABYTE + 1)
    answer = await world.api.get("/published-results", params={"urn": 117083}, headers=EVALUATOR)
    assert answer.json() == []


async def test_a_year_outside_the_files_range_or_a_non_evaluator_is_refused(
    world: EvaluationWorld,
) -> None:
    wrong_year = await world.api.post(
        "/published-results/ks2",
        params={"year": 1999},
        content=KS2_TEXT,
        headers={**EVALUATOR, "Content-Type": "text/csv"},
    )
    school = await world.api.post(
        "/published-results/ks2",
        params={"year": 2025},
        content=KS2_TEXT,
        headers={**auth(Role.SCHOOL, urn=117083), "Content-Type": "text/csv"},
    )

    assert wrong_year.status_code == 422
    assert "year" in wrong_year.text
    assert school.status_code == 403


# real Hertfordshire primaries: four take part, twenty could be compared with them
TAKING_PART = (117096, 117110, 117182, 117214)
CANDIDATES = (
    117083, 117084, 117099, 117105, 117109, 117156, 117158, 117162, 117166, 117180,
    117193, 117200, 117217, 117219, 117220, 117231, 117236, 117259, 117263, 117270,
)  # fmt: skip


async def programme_taken_up(
    world: EvaluationWorld, taking_part: tuple[int, ...], others: tuple[int, ...]
) -> str:
    """A programme linked to a service the schools `taking_part` order, once evaluation has
    them as its participants and every school (`others` too) registered; its id."""
    service_id = uuid4()
    await world.register(*taking_part, *others)
    for urn in taking_part:
        await world.order(urn, service_id)
    created = await world.api.post(
        "/programmes",
        json={
            "title": "Writing moderation support",
            "starts_on": "2023-09-01",
            "links": [{"kind": "service", "target_id": str(service_id)}],
        },
        headers=EVALUATOR,
    )
    programme_id: str = created.json()["id"]

    async def everyone_recorded() -> bool:
        found = await world.api.get(f"/programmes/{programme_id}", headers=EVALUATOR)
        recorded = {p["urn"] for p in found.json()["participants"]}
        registered = await world.registered_schools()
        return recorded == set(taking_part) and registered == len(taking_part + others)

    await eventually(everyone_recorded)
    return programme_id


async def import_ks2(world: EvaluationWorld, text: str) -> None:
    imported = await world.api.post(
        "/published-results/ks2",
        params={"year": 2025},
        content=text,
        headers={**EVALUATOR, "Content-Type": "text/csv"},
    )
    assert imported.status_code == 200, imported.text


async def tracked_from_2023(world: EvaluationWorld, programme_id: str) -> None:
    """Reading, writing and maths tracked from 2023 to 2025."""
    rwm = {"measure": "ks2-rwm-expected", "baseline_year": 2023, "outcome_year": 2025}
    tracked = await world.api.put(
        f"/programmes/{programme_id}/tracked-measures",
        json={"measures": [rwm]},
        headers=EVALUATOR,
    )
    assert tracked.status_code == 200, tracked.text


async def compared_and_tracked_from_2023(
    world: EvaluationWorld,
    programme_id: str,
    compared: tuple[int, ...],
    results: Iterable[tuple[int, object, object, object]],
) -> None:
    """The schools `compared` chosen by hand as the comparison group, KS2 `results` imported (a
    school's URN, 2023 result, 2025 result and 2025 cohort), and reading, writing and maths
    tracked from 2023 to 2025."""
    chosen = await world.api.put(
        f"/programmes/{programme_id}/comparison", json={"urns": list(compared)}, headers=EVALUATOR
    )
    assert chosen.status_code == 200, chosen.text
    await import_ks2(
        world,
        "URN,PTRWM_EXP_23,TELIG_23,PTRWM_EXP,TELIG\n"
        + "".join(f"{urn},{before},30,{after},{telig}\n" for urn, before, after, telig in results),
    )
    await tracked_from_2023(world, programme_id)


async def tracked_and_matched_from_2023(
    world: EvaluationWorld, programme_id: str
) -> list[dict[str, Any]]:
    """Reading, writing and maths tracked from 2023 to 2025, and the comparison schools matched
    on 2023's results: the pairs matched."""
    await tracked_from_2023(world, programme_id)
    matched = await world.api.put(
        f"/programmes/{programme_id}/comparison/outcome-matched",
        json={"baseline_year": 2023, "per_participant": 2},
        headers=EVALUATOR,
    )
    assert matched.status_code == 200, matched.text
    return matched.json()  # type: ignore[no-any-return]


async def test_a_programme_tracks_ks2_measures_matches_on_them_and_reports_the_difference(
    world: EvaluationWorld,
) -> None:
    programme_id = await programme_taken_up(world, TAKING_PART, CANDIDATES)
    await import_ks2(world, KS2_TEXT)
    backwards = await world.api.put(
        f"/programmes/{programme_id}/tracked-measures",
        json={
            "measures": [
                {"measure": "ks2-rwm-expected", "baseline_year": 2025, "outcome_year": 2023}
            ]
        },
        headers=EVALUATOR,
    )
    assert backwards.status_code == 422
    assert backwards.json()["field"] == "outcome_year"

    pairs = await tracked_and_matched_from_2023(world, programme_id)

    assert len(pairs) == 2 * len(TAKING_PART)
    chosen = {p["comparison"] for p in pairs}
    assert len(chosen) == len(pairs) and chosen <= set(CANDIDATES)
    programme = (await world.api.get(f"/programmes/{programme_id}", headers=EVALUATOR)).json()
    assert programme["design"] == "matched"
    assert programme["readiness"]["can_show_impact"] is True
    report = (await world.api.get(f"/programmes/{programme_id}/report", headers=EVALUATOR)).json()
    (rwm,) = report["published_outcomes"]["measures"]
    assert [g["usable"] for g in rwm["groups"]] == [len(TAKING_PART), len(chosen)]
    assert rwm["difference_in_differences"]["standard_error"] > 0
    assert rwm["standardised_by"] == "schools" and rwm["months_progress"] is None
    report_csv = await world.api.get(f"/programmes/{programme_id}/report.csv", headers=EVALUATOR)
    assert "difference-in-differences" in report_csv.text


async def test_results_whose_gains_barely_differ_report_what_cannot_be_calculated_not_a_500(
    world: EvaluationWorld,
) -> None:
    taking_part, compared = TAKING_PART[:2], CANDIDATES[:2]
    programme_id = await programme_taken_up(world, taking_part, compared)
    # the participants' gains differ by 2e-160 points and the comparison schools' not at all:
    # the standardised difference overflows, the difference-in-differences does not
    figures = {taking_part[0]: ("0", "1e-160"), taking_part[1]: ("0", "3e-160")}
    figures |= {urn: ("50", "55") for urn in compared}
    results = [(urn, before, after, "30") for urn, (before, after) in figures.items()]
    await compared_and_tracked_from_2023(world, programme_id, compared, results)

    answer = await world.api.get(f"/programmes/{programme_id}/report", headers=EVALUATOR)

    assert answer.status_code == 200, answer.text
    (rwm,) = answer.json()["published_outcomes"]["measures"]
    assert rwm["difference_in_differences"]["estimate"] == pytest.approx(-5)
    assert rwm["hedges_g"] is None
    assert rwm["notes"] == [
        "no standardised effect: cannot be calculated: a number in the working is too large to "
        "hold (the schools' gains may show almost no spread)"
    ]
    for page in (f"/programmes/{programme_id}/report.csv", "/reports/forest-plot.png"):
        assert (await world.api.get(page, headers=EVALUATOR)).status_code == 200, page


async def test_a_school_with_both_years_but_no_cohort_size_is_reported_as_such_not_unpublished(
    world: EvaluationWorld,
) -> None:
    """The third participant's row has both years' results and an empty TELIG: it was
    published, so the report must not count it "not published"; the estimate weights each
    school by its cohort, so it is left out, and the report says so. By hand, participants
    (cohorts 30 and 10) gain 10 and 6: (300 + 60)/40 = 9; comparison schools (30 each) gain 2
    and 3: 2.5; the difference-in-differences is 9 − 2.5 = 6.5, the third school's 20 not in it."""
    taking_part, compared = TAKING_PART[:3], CANDIDATES[:2]
    programme_id = await programme_taken_up(world, taking_part, compared)
    rows = [(taking_part[0], 50, 60, "30"), (taking_part[1], 40, 46, "10")]
    rows += [(taking_part[2], 45, 65, ""), (compared[0], 50, 52, "30"), (compared[1], 45, 48, "30")]
    await compared_and_tracked_from_2023(world, programme_id, compared, rows)

    report = (await world.api.get(f"/programmes/{programme_id}/report", headers=EVALUATOR)).json()

    (measure,) = report["published_outcomes"]["measures"]
    participants = measure["groups"][0]
    assert (participants["usable"], participants["not_published"]) == (2, 0)
    assert participants["no_cohort_size"] == 1
    assert measure["difference_in_differences"]["estimate"] == pytest.approx(6.5)
    note = (
        "1 participant school with both years' results has no cohort size published for 2025: "
        "left out of the estimate, which weights each school by its cohort"
    )
    assert note in measure["notes"]
    page = await evaluators_page(world, f"/programmes/{programme_id}/report")
    assert "No cohort size published" in page and note in page
    report_csv = await world.api.get(f"/programmes/{programme_id}/report.csv", headers=EVALUATOR)
    assert "participant schools with no cohort size published,1," in report_csv.text


async def test_a_tracked_measure_is_not_ready_while_only_one_participant_has_its_baseline(
    world: EvaluationWorld,
) -> None:
    """Of the two schools taking part only the first has a 2023 result; both comparison
    schools have one. The estimate needs two schools of each group with both years' results:
    the programme cannot show impact, and says which group lacks its baseline."""
    taking_part, compared = TAKING_PART[:2], CANDIDATES[:2]
    programme_id = await programme_taken_up(world, taking_part, compared)
    rows = [(taking_part[0], "50"), (taking_part[1], ""), (compared[0], "52"), (compared[1], "48")]
    results = [(urn, before, "55", "30") for urn, before in rows]
    await compared_and_tracked_from_2023(world, programme_id, compared, results)

    programme = (await world.api.get(f"/programmes/{programme_id}", headers=EVALUATOR)).json()

    assert programme["readiness"]["can_show_impact"] is False
    assert programme["readiness"]["reasons"] == [
        "measure 'reading, writing and maths at the expected standard, %' has no "
        "2023 results for the schools taking part (two schools' own results at least)"
    ]


async def test_a_baseline_from_a_school_year_the_programme_ran_in_or_an_outcome_before_is_refused(
    world: EvaluationWorld,
) -> None:
    """The programme starts on 1 September 2023: 2024's results are of the school year to
    31 August 2024, the programme's first, so they are partly its effect and no baseline; 2023's
    came before it, so they are no outcome of it."""
    programme_id = await programme_taken_up(world, TAKING_PART, CANDIDATES)
    await import_ks2(world, KS2_TEXT)
    tracking = f"/programmes/{programme_id}/tracked-measures"

    async def track(baseline: int, outcome: int) -> dict[str, str]:
        measure = {"measure": "ks2-rwm-expected", "baseline_year": baseline}
        body = {"measures": [{**measure, "outcome_year": outcome}]}
        answer = await world.api.put(tracking, json=body, headers=EVALUATOR)
        assert answer.status_code == 422, answer.text
        return answer.json()  # type: ignore[no-any-return]

    late_baseline = await track(2024, 2025)
    early_outcome = await track(2022, 2023)
    matched = await world.api.put(
        f"/programmes/{programme_id}/comparison/outcome-matched",
        json={"baseline_year": 2024, "per_participant": 2},
        headers=EVALUATOR,
    )

    assert late_baseline["field"] == "baseline_year"
    assert "2023 or earlier" in late_baseline["detail"]
    assert early_outcome["field"] == "outcome_year"
    assert (matched.status_code, matched.json()["field"]) == (422, "baseline_year")
    report = (await world.api.get(f"/programmes/{programme_id}/report", headers=EVALUATOR)).json()
    assert report["published_outcomes"] is None  # nothing tracked
    programme = (await world.api.get(f"/programmes/{programme_id}", headers=EVALUATOR)).json()
    assert programme["design"] == "none"  # no comparison chosen on the programme's own year


async def test_a_baseline_tracked_before_such_years_were_refused_is_set_aside_and_said_so(
    world: EvaluationWorld,
) -> None:
    """Maths was tracked from 2024, the programme's own first school year, before that was
    refused: its schools' means still show, but it gives no estimate, effect size or padlock,
    and the report says at its head how many measures were set aside and why. Reading,
    writing and maths from 2023 is judged as before. The comparison, matched on 2024 results
    before that was refused too, is flagged."""
    programme_id = await programme_taken_up(world, TAKING_PART, CANDIDATES)
    await import_ks2(world, KS2_TEXT)
    await tracked_and_matched_from_2023(world, programme_id)
    async with world.service.sessions() as session:  # as stored before the rule
        await session.execute(
            insert(tracked_measures).values(
                programme_id=UUID(programme_id),
                measure="ks2-maths-score",
                baseline_year=2024,
                outcome_year=2025,
            )
        )
        await session.execute(
            update(outcome_matches)
            .where(outcome_matches.c.programme_id == UUID(programme_id))
            .values(baseline_year=2024)
        )
        await session.commit()

    report = (await world.api.get(f"/programmes/{programme_id}/report", headers=EVALUATOR)).json()

    outcomes = report["published_outcomes"]
    judged, maths = outcomes["measures"]
    assert judged["hedges_g"] is not None and judged["set_aside"] is None
    assert maths["measure"] == "ks2-maths-score"
    assert (maths["difference_in_differences"], maths["hedges_g"], maths["padlocks"]) == (
        None,
        None,
        0,
    )
    assert maths["impact_per_1000_pounds_per_pupil"] is None
    assert "the school year to 31 August 2024" in maths["set_aside"]
    assert "track it again from 2023 or earlier" in maths["set_aside"]
    assert all(g["usable"] > 0 for g in maths["groups"])  # its means are still shown
    set_aside, matched_late = outcomes["warnings"]
    usable = [g["usable"] for g in maths["groups"]]
    assert set_aside.startswith(
        "1 of 2 measures tracked is set aside from the estimates and effect sizes, and with it "
        f"the results of {usable[0]} participating and {usable[1]} comparison schools. "
        "Maths scaled score, 2024 to 2025: its baseline is from a school year the programme "
        "ran in"
    )
    assert "programme started on 1 September 2023" in set_aside
    assert matched_late.startswith("The comparison schools were matched on 2024 results")
    assert any(claim.startswith("maths scaled score") for claim in outcomes["cannot_claim"])
    assert not any(claim.startswith("maths") for claim in outcomes["can_claim"])

    report_csv = await world.api.get(f"/programmes/{programme_id}/report.csv", headers=EVALUATOR)
    assert set_aside in report_csv.text and "set aside from the estimates" in report_csv.text

    page = await evaluators_page(world, f"/programmes/{programme_id}/report")
    assert set_aside in page and matched_late in page
    assert "Maths scaled score, 2024 to 2025 Set aside" in page


async def evaluators_page(world: EvaluationWorld, path: str) -> str:
    """The words of a portal page as the evaluator reads it; only evaluation answers."""
    async with signed_in_where_only("evaluator", {"evaluation": world.api}) as client:
        answer = await client.get(path)
    assert answer.status_code == 200, answer.text
    return text_of(answer.text)
