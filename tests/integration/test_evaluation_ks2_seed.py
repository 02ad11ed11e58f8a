"""The seeded evaluation on real KS2 results: its figures recomputed here, independently, from
the tidy extract of the same DfE file; and the grant-funded programme flagged before it starts."""

from __future__ import annotations

import csv
import math
import statistics
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from services.seed.catalogue import CATALOGUE_CSV
from services.seed.files import DATA
from services.seed.ks2_evaluation import GRANT_TITLE, ORDERED_ON, SIP_PRI_ORDERS, SIP_TITLE
from shared.auth import Role
from tests.support.databases import DatabaseFactory
from tests.support.evaluation_world import seeded_evaluation
from tests.support.platform import auth

EXTRACT = DATA / "ks2-outcomes-hertfordshire.csv"
REGISTER = DATA / "schools-hertfordshire.csv"
ADMIN = auth(Role.ADMIN)
# Student's t, 97.5th percentile, 21 and 22 degrees of freedom (any printed table)
T_21, T_22 = 2.080, 2.074


@pytest.fixture
async def seeded(sqlite_databases: DatabaseFactory) -> AsyncIterator[httpx.AsyncClient]:
    async with seeded_evaluation(sqlite_databases) as api:
        yield api


async def programme_titled(api: httpx.AsyncClient, title: str) -> dict[str, Any]:
    found = (await api.get("/programmes", headers=ADMIN)).json()
    return next(p for p in found if p["title"] == title)


def band_price(pupils: int) -> int:
    """The package's maintained-school price for a school of this size, read from the
    catalogue's CSV (from pupils:pence, "0:265000;151:325000;…")."""
    rows = csv.DictReader(CATALOGUE_CSV.open())
    bands = next(r for r in rows if r["code"] == "SIP-PRI")["maintained_bands"]
    starts = [tuple(map(int, band.split(":"))) for band in bands.split(";")]
    return [price for start, price in starts if start <= pupils][-1]


def weighted(urns: list[int], extract: dict[int, dict[str, str]]) -> dict[str, float]:
    """Cohort-weighted means and the SE of the mean gain, from the extract's own columns."""
    rows = [extract[u] for u in urns]
    weights = [int(r["ks2_cohort"]) for r in rows]
    shares = [w / sum(weights) for w in weights]
    before = [float(r["rwm_expected_2023"]) for r in rows]
    after = [float(r["rwm_expected_2025"]) for r in rows]
    gains = [a - b for a, b in zip(after, before, strict=True)]
    mean_gain = sum(p * g for p, g in zip(shares, gains, strict=True))
    n = len(rows)
    variance = (
        n / (n - 1) * sum((p * (g - mean_gain)) ** 2 for p, g in zip(shares, gains, strict=True))
    )
    return {
        "baseline": sum(p * b for p, b in zip(shares, before, strict=True)),
        "outcome": sum(p * a for p, a in zip(shares, after, strict=True)),
        "gain": mean_gain,
        "variance": variance,
        "sd": statistics.stdev(gains),
        "n": n,
        "pupils": sum(weights),
    }


