"""Quotes and browsing over HTTP, on a real database: a school's own price and the rule."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest

from services.catalogue.application.minimums import CallOffShortSessions
from shared.auth import Role
from shared.calendar import financial_year, financial_year_term
from shared.clock import Clock
from tests.support.catalogue_fixtures import (
    ADMIN,
    SCHOOL,
    WATFORD_GRAMMAR_BOYS,
    Catalogue,
    catalogue_on,
)
from tests.support.databases import DatabaseFactory
from tests.support.platform import ABBOTS_LANGLEY, ASHWELL, auth
from tests.support.tariffs import banded, day_rate, flat, per_pupil


@pytest.fixture
async def catalogue(sqlite_databases: DatabaseFactory) -> AsyncIterator[Catalogue]:
    async with catalogue_on(sqlite_databases) as running:
        yield running


async def ask(catalogue: Catalogue, headers: dict[str, str], **body: Any) -> Any:
    return await catalogue.client.post("/quotes", json=body, headers=headers)


async def ask_batch(catalogue: Catalogue, urn: int, lines: list[dict[str, Any]]) -> Any:
    """The school's question for several lines at once."""
    return await catalogue.client.post(
        "/quotes/batch", json={"urn": urn, "lines": lines}, headers=SCHOOL
    )


def this_financial_year() -> dict[str, str]:
    start, end = financial_year_term(financial_year(Clock().today()))
    return {"term_start": start.isoformat(), "term_end": end.isoformat()}


def lines_of(*wanted: tuple[dict[str, Any], int]) -> list[dict[str, Any]]:
    """Quote lines: each service with the quantity wanted."""
    return [{"service_id": service["id"], "quantity": quantity} for service, quantity in wanted]


async def test_a_school_is_quoted_its_band_price_with_vat_and_the_rule(
    catalogue: Catalogue,
) -> None:
    service = await catalogue.published()
    answer = await ask(catalogue, SCHOOL, service_id=service["id"], urn=ABBOTS_LANGLEY, quantity=1)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "service_id": service["id"],
        "price_version": 1,
        "urn": ABBOTS_LANGLEY,
        "quantity": 1,
        "unit_price_pence": 410_000,  # Abbots Langley has 415 on roll
        "net_pence": 410_000,
        "vat_pence": 82_000,
        "gross_pence": 492_000,
        "vat_rate": "standard",
        "rule": "band 401 pupils or more (415 on roll), maintained school price",
        "half_days": False,
        "title": "School improvement partner package (primary)",
        "category": "School improvement",
        "cfr_code": "E27",  # the usual code for school improvement: curriculum support
        "service_type": "subscription",
        "provider_id": None,
        "session_id": None,
        "renews_every": None,
        "notice_days": 0,
        "starts_on": Clock().today().isoformat(),
        "price_year": service["price_year"],
        **this_financial_year(),  # a subscription sold by the financial year, as by default
    }


async def test_staff_quote_an_academy_its_own_price(catalogue: Catalogue) -> None:
    service = await catalogue.published()
    answer = await ask(
        catalogue,
        auth(Role.LA_OFFICER),
        service_id=service["id"],
        urn=WATFORD_GRAMMAR_BOYS,
        quantity=2,
    )
    assert answer.status_code == 200, answer.text
    assert (answer.json()["net_pence"], answer.json()["rule"]) == (
        890_000,
        "band 401 pupils or more (1,610 on roll), academy price",
    )


async def test_out_of_area_is_decided_by_the_home_authority_setting(
    sqlite_databases: DatabaseFactory,
) -> None:
    async with catalogue_on(sqlite_databases, home_la_code="821") as elsewhere:
        service = await elsewhere.published()
        answer = await ask(
            elsewhere, SCHOOL, service_id=service["id"], urn=ABBOTS_LANGLEY, quantity=1
        )
    assert (answer.json()["unit_price_pence"], answer.json()["rule"]) == (
        400_000,
        "fixed price, out-of-area price",
    )


