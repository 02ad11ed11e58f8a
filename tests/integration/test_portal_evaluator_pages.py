"""The evaluator's desk in the portal against the real services (in this process, SQLite, real
NATS): programmes, comparison groups, results uploaded as CSV, the impact report with its
forest plot, and the maturity of a network. One seeded platform serves the module."""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import IO, Any
from uuid import UUID, uuid4

import httpx
import pytest
import pytest_asyncio

from services.evaluation.domain.measure import Measure
from services.portal.entrypoints.forms import MAX_POST_BYTES, MAX_UPLOAD_BYTES
from services.seed.ks2_evaluation import GRANT_TITLE, KS2_FILE, SIP_PRI_ORDERS, SIP_TITLE
from shared.auth import Role
from shared.clock import Clock
from tests.support.platform import Platform, auth, eventually
from tests.support.portal_pages import (
    assert_forbidden,
    error_summary_links,
    signed_in_portal,
    text_of,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

EVALUATOR = auth(Role.EVALUATOR)
SEEDED = "Middle leaders leading maths mastery"


@pytest_asyncio.fixture(loop_scope="module")
async def evaluator(seeded: Platform) -> AsyncIterator[httpx.AsyncClient]:
    async with signed_in_portal(seeded, "evaluator") as client:
        yield client


async def programme_titled(platform: Platform, title: str) -> dict[str, Any]:
    found = (await platform.evaluation.get("/programmes", headers=EVALUATOR)).json()
    return next(p for p in found if p["title"] == title)


async def a_new_programme(evaluator: httpx.AsyncClient, title: str) -> str:
    form = (await evaluator.get("/programmes/new")).text
    first_service = form.split('name="services" type="checkbox" value="')[1].split('"')[0]
    created = await evaluator.post(
        "/programmes/new",
        data={
            "title": title,
            "services": first_service,
            "starts_on-day": "1",
            "starts_on-month": "9",
            "starts_on-year": str(Clock().today().year),
        },
    )
    assert created.status_code == 303, created.text
    return str(created.headers["location"])


async def a_measures_upload_page(evaluator: httpx.AsyncClient, programme_url: str) -> str:
    """The upload page of a measure newly declared on the programme."""
    declared = await evaluator.post(
        f"{programme_url}/measures", data={"name": "Times tables check", "unit": "marks"}
    )
    assert declared.status_code == 303, declared.text
    page = (await evaluator.get(programme_url)).text
    return str(re.findall(rf'href="({programme_url}/measures/[^"]+/upload)"', page)[0])


async def test_the_programmes_page_lists_the_seeded_programme_and_the_forest_plot(
    evaluator: httpx.AsyncClient,
) -> None:
    page = (await evaluator.get("/programmes")).text
    assert SEEDED in text_of(page)
    assert 'src="/programmes/forest-plot.png"' in page
    for link in ('href="/programmes"', 'href="/participants"', 'href="/networks"'):
        assert link in page
    plot = await evaluator.get("/programmes/forest-plot.png")
    assert plot.status_code == 200
    assert plot.headers["content-type"] == "image/png"
    assert plot.content.startswith(b"\x89PNG")


async def test_the_participants_page_counts_each_school_once_for_each_service(
    evaluator: httpx.AsyncClient,
) -> None:
    """The seed's schools bought the package two years running: the page read "(22 schools)"
    over 22 rows for its 11 schools."""
    page = text_of((await evaluator.get("/participants")).text)
    schools = len(set(SIP_PRI_ORDERS))
    assert f"School improvement partner package (primary) ({schools} schools)" in page
    assert page.count("Shepherd Primary") == 1


async def test_a_programme_without_a_service_or_case_is_refused_naming_the_services(
    evaluator: httpx.AsyncClient,
) -> None:
    answer = await evaluator.post("/programmes/new", data={"title": "Phonics"})
    assert answer.status_code == 422
    links = error_summary_links(answer.text)
    assert links["services"] == "Select at least one service, or give a case"
    assert links["starts_on"].startswith("Enter the start date as a real date")


async def test_a_programme_is_given_its_last_day_and_one_before_its_start_is_refused_on_it(
    evaluator: httpx.AsyncClient,
) -> None:
    form = (await evaluator.get("/programmes/new")).text
    assert "End date (optional)" in text_of(form)
    first_service = form.split('name="services" type="checkbox" value="')[1].split('"')[0]
    year = Clock().today().year
    fields = {
        "title": "Maths mastery, two years",
        "services": first_service,
        "starts_on-day": "1",
        "starts_on-month": "9",
        "starts_on-year": str(year),
    }
    backwards = {**fields, "ends_on-day": "31", "ends_on-month": "8", "ends_on-year": str(year)}
    refused = await evaluator.post("/programmes/new", data=backwards)
    assert refused.status_code == 422
    assert list(error_summary_links(refused.text)) == ["ends_on"]
    ends = {**fields, "ends_on-day": "31", "ends_on-month": "8", "ends_on-year": str(year + 2)}
    created = await evaluator.post("/programmes/new", data=ends)
    assert created.status_code == 303, created.text
    page = text_of((await evaluator.get(created.headers["location"])).text)
    assert f"Programme from 1 September {year} to 31 August {year + 2}" in page


async def test_a_created_programme_gets_a_named_comparison_group(
    evaluator: httpx.AsyncClient,
) -> None:
    url = await a_new_programme(evaluator, "Early reading")
    page = text_of((await evaluator.get(url)).text)
    assert "Programme created: Early reading" in page
    assert "Cannot show impact yet" in page

    too_many = await evaluator.post(f"{url}/comparison", data={"per_participant": "9"})
    assert too_many.status_code == 422
    assert error_summary_links(too_many.text) == {
        "per_participant": "Enter the number to match as a whole number from 1 to 5"
    }
    named = await evaluator.post(f"{url}/comparison", data={"comparison_urns": "117088, 117089"})
    assert named.status_code == 303, named.text
    page = text_of((await evaluator.get(url)).text)
    assert "2 schools: URNs 117088, 117089" in page


async def test_an_upload_with_bad_rows_lists_each_by_line_and_stores_nothing(
    evaluator: httpx.AsyncClient,
) -> None:
    url = await a_new_programme(evaluator, "Maths catch-up")
    upload_url = await a_measures_upload_page(evaluator, url)

    bad = "urn,stage,value\n117083,baseline,18\n117084,midway,20\n117099,baseline,lots\n"
    refused = await evaluator.post(upload_url, files={"file": ("results.csv", bad, "text/csv")})
    assert refused.status_code == 422
    summary = text_of(refused.text.split('class="govuk-error-summary"')[1].split("</ul>")[0])
    assert "Line 3: stage: 'midway' is not valid" in summary
    assert "Line 4: value: 'lots' is not valid" in summary
    assert refused.text.count('href="#file"') == 2

    good = (
        "group,stage,mean,sd,n\nparticipant,baseline,18,4.5,30\ncomparison,baseline,17.5,4.2,31\n"
    )
    stored = await evaluator.post(upload_url, files={"file": ("results.csv", good, "text/csv")})
    assert stored.status_code == 303, stored.text
    assert "2 results stored" in text_of((await evaluator.get(url)).text)


async def test_an_upload_with_no_file_is_refused_naming_the_file(
    evaluator: httpx.AsyncClient, seeded: Platform
) -> None:
    programme = await programme_titled(seeded, SEEDED)
    measures = (
        await seeded.evaluation.get(f"/programmes/{programme['id']}/measures", headers=EVALUATOR)
    ).json()
    answer = await evaluator.post(
        f"/programmes/{programme['id']}/measures/{measures[0]['id']}/upload",
        files={"file": ("", b"", "application/octet-stream")},
    )
    assert answer.status_code == 422
    assert error_summary_links(answer.text) == {"file": "Select a CSV file"}


async def test_the_impact_report_shows_each_figure_with_its_method_padlocks_and_cost_per_pupil(
    evaluator: httpx.AsyncClient, seeded: Platform
) -> None:
    programme = await programme_titled(seeded, SEEDED)
    page = text_of((await evaluator.get(f"/programmes/{programme['id']}/report")).text)
    assert "KS2 reading scaled score" in page
    assert "of 5 padlocks" in page
    # no school has bought the linked course: the page says so, and claims no effect
    assert "Cannot show impact yet: no school takes part yet" in page
    assert "Can it show impact? not yet" in page and "Participating schools 0" in page
    assert "months' progress" not in page and "95% CI" not in page.split("Forest plot")[0]
    assert "no effect size: no school takes part yet" in page
    assert "Cost per pupil not known cost ÷ pupils reached" in page  # no cost posted yet
    csv_answer = await evaluator.get(f"/programmes/{programme['id']}/report.csv")
    assert csv_answer.status_code == 200
    assert csv_answer.text.startswith("programme,measure,figure,value,method")


def measure_sections(page: str, count: int) -> list[str]:
    return [
        text_of(page.split(f'id="measure-{n}"')[1].split("</section>")[0])
        for n in range(1, count + 1)
    ]


async def test_two_measures_of_the_same_name_each_show_their_own_figures(
    evaluator: httpx.AsyncClient, seeded: Platform
) -> None:
    url = await a_new_programme(evaluator, "Times tables pilot")
    programme_id = UUID(url.rsplit("/", 1)[-1])
    # declared before a second measure of the same name was refused: a database may hold both
    async with seeded.services["evaluation"].unit_of_work() as uow:
        for _ in range(2):
            named = Measure(uuid4(), programme_id, "Times tables check", "marks")
            await uow.measures.add(named)
        await uow.commit()
    path = f"/programmes/{programme_id}/measures"
    measures = (await seeded.evaluation.get(path, headers=EVALUATOR)).json()
    for measure, mean in zip(measures, (18.25, 42.75), strict=True):
        baseline = {"group": "participant", "stage": "baseline", "mean": mean, "sd": 4.5, "n": 30}
        stored = await seeded.evaluation.post(
            f"{path}/{measure['id']}/results", json={"groups": [baseline]}, headers=EVALUATOR
        )
        assert stored.status_code == 200, stored.text

    sections = measure_sections((await evaluator.get(f"{url}/report")).text, 2)

    assert sorted(("18.25" in s, "42.75" in s) for s in sections) == [(False, True), (True, False)]


async def a_comparison_school_took_part_since(seeded: Platform, title: str) -> str:
    """A programme of the seeded service whose comparison group, chosen before Shepherd Primary
    took part (choosing it now is refused), holds it and two schools that do not take part."""
    sip = await programme_titled(seeded, SIP_TITLE)
    created = await seeded.evaluation.post(
        "/programmes",
        json={"title": title, "starts_on": "2023-09-01", "links": sip["links"]},
        headers=EVALUATOR,
    )
    assert created.status_code == 201, created.text
    programme_id: str = created.json()["id"]
    async with seeded.services["evaluation"].unit_of_work() as uow:
        programme = await uow.programmes.get(UUID(programme_id), for_update=True)
        assert programme is not None
        chosen = (SIP_PRI_ORDERS[0], 117083, 117084)
        programme.choose_comparison(chosen, participants=set(), matched=False)
        await uow.programmes.save_comparison(programme)
        await uow.commit()
    return programme_id


async def test_the_programme_pages_count_the_comparison_group_the_report_compares(
    evaluator: httpx.AsyncClient, seeded: Platform
) -> None:
    title = "Partner visits, third look"
    programme_id = await a_comparison_school_took_part_since(seeded, title)
    report = (
        await seeded.evaluation.get(f"/programmes/{programme_id}/report", headers=EVALUATOR)
    ).json()
    assert report["comparison_urns"] == [117083, 117084]

    listing = text_of((await evaluator.get("/programmes")).text)
    page = (await evaluator.get(f"/programmes/{programme_id}")).text

    taking_part = report["participating_schools"]
    assert re.search(rf"{title} .*? {taking_part} taking part, 2 comparison", listing)
    assert "Comparison group 2 schools: URNs 117083, 117084." in text_of(page)
    left_out = text_of(page.split('id="comparison-left-out"')[1].split("</div>")[0])
    assert "Shepherd Primary (URN 117096)" in left_out


async def test_the_report_says_what_an_effect_is_over_and_which_comparison_schools_left(
    evaluator: httpx.AsyncClient, seeded: Platform
) -> None:
    programme_id = await a_comparison_school_took_part_since(seeded, "Partner visits, second look")
    measure = await seeded.evaluation.post(
        f"/programmes/{programme_id}/measures", json={"name": "KS2 reading"}, headers=EVALUATOR
    )
    summaries = [
        {"group": group, "stage": stage, "mean": mean, "sd": 6.0, "n": 300}
        for group, stage, mean in (
            ("participant", "baseline", 100.0),
            ("participant", "outcome", 104.0),
            ("comparison", "baseline", 100.5),
            ("comparison", "outcome", 102.0),
        )
    ]
    stored = await seeded.evaluation.post(
        f"/programmes/{programme_id}/measures/{measure.json()['id']}/results",
        json={"groups": summaries},
        headers=EVALUATOR,
    )
    assert stored.status_code == 200, stored.text

    page = (await evaluator.get(f"/programmes/{programme_id}/report")).text

    (section,) = measure_sections(page, 1)
    assert re.search(r"Hedges' g 0\.\d+ over pupils' spread", section)
    left_out = text_of(page.split('id="comparison-left-out"')[1].split("</div>")[0])
    assert "Shepherd Primary (URN 117096)" in left_out


async def test_each_groups_n_says_whether_it_counts_schools_or_pupils(
    evaluator: httpx.AsyncClient, seeded: Platform
) -> None:
    """The comparison group summarised from its two schools' own values (n = 2 schools), the
    participants from a reported summary of 300 pupils: "n" alone read as the same count."""
    programme_id = await a_comparison_school_took_part_since(seeded, "Partner visits, n look")
    measure = await seeded.evaluation.post(
        f"/programmes/{programme_id}/measures", json={"name": "KS2 maths"}, headers=EVALUATOR
    )
    results = {
        "schools": [
            {"urn": urn, "stage": stage, "value": value}
            for urn, stage, value in (
                (117083, "baseline", 100.0),
                (117083, "outcome", 102.0),
                (117084, "baseline", 98.0),
                (117084, "outcome", 101.0),
            )
        ],
        "groups": [
            {"group": "participant", "stage": stage, "mean": mean, "sd": 6.0, "n": 300}
            for stage, mean in (("baseline", 100.0), ("outcome", 104.0))
        ],
    }
    stored = await seeded.evaluation.post(
        f"/programmes/{programme_id}/measures/{measure.json()['id']}/results",
        json=results,
        headers=EVALUATOR,
    )
    assert stored.status_code == 200, stored.text

    (section,) = measure_sections(
        (await evaluator.get(f"/programmes/{programme_id}/report")).text, 1
    )
    csv_text = (await evaluator.get(f"/programmes/{programme_id}/report.csv")).text

    for stage in ("baseline", "outcome"):
        assert f"Participant {stage} pupils 300 pupils the reported group summary is of" in section
        assert f"Comparison {stage} schools 2 schools whose own values make the mean" in section
        assert f"KS2 maths,participant {stage} pupils,300," in csv_text
        assert f"KS2 maths,comparison {stage} schools,2," in csv_text
    assert " n " not in section and " n," not in csv_text


async def test_a_networks_maturity_shows_each_dimension_over_time(
    evaluator: httpx.AsyncClient,
) -> None:
    listing = (await evaluator.get("/networks")).text
    assert "Abbots Langley and district primaries" in listing
    network_url = listing.split('href="/networks/')[1].split('"')[0]
    page = text_of((await evaluator.get(f"/networks/{network_url}")).text)
    assert "Driver: purpose" in page
    assert "(self)" in page and "(peer)" in page
    assert "Beginning" in page and "Developing" in page
    # a first peer review after a self-assessment: not comparable, never "+0 steps"
    assert "+0 steps" not in page and "Not yet: first peer assessment" in page


@pytest.mark.parametrize("page", ["/programmes", "/networks", "/programmes/forest-plot.png"])
async def test_a_school_user_gets_the_403_page_on_the_evaluators_desk(
    seeded: Platform, page: str
) -> None:
    await assert_forbidden(seeded, "school", page)


async def test_the_ks2_report_shows_both_groups_the_difference_in_differences_and_its_limits(
    evaluator: httpx.AsyncClient, seeded: Platform
) -> None:
    programme = await programme_titled(seeded, SIP_TITLE)

    async def costed() -> bool:  # the ledger's postings of the seeded sales come over NATS
        report = await seeded.evaluation.get(
            f"/programmes/{programme['id']}/report", headers=EVALUATOR
        )
        figures = {f["figure"]: f["value"] for f in report.json()["figures"] if not f["measure"]}
        return bool(figures["cost (pence)"])

    await eventually(costed, timeout=30)
    page = text_of((await evaluator.get(f"/programmes/{programme['id']}/report")).text)

    assert "Published results (Key Stage 2)" in page
    assert "Reading, writing and maths at the expected standard, %, 2023 to 2025" in page
    assert f"Taking part {len(SIP_PRI_ORDERS) - 1} of {len(SIP_PRI_ORDERS)} 1 0" in page
    assert "Difference-in-differences" in page and "standard error" in page
    assert "95% confidence interval" in page
    assert "Hedges' g on the gains" in page
    assert re.search(r"Hedges' g on the gains -?\d\.\d\d over the spread between schools", page)
    # g over the spread of schools' gains is not on the EEF's pupil-level months scale
    assert "months' progress not converted: the effect is between schools, not pupils" in page
    assert "months' progress (indicative)" not in page
    assert "not randomised" in page
    assert "What it cannot claim" in page and "suppressed" in page
    assert "Cost per pupil £" in page


async def test_the_grant_funded_programme_says_before_it_starts_what_it_would_need(
    evaluator: httpx.AsyncClient, seeded: Platform
) -> None:
    programme = await programme_titled(seeded, GRANT_TITLE)
    page = text_of((await evaluator.get(f"/programmes/{programme['id']}")).text)

    assert "Cannot show impact yet" in page
    assert "To show impact, before it starts it would need:" in page
    assert "baseline for every school, taken before the programme starts" in page


async def test_the_ks2_file_is_uploaded_as_published_and_a_bad_one_lists_each_bad_row(
    evaluator: httpx.AsyncClient,
) -> None:
    lines = KS2_FILE.read_text().splitlines()
    fourth = lines[3].split(",")
    fourth[lines[0].split(",").index("URN")] = "X117"
    broken = [*lines[:3], ",".join(fourth), *lines[4:6]]

    refused = await evaluator.post(
        "/programmes/ks2-results/upload",
        data={"year": "2025"},
        files={"file": ("919_ks2final.csv", "\n".join(broken), "text/csv")},
    )
    assert refused.status_code == 422
    assert "Line 4: URN: 'X117' is not a school's URN" in text_of(refused.text)

    imported = await evaluator.post(
        "/programmes/ks2-results/upload",
        data={"year": "2025"},
        files={"file": ("919_ks2final.csv", "\n".join(lines[:6]), "text/csv")},
    )
    assert imported.status_code == 303, imported.text
    assert "KS2 results imported: 5 schools" in text_of((await evaluator.get("/programmes")).text)


async def test_a_ks2_upload_without_a_year_is_refused_naming_the_year(
    evaluator: httpx.AsyncClient,
) -> None:
    answer = await evaluator.post(
        "/programmes/ks2-results/upload",
        data={"year": "last summer"},
        files={"file": ("919_ks2final.csv", "URN\n1\n", "text/csv")},
    )
    assert answer.status_code == 422
    assert error_summary_links(answer.text) == {"year": "Enter the year as a year such as 2025"}


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("\u00b2", "Enter the year as a year such as 2025"),  # a digit to isdigit(), not to int()
        ("\u0662\u0660\u0662\u0665", "Enter the year as a year such as 2025"),  # Arabic-Indic
        ("9" * 5000, "Enter the year as a year such as 2025"),
        ("2015", "Enter the year as a year from 2016 to 2100"),
        ("2101", "Enter the year as a year from 2016 to 2100"),
    ],
)
async def test_a_ks2_upload_year_of_other_than_four_ascii_digits_the_api_takes_is_refused(
    evaluator: httpx.AsyncClient, year: str, message: str
) -> None:
    answer = await evaluator.post(
        "/programmes/ks2-results/upload",
        data={"year": year},
        files={"file": ("919_ks2final.csv", "URN\n1\n", "text/csv")},
    )
    assert answer.status_code == 422
    assert error_summary_links(answer.text) == {"year": message}