async def test_the_seeded_ks2_report_matches_figures_recomputed_from_the_extract(
    seeded: httpx.AsyncClient,
) -> None:
    programme = await programme_titled(seeded, SIP_TITLE)
    report = (await seeded.get(f"/programmes/{programme['id']}/report", headers=ADMIN)).json()
    section = report["published_outcomes"]
    rwm = next(m for m in section["measures"] if m["measure"] == "ks2-rwm-expected")
    participants, comparison = rwm["groups"]

    extract = {int(r["urn"]): r for r in csv.DictReader(EXTRACT.open())}
    usable = [
        u
        for u in SIP_PRI_ORDERS
        if extract[u]["rwm_expected_2023"] and extract[u]["rwm_expected_2025"]
    ]
    comparison_urns = report["comparison_urns"]
    assert not set(comparison_urns) & set(SIP_PRI_ORDERS)
    assert all(extract[u]["rwm_expected_2023"] for u in comparison_urns)
    t, c = weighted(usable, extract), weighted(comparison_urns, extract)

    assert {p["urn"] for p in report["participants"]} == set(SIP_PRI_ORDERS)
    assert (participants["schools"], participants["usable"]) == (len(SIP_PRI_ORDERS), len(usable))
    assert participants["suppressed"] == len(SIP_PRI_ORDERS) - len(usable) == 1
    assert (comparison["usable"], comparison["suppressed"]) == (len(comparison_urns), 0)
    assert participants["baseline_mean"] == pytest.approx(t["baseline"])
    assert participants["outcome_mean"] == pytest.approx(t["outcome"])
    assert comparison["baseline_mean"] == pytest.approx(c["baseline"])
    assert comparison["outcome_mean"] == pytest.approx(c["outcome"])
    assert participants["pupils"] == t["pupils"]

    did = rwm["difference_in_differences"]
    se = math.sqrt(t["variance"] + c["variance"])
    assert did["estimate"] == pytest.approx(t["gain"] - c["gain"])
    assert did["standard_error"] == pytest.approx(se)
    df = (t["variance"] + c["variance"]) ** 2 / (
        t["variance"] ** 2 / (t["n"] - 1) + c["variance"] ** 2 / (c["n"] - 1)
    )
    assert did["degrees_of_freedom"] == pytest.approx(df)
    assert 21 <= df <= 22  # so the interval's multiplier lies between the table's two values
    multiplier = (did["ci_high"] - did["estimate"]) / se
    assert T_22 - 0.004 <= multiplier <= T_21 + 0.004

    pooled = math.sqrt(
        ((t["n"] - 1) * t["sd"] ** 2 + (c["n"] - 1) * c["sd"] ** 2) / (t["n"] + c["n"] - 2)
    )
    j = 1 - 3 / (4 * (t["n"] + c["n"]) - 9)
    assert rwm["hedges_g"] == pytest.approx(j * (t["gain"] - c["gain"]) / pooled)

    assert rwm["padlocks"] <= 3
    design = next(lost for lost in rwm["padlocks_lost"] if lost["criterion"] == "design")
    assert "not randomised" in design["reason"]
    register = {int(r["urn"]): r for r in csv.DictReader(REGISTER.open())}
    pupils = sum(int(register[u]["pupils"]) for u in SIP_PRI_ORDERS)
    figures = {f["figure"]: f["value"] for f in report["figures"] if f["measure"] == ""}
    assert figures["pupils reached"] == pupils
    assert figures["cost (pence)"] == len(ORDERED_ON) * sum(
        band_price(int(register[u]["pupils"])) for u in SIP_PRI_ORDERS
    )
    assert rwm["cost_per_pupil_pence"] == round(figures["cost (pence)"] / pupils)
    assert rwm["impact_per_1000_pounds_per_pupil"] == pytest.approx(
        rwm["hedges_g"] / (figures["cost (pence)"] / pupils / 100_000)
    )
    cannot = " ".join(section["cannot_claim"])
    for warning in ("not assigned at random", "school-level", "small cohorts", "suppressed"):
        assert warning in cannot


async def test_the_grant_funded_programme_is_flagged_before_it_starts_with_what_it_needs(
    seeded: httpx.AsyncClient,
) -> None:
    grant = await programme_titled(seeded, GRANT_TITLE)

    readiness = grant["readiness"]
    assert (readiness["started"], readiness["can_show_impact"]) == (False, False)
    flagged = await seeded.get("/programmes", params={"unable_to_show_impact": True}, headers=ADMIN)
    assert GRANT_TITLE in {p["title"] for p in flagged.json()}
    needs = " ".join(readiness["needs"])
    assert "baseline" in needs and "comparison group" in needs and "outcome" in needs