async def test_a_school_cannot_ask_for_another_schools_quote(catalogue: Catalogue) -> None:
    service = await catalogue.published()
    answer = await ask(catalogue, SCHOOL, service_id=service["id"], urn=ASHWELL, quantity=1)
    assert answer.status_code == 403
    assert answer.json()["field"] == "urn"


async def test_several_lines_are_quoted_in_one_question_as_each_would_be_alone(
    catalogue: Catalogue,
) -> None:
    first = await catalogue.published()
    second = await catalogue.published(code="SECOND-1")
    lines = lines_of((first, 1), (second, 3))

    answer = await ask_batch(catalogue, ABBOTS_LANGLEY, lines)

    assert answer.status_code == 200, answer.text
    alone = [(await ask(catalogue, SCHOOL, urn=ABBOTS_LANGLEY, **line)).json() for line in lines]
    assert answer.json() == alone


async def test_a_line_refused_in_a_batch_is_named_by_its_place(catalogue: Catalogue) -> None:
    service = await catalogue.published()
    draft = await catalogue.create(code="DRAFT-2")
    lines = lines_of((service, 1), (draft, 1))

    refused = await ask_batch(catalogue, ABBOTS_LANGLEY, lines)
    another_school = await ask_batch(catalogue, ASHWELL, lines[:1])

    assert (refused.status_code, refused.json()["field"]) == (409, "lines.1.service_id")
    assert (another_school.status_code, another_school.json()["field"]) == (403, "urn")


async def test_a_draft_a_retired_service_and_a_suspended_provider_are_refused(
    catalogue: Catalogue,
) -> None:
    draft = await catalogue.create(code="DRAFT-1")
    refused = await ask(catalogue, SCHOOL, service_id=draft["id"], urn=ABBOTS_LANGLEY, quantity=1)
    assert (refused.status_code, refused.json()["field"]) == (409, "service_id")

    provider = await catalogue.client.post(
        "/providers",
        json={"name": "NLE associates", "kind": "nle", "expertise": ["primary leadership"]},
        headers=ADMIN,
    )
    service = await catalogue.published(code="NLE-DAY", provider_id=provider.json()["id"])
    suspended = await catalogue.client.put(
        f"/providers/{provider.json()['id']}/qa-status",
        json={"qa_status": "suspended", "note": "QA panel, 20 November"},
        headers=ADMIN,
    )
    assert suspended.json()["qa_status"] == "suspended"
    refused = await ask(catalogue, SCHOOL, service_id=service["id"], urn=ABBOTS_LANGLEY, quantity=1)
    assert (refused.status_code, refused.json()["field"]) == (409, "provider_id")

    retired = await catalogue.client.post(f"/services/{service['id']}/retire", headers=ADMIN)
    assert retired.json()["status"] == "retired"
    refused = await ask(catalogue, SCHOOL, service_id=service["id"], urn=ABBOTS_LANGLEY, quantity=1)
    assert (refused.status_code, refused.json()["field"]) == (409, "service_id")


async def test_bad_quote_requests_name_the_field(catalogue: Catalogue) -> None:
    service = await catalogue.published()
    zero = await ask(catalogue, SCHOOL, service_id=service["id"], urn=ABBOTS_LANGLEY, quantity=0)
    assert (zero.status_code, zero.json()["errors"][0]["field"]) == (422, "quantity")
    unknown = await ask(
        catalogue, auth(Role.ADMIN), service_id=service["id"], urn=999999, quantity=1
    )
    assert (unknown.status_code, unknown.json()["field"]) == (404, "urn")