class SentInChunks(io.BytesIO):
    """A file whose size httpx cannot tell (it cannot seek in it), sent as a browser sends one
    with no declared length: in chunks; `sent` counts what the portal has taken of it."""

    def seek(self, _offset: int, _whence: int = 0, /) -> int:
        raise io.UnsupportedOperation("sent as it is read")

    def tell(self) -> int:
        raise io.UnsupportedOperation("sent as it is read")

    @property
    def sent(self) -> int:
        return super().tell()


def results_csv_of(size: int) -> bytes:
    """Two group results, then blank lines (a CSV reader skips them) up to `size` bytes."""
    rows = (
        b"group,stage,mean,sd,n\nparticipant,baseline,18,4.5,30\ncomparison,baseline,17.5,4.2,31\n"
    )
    return rows + b"\n" * (size - len(rows))


async def stored_results(seeded: Platform, upload_url: str) -> int:
    results = (
        await seeded.evaluation.get(upload_url.replace("/upload", "/results"), headers=EVALUATOR)
    ).json()
    return len(results["schools"]) + len(results["groups"])


@pytest.mark.parametrize("length", ["declared", "chunked"])
async def test_a_post_past_the_portals_bound_is_refused_on_a_page_naming_it_and_stores_nothing(
    evaluator: httpx.AsyncClient, seeded: Platform, length: str
) -> None:
    upload_url = await a_measures_upload_page(
        evaluator, await a_new_programme(evaluator, f"Too large, {length}")
    )
    content = results_csv_of(10 * MAX_POST_BYTES)
    chunked = SentInChunks(content)
    file = chunked if length == "chunked" else content

    refused = await evaluator.post(upload_url, files={"file": ("results.csv", file, "text/csv")})

    assert refused.status_code == 413
    page = text_of(refused.text)
    assert "What you sent is too large" in page
    assert "at most 2.1 MB (2,100,000 bytes)" in page
    assert "a CSV file must be smaller than 2 MB" in page
    assert chunked.sent <= MAX_POST_BYTES + 64 * 1024  # read up to the bound, not to the end
    assert await stored_results(seeded, upload_url) == 0


