"""Signing in to the portal, and what each role may reach (no service is called)."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator

import httpx
import jwt
import pytest
from itsdangerous import TimestampSigner

from services.portal.bootstrap import create_app
from services.portal.config import APIS, DEVELOPMENT_SESSION_SECRET, Settings
from services.portal.entrypoints.signing_in import _local
from services.portal.users import DEMO_USERS, NAVIGATION, User, home_of
from shared.auth import Role, TokenVerifier
from shared.settings import DEVELOPMENT_JWT_SECRET
from tests.support.portal_pages import visiting

UNREACHABLE = "http://127.0.0.1:9"  # nothing listens on the discard port


@pytest.fixture
async def portal() -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(environment="test", **_all_urls(UNREACHABLE))
    async with visiting(create_app(settings)) as client:
        yield client


async def test_a_visitor_who_has_not_signed_in_is_sent_to_the_sign_in_page(
    portal: httpx.AsyncClient,
) -> None:
    answer = await portal.get("/orders")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/sign-in?next=/orders"
    page = await portal.get("/sign-in")
    assert all(user.name in page.text for user in DEMO_USERS)


ALL_PAGES = {href for links in NAVIGATION.values() for _label, href in links}


@pytest.mark.parametrize("user", DEMO_USERS, ids=lambda user: user.id)
async def test_each_demo_user_signs_in_to_their_roles_home_and_sees_only_its_navigation(
    portal: httpx.AsyncClient, user: User
) -> None:
    answer = await portal.post("/sign-in", data={"user": user.id})
    assert answer.headers["location"] == home_of(user.role)
    page = (await portal.get("/sign-in")).text
    linked = {
        href
        for href in ALL_PAGES
        if f'class="govuk-service-navigation__link" href="{href}"' in page
    }
    assert linked == {href for _label, href in NAVIGATION[user.role]}


async def test_the_session_carries_a_platform_token_for_the_school_and_its_urn(
    portal: httpx.AsyncClient,
) -> None:
    await portal.post("/sign-in", data={"user": "school"})
    cookie = portal.cookies["portal_session"]
    payload = TimestampSigner(DEVELOPMENT_SESSION_SECRET).unsign(cookie.encode())
    session = json.loads(base64.b64decode(payload))
    principal = TokenVerifier(secret=DEVELOPMENT_JWT_SECRET).verify(session["token"])
    assert (principal.role, principal.urn) == (Role.SCHOOL, 117083)
    assert jwt.decode(session["token"], options={"verify_signature": False})["sub"] == "demo-school"


async def test_a_role_that_may_not_see_a_page_gets_the_403_page(portal: httpx.AsyncClient) -> None:
    await portal.post("/sign-in", data={"user": "school"})
    for address in ("/finance", "/contracts", "/catalogue", "/participants"):
        answer = await portal.get(address)
        assert answer.status_code == 403
        assert "You cannot see this page" in answer.text


async def test_a_service_that_does_not_answer_gives_the_problem_page_not_a_crash(
    portal: httpx.AsyncClient,
) -> None:
    await portal.post("/sign-in", data={"user": "finance"})
    answer = await portal.get("/finance")
    assert answer.status_code == 503
    assert "Sorry, there is a problem with the service" in answer.text


async def test_signing_in_as_nobody_names_the_field_and_signing_out_ends_the_session(
    portal: httpx.AsyncClient,
) -> None:
    refused = await portal.post("/sign-in", data={"user": "mallory"})
    assert refused.status_code == 422
    assert '<a href="#user">Select who you are signing in as</a>' in refused.text
    await portal.post("/sign-in", data={"user": "evaluator"})
    await portal.post("/sign-out")
    assert (await portal.get("/participants")).status_code == 303


def test_sign_in_only_returns_to_an_address_on_this_site() -> None:
    assert _local("/orders") == "/orders"
    assert _local("//evil.example") == ""
    assert _local("https://evil.example") == ""


def test_production_refuses_the_development_keys() -> None:
    with pytest.raises(ValueError, match="session_secret"):
        Settings(environment="production", jwt_secret="real-key", **_all_urls())
    with pytest.raises(ValueError, match="jwt_secret"):
        Settings(environment="production", session_secret="real", **_all_urls())


def test_a_blank_api_address_is_where_that_service_listens(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ORDERS_HTTP_PORT", "18002")
    assert Settings().orders_url == "http://127.0.0.1:18002"
    assert Settings().ledger_url == "http://127.0.0.1:8005"


def _all_urls(url: str = "http://api") -> dict[str, str]:
    return {f"{name}_url": url for name in APIS}


def test_card_payments_are_confirmed_on_the_server_only_against_localstripe_off_production(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ORDERS_LOCALSTRIPE_PORT", "18420")
    assert Settings().localstripe_url == "http://127.0.0.1:18420"  # where orders' localstripe is
    keys = {"jwt_secret": "real-key", "session_secret": "real", **_all_urls()}
    assert Settings(environment="production", **keys).localstripe_url == ""
    with pytest.raises(ValueError, match="localstripe_url"):
        Settings(environment="production", localstripe_url="http://127.0.0.1:8420", **keys)


async def test_in_production_nobody_signs_in_as_a_demo_user_unless_it_is_switched_on() -> None:
    secrets = {"jwt_secret": "a-real-production-signing-key-0123456789", "session_secret": "s" * 40}
    production = Settings(environment="production", **secrets, **_all_urls(UNREACHABLE))
    assert production.demo_sign_in is False
    transport = httpx.ASGITransport(app=create_app(production))
    async with httpx.AsyncClient(transport=transport, base_url="http://portal") as client:
        page = await client.get("/sign-in")
        assert page.status_code == 403 and "switched off" in page.text
        refused = await client.post("/sign-in", data={"user": "admin"})
        assert refused.status_code == 403
        assert "set-cookie" not in refused.headers  # nobody was signed in
    demo = Settings(
        environment="production", demo_sign_in=True, **secrets, **_all_urls(UNREACHABLE)
    )
    assert demo.demo_sign_in is True
    assert Settings(environment="test", **_all_urls(UNREACHABLE)).demo_sign_in is True