async def test_a_day_rate_is_quoted_by_the_half_day_and_nothing_else_is(
    catalogue: Catalogue,
) -> None:
    consultancy = await catalogue.published(
        code="CONS-DAY",
        title="School improvement consultancy",
        service_type="consultancy",
        prices={"maintained": day_rate(65000)},
    )
    half_days = await ask(
        catalogue,
        SCHOOL,
        service_id=consultancy["id"],
        urn=ABBOTS_LANGLEY,
        quantity=3,
        half_days=True,
    )
    assert half_days.status_code == 200, half_days.text
    assert (half_days.json()["unit_price_pence"], half_days.json()["net_pence"]) == (
        32_500,
        97_500,
    )
    subscription = await catalogue.published()
    refused = await ask(
        catalogue,
        SCHOOL,
        service_id=subscription["id"],
        urn=ABBOTS_LANGLEY,
        quantity=1,
        half_days=True,
    )
    assert (refused.status_code, refused.json()["field"]) == (422, "half_days")


async def test_a_new_price_is_a_new_version_and_the_old_one_is_kept(catalogue: Catalogue) -> None:
    service = await catalogue.published()
    repriced = await catalogue.client.put(
        f"/services/{service['id']}/prices",
        json={"prices": {"maintained": per_pupil(1000, 300000, 450000)}},
        headers=ADMIN,
    )
    assert repriced.json()["price_version"] == 2
    answer = await ask(catalogue, SCHOOL, service_id=service["id"], urn=ABBOTS_LANGLEY, quantity=1)
    assert answer.json()["price_version"] == 2
    assert answer.json()["unit_price_pence"] == 415_000
    history = (
        await catalogue.client.get(f"/services/{service['id']}/prices", headers=SCHOOL)
    ).json()
    assert [(v["version"], v["prices"]["maintained"]) for v in history] == [
        (1, banded({0: 250000, 201: 325000, 401: 410000})),
        (2, per_pupil(1000, 300000, 450000)),
    ]
    assert history[1]["in_words"]["maintained"] == (
        "£10.00 a pupil, minimum £3,000.00, maximum £4,500.00"
    )
    assert await catalogue.outbox() == [
        "catalogue.service.published.v1",
        "catalogue.service.updated.v1",
    ]


async def test_browsing_filters_pages_and_prices_each_result_for_the_school(
    catalogue: Catalogue,
) -> None:
    await catalogue.published(code="SIP-PRI", phases=["primary"], academic_years=["2026/27"])
    await catalogue.published(
        code="ML-PROG",
        title="Middle leadership programme",
        service_type="course",
        category="CPD and leadership",
        phases=["primary", "secondary"],
        prices=None,
        unit_price_pence=59_500,
        vat_rate="exempt",
    )
    await catalogue.create(code="SIP-SEC", phases=["secondary"])

    async def browse(**params: Any) -> tuple[list[str], str]:
        found = await catalogue.client.get("/services", params=params, headers=SCHOOL)
        assert found.status_code == 200, found.text
        return [s["code"] for s in found.json()], found.headers["X-Total-Count"]

    assert await browse(phase="primary") == (["ML-PROG", "SIP-PRI"], "2")
    assert await browse(q="leadership") == (["ML-PROG"], "1")
    assert await browse(category="school improvement", status="published") == (["SIP-PRI"], "1")
    assert await browse(academic_year="2027/28") == (["ML-PROG"], "1")
    assert await browse(page_size=1, page=2) == (["SIP-PRI"], "2")
    staff = await catalogue.client.get("/services", params={"phase": "secondary"}, headers=ADMIN)
    assert [s["code"] for s in staff.json()] == ["ML-PROG", "SIP-SEC"]  # staff see drafts too
    hidden = await catalogue.client.get(f"/services/{staff.json()[1]['id']}", headers=SCHOOL)
    assert hidden.status_code == 404

    found = await catalogue.client.get("/services", params={"q": "SIP-PRI"}, headers=SCHOOL)
    assert found.json()[0]["price_for_school"] == {
        "urn": ABBOTS_LANGLEY,
        "unit_price_pence": 410_000,
        "rule": "band 401 pupils or more (415 on roll), maintained school price",
        **this_financial_year(),
        "session_on": None,  # a course's price is for its next session
        "vat_rate": "standard",
    }
    other = await catalogue.client.get("/services", params={"urn": ASHWELL}, headers=SCHOOL)
    assert (other.status_code, other.json()["field"]) == (403, "urn")
    staff = await catalogue.client.get(
        "/services", params={"urn": ASHWELL, "q": "SIP-PRI"}, headers=auth(Role.LA_OFFICER)
    )
    assert staff.json()[0]["price_for_school"]["unit_price_pence"] == 325_000  # 228 on roll