async def test_the_largest_csv_file_a_form_takes_is_stored_under_the_portals_bound(
    evaluator: httpx.AsyncClient, seeded: Platform
) -> None:
    upload_url = await a_measures_upload_page(
        evaluator, await a_new_programme(evaluator, "The largest file")
    )
    largest = results_csv_of(MAX_UPLOAD_BYTES)

    stored = await evaluator.post(upload_url, files={"file": ("results.csv", largest, "text/csv")})

    assert stored.status_code == 303, stored.text
    assert await stored_results(seeded, upload_url) == 2


def files_open_in(folder: Path) -> list[str]:
    """The files this process (the portal's) holds open in `folder`: a spooled upload's file
    has no name there, so only its open handle shows that it still takes room on disk."""
    handles = (Path("/proc/self/fd") / fd for fd in os.listdir("/proc/self/fd"))
    return [
        target
        for handle in handles
        if (target := _target(handle)) and target.startswith(f"{folder}/")
    ]


def _target(handle: Path) -> str:
    try:
        return os.readlink(handle)
    except OSError:  # the listing's own handle, closed since
        return ""


ON_DISK = 1_500_000  # past the 1 MB Starlette keeps in memory: the upload is spooled to a file
NOT_UTF8 = b"\xff" + results_csv_of(ON_DISK)[1:]
BAD_ROW = b"urn,stage,value\n1,baseline,lots" + b"\n" * ON_DISK