async def test_a_financial_year_finds_services_running_in_either_academic_year_it_touches(
    catalogue: Catalogue,
) -> None:
    await catalogue.published(code="SIP-2526", phases=["primary"], academic_years=["2025/26"])
    await catalogue.published(code="SIP-2627", phases=["primary"], academic_years=["2026/27"])
    await catalogue.published(code="SIP-2728", phases=["primary"], academic_years=["2027/28"])
    await catalogue.published(
        code="GOV-CLERK", prices={"maintained": flat(180000)}
    )  # any year, phase

    async def codes(**params: str) -> list[str]:
        found = await catalogue.client.get("/services", params=params, headers=SCHOOL)
        assert found.status_code == 200, found.text
        return [service["code"] for service in found.json()]

    # April 2026 to March 2027 ends the academic year 2025/26 and starts 2026/27
    assert await codes(financial_year="2026-27") == ["GOV-CLERK", "SIP-2526", "SIP-2627"]
    assert await codes(academic_year="2027/28") == ["GOV-CLERK", "SIP-2728"]
    assert await codes(phase="secondary") == ["GOV-CLERK"]  # listing no phase: suits every phase
    both = await catalogue.client.get(
        "/services",
        params={"academic_year": "2026/27", "financial_year": "2026-27"},
        headers=SCHOOL,
    )
    assert (both.status_code, both.json()["field"]) == (422, "financial_year")
    malformed = await catalogue.client.get(
        "/services", params={"financial_year": "2026/27"}, headers=SCHOOL
    )
    assert malformed.status_code == 422
    assert "financial_year" in malformed.text


async def test_a_session_outside_the_years_a_course_runs_is_refused(catalogue: Catalogue) -> None:
    course = await catalogue.published(
        code="ML-PROG", service_type="course", academic_years=["2026/27"]
    )
    outside = await catalogue.client.post(
        f"/services/{course['id']}/sessions",
        json={"starts_on": "2027-09-13", "online": True, "capacity": 20},
        headers=ADMIN,
    )
    assert (outside.status_code, outside.json()["field"]) == (422, "starts_on")
    inside = await catalogue.client.post(
        f"/services/{course['id']}/sessions",
        json={"starts_on": "2027-03-01", "online": True, "capacity": 20},
        headers=ADMIN,
    )
    answer = await ask(
        catalogue,
        SCHOOL,
        service_id=course["id"],
        urn=ABBOTS_LANGLEY,
        quantity=2,
        session_id=inside.json()["id"],
    )
    assert (answer.json()["session_id"], answer.json()["net_pence"]) == (
        inside.json()["id"],
        820_000,
    )


async def test_revising_a_published_service_announces_it_and_a_retired_one_refuses(
    catalogue: Catalogue,
) -> None:
    provider = await catalogue.client.post(
        "/providers",
        json={"name": "LLE associates", "kind": "lle", "expertise": ["Secondary leadership"]},
        headers=ADMIN,
    )
    experts = await catalogue.client.get(
        "/providers", params={"expertise": "secondary"}, headers=SCHOOL
    )
    assert [p["name"] for p in experts.json()] == ["LLE associates"]
    service = await catalogue.published()
    revised = await catalogue.client.patch(
        f"/services/{service['id']}",
        json={"title": "Improvement partner package", "provider_id": provider.json()["id"]},
        headers=ADMIN,
    )
    assert revised.status_code == 200, revised.text
    assert revised.json()["provider"]["name"] == "LLE associates"
    assert revised.json()["category"] == "School improvement"  # untouched
    bad = await catalogue.client.patch(
        f"/services/{service['id']}", json={"phases": ["sixth form"]}, headers=ADMIN
    )
    assert (bad.status_code, bad.json()["field"]) == (422, "phases")
    await catalogue.client.post(f"/services/{service['id']}/retire", headers=ADMIN)
    late = await catalogue.client.patch(
        f"/services/{service['id']}", json={"title": "Too late"}, headers=ADMIN
    )
    assert late.status_code == 409
    assert await catalogue.outbox() == [
        "catalogue.service.published.v1",
        "catalogue.service.updated.v1",
        "catalogue.service.retired.v1",
    ]