@pytest.mark.parametrize(
    ("sent", "how", "answered"),
    [
        pytest.param(NOT_UTF8, "from the form", 422, id="not UTF-8"),
        pytest.param(
            b"urn,stage,value\n1,baseline,lots" + b"\n" * ON_DISK,
            "from the form",
            422,
            id="bad row",
        ),
        pytest.param(results_csv_of(MAX_UPLOAD_BYTES + 1), "from the form", 422, id="too large"),
        pytest.param(results_csv_of(ON_DISK), "to no measure", 404, id="refused by the API"),
        pytest.param(results_csv_of(ON_DISK), "from the form", 303, id="stored"),
        pytest.param(results_csv_of(ON_DISK), "from another site", 403, id="forged"),
    ],
)
async def test_an_upload_spooled_to_disk_is_closed_when_its_request_is_answered(
    evaluator: httpx.AsyncClient,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    sent: bytes,
    how: str,
    answered: int,
) -> None:
    """Closed by the portal, not left to the garbage collector: anything still holding the
    request (a traceback in a reference cycle, say) would keep the file on disk until a
    collection. Here the test holds each spooled file, as such a reference would."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    spooled: list[IO[bytes]] = []
    spooling = keeping(tempfile.SpooledTemporaryFile, spooled)
    monkeypatch.setattr("starlette.formparsers.SpooledTemporaryFile", spooling)
    upload_url = await a_measures_upload_page(
        evaluator, await a_new_programme(evaluator, f"Spooled upload {uuid4()}")
    )
    if how == "to no measure":
        upload_url = upload_url.replace(upload_url.split("/")[-2], str(uuid4()))

    file = {"file": ("results.csv", sent, "text/csv")}
    if how == "from another site":  # the plain client's post: without the form's token
        answer = await httpx.AsyncClient.post(evaluator, upload_url, files=file)
    else:
        answer = await evaluator.post(upload_url, files=file)

    assert answer.status_code == answered, answer.text
    assert len(spooled) == 1
    assert files_open_in(tmp_path) == []


def keeping(make: Callable[..., IO[bytes]], made: list[IO[bytes]]) -> Callable[..., IO[bytes]]:
    def kept(*args: Any, **kwargs: Any) -> IO[bytes]:
        made.append(file := make(*args, **kwargs))
        return file

    return kept