async def test_every_change_announced_of_a_service_carries_a_greater_revision(
    catalogue: Catalogue,
) -> None:
    service = await catalogue.published()
    for title in ("Improvement partner package", "Improvement partner package (primary)"):
        renamed = await catalogue.client.patch(
            f"/services/{service['id']}", json={"title": title}, headers=ADMIN
        )
        assert renamed.status_code == 200, renamed.text
    await catalogue.client.post(f"/services/{service['id']}/retire", headers=ADMIN)

    announced = await catalogue.announced()
    assert [(subject, payload["revision"]) for subject, payload in announced] == [
        ("catalogue.service.published.v1", 1),
        ("catalogue.service.updated.v1", 2),
        ("catalogue.service.updated.v1", 3),
        ("catalogue.service.retired.v1", 4),
    ]
    assert {payload.get("price_version") for _, payload in announced[:3]} == {1}


async def test_next_year_s_prices_wait_their_day_and_a_quote_takes_those_in_force_on_its_start(
    catalogue: Catalogue,
) -> None:
    service = await catalogue.published(code="HR-SLA", prices={"maintained": flat(165_000)})
    today = Clock().today()
    next_april = date(today.year + 1 if today.month >= 4 else today.year, 4, 1)
    prepared = await catalogue.client.put(
        f"/services/{service['id']}/prices",
        json={"prices": {"maintained": flat(175_000)}, "effective_from": next_april.isoformat()},
        headers=ADMIN,
    )
    assert prepared.status_code == 200, prepared.text
    on_sale = prepared.json()
    assert (on_sale["price_version"], on_sale["prices"]["maintained"]) == (1, flat(165_000))
    assert [(v["version"], v["effective_from"], v["in_words"]["maintained"])
            for v in on_sale["upcoming_prices"]] == [(2, next_april.isoformat(), "£1,750.00")]  # fmt: skip

    async def quoted(starts_on: date) -> tuple[int, int, str]:
        answer = await ask(
            catalogue,
            SCHOOL,
            service_id=service["id"],
            urn=ABBOTS_LANGLEY,
            quantity=1,
            starts_on=starts_on.isoformat(),
        )
        assert answer.status_code == 200, answer.text
        found = answer.json()
        return found["unit_price_pence"], found["price_version"], found["price_year"]

    year = f"{next_april.year}-{(next_april.year + 1) % 100:02d}"
    assert await quoted(next_april - timedelta(days=1)) == (165_000, 1, on_sale["price_year"])
    assert await quoted(next_april) == (175_000, 2, year)

    shop = await catalogue.client.get("/services", params={"q": "HR-SLA"}, headers=SCHOOL)
    assert shop.json()[0]["price_for_school"]["unit_price_pence"] == 165_000  # on sale today
    past = await catalogue.client.put(
        f"/services/{service['id']}/prices",
        json={"prices": {"maintained": flat(1)}, "effective_from": "2020-04-01"},
        headers=ADMIN,
    )
    assert (past.status_code, past.json()["field"]) == (422, "effective_from")
    history = await catalogue.client.get(f"/services/{service['id']}/prices", headers=ADMIN)
    assert [v["version"] for v in history.json()] == [1, 2]


async def scheduled(
    catalogue: Catalogue, course: dict[str, Any], starts_on: str, **more: Any
) -> str:
    """The id of a session of the course an admin scheduled."""
    created = await catalogue.client.post(
        f"/services/{course['id']}/sessions",
        json={"starts_on": starts_on, "venue": "Stevenage", "capacity": 20, **more},
        headers=ADMIN,
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def session_quoted(
    catalogue: Catalogue, course: dict[str, Any], session_id: str
) -> tuple[int, str | None, str | None]:
    """The school's quote for a place on the session: its status and a refusal's field and why."""
    answer = await ask(
        catalogue,
        SCHOOL,
        service_id=course["id"],
        urn=ABBOTS_LANGLEY,
        quantity=1,
        session_id=session_id,
    )
    return answer.status_code, answer.json().get("field"), answer.json().get("detail")


async def sessions_offered(catalogue: Catalogue, course: dict[str, Any]) -> dict[str, Any]:
    """What the shop shows of a course's sessions, beside every session staff see."""
    sessions = f"/services/{course['id']}/sessions"
    bookable = await catalogue.client.get(sessions, params={"bookable": "true"}, headers=SCHOOL)
    every = await catalogue.client.get(sessions, headers=ADMIN)
    shown = await catalogue.client.get(f"/services/{course['id']}", headers=SCHOOL)
    (browsed,) = (
        await catalogue.client.get("/services", params={"q": course["code"]}, headers=SCHOOL)
    ).json()
    return {
        "bookable": [found["id"] for found in bookable.json()],
        "every": [found["id"] for found in every.json()],
        "next on its page": shown.json()["price_for_school"]["session_on"],
        "next when browsed": browsed["price_for_school"]["session_on"],
    }


async def test_a_session_begun_or_called_off_is_neither_quoted_nor_offered_to_schools(
    catalogue: Catalogue,
) -> None:
    course = await catalogue.published(code="ML-PROG", service_type="course")
    ran, runs_today, short, to_come = [
        await scheduled(catalogue, course, "2027-01-13"),
        await scheduled(catalogue, course, "2027-01-14"),
        await scheduled(
            catalogue, course, "2027-01-18", minimum_places=6, decision_on="2027-01-11"
        ),
        await scheduled(catalogue, course, "2027-01-20"),
    ]
    called_off = await catalogue.service.bus_on(Clock(date(2027, 1, 11))).handle(
        CallOffShortSessions()
    )
    assert called_off == [UUID(short)]
    catalogue.service.clock.set(date(2027, 1, 14))

    assert await session_quoted(catalogue, course, ran) == (
        409,
        "session_id",
        "that session was on 13 January 2027: it can no longer be booked",
    )
    assert await session_quoted(catalogue, course, runs_today) == (
        409,
        "session_id",
        "that session is today: it can no longer be booked",
    )
    assert await session_quoted(catalogue, course, short) == (
        409,
        "session_id",
        "that session has been cancelled",
    )
    assert (await session_quoted(catalogue, course, to_come))[0] == 200
    assert await sessions_offered(catalogue, course) == {
        "bookable": [to_come],
        "every": [ran, runs_today, short, to_come],
        "next on its page": "2027-01-20",
        "next when browsed": "2027-01-20",
    }


async def test_a_session_in_a_year_no_longer_sold_is_neither_quoted_nor_offered_to_schools(
    catalogue: Catalogue,
) -> None:
    course = await catalogue.published(
        code="ML-PROG",
        title="Middle leadership programme",
        service_type="course",
        academic_years=["2026/27", "2027/28"],
    )
    this_year = await scheduled(catalogue, course, "2027-03-01")
    next_year = await scheduled(catalogue, course, "2027-10-04")
    narrowed = await catalogue.client.patch(
        f"/services/{course['id']}", json={"academic_years": ["2027/28"]}, headers=ADMIN
    )
    assert narrowed.status_code == 200, narrowed.text

    assert await session_quoted(catalogue, course, this_year) == (
        422,
        "session_id",
        "Middle leadership programme runs in 2027/28, not 2026/27",
    )
    assert (await session_quoted(catalogue, course, next_year))[0] == 200
    assert await sessions_offered(catalogue, course) == {
        "bookable": [next_year],
        "every": [this_year, next_year],
        "next on its page": "2027-10-04",
        "next when browsed": "2027-10-04",
    }
