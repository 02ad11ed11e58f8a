"""Signing in to the portal, and what each role may reach (no service is called)."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Literal

import httpx
import jwt
import pytest
from itsdangerous import TimestampSigner

import services.portal
from services.portal.bootstrap import create_app
from services.portal.config import DEVELOPMENT_SESSION_SECRET, Settings
from services.portal.entrypoints.signing_in import _local
from services.portal.users import DEMO_USERS, NAVIGATION, User, home_of
from shared.auth import Role, TokenVerifier
from shared.settings import DEVELOPMENT_JWT_SECRET
from tests.support.portal_pages import sign_in, visiting
from tests.support.portal_settings import SigningKeys, api_urls

UNREACHABLE = "http://127.0.0.1:9"  # nothing listens on the discard port
PRODUCTION_KEYS: SigningKeys = {
    "jwt_secret": "a-real-production-signing-key-0123456789",
    "session_secret": "s" * 40,
}


@pytest.fixture
async def portal() -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(environment="test", **api_urls(UNREACHABLE))
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
        Settings(environment="production", jwt_secret="real-key", **api_urls())
    with pytest.raises(ValueError, match="jwt_secret"):
        Settings(environment="production", session_secret="real", **api_urls())


def test_a_blank_api_address_is_where_that_service_listens(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ORDERS_HTTP_PORT", "18002")
    assert Settings().orders_url == "http://127.0.0.1:18002"
    assert Settings().ledger_url == "http://127.0.0.1:8005"


def test_card_payments_are_confirmed_on_the_server_only_against_localstripe_off_production(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ORDERS_LOCALSTRIPE_PORT", "18420")
    assert Settings().localstripe_url == "http://127.0.0.1:18420"  # where orders' localstripe is
    keys: SigningKeys = {"jwt_secret": "real-key", "session_secret": "real"}
    assert Settings(environment="production", **keys, **api_urls()).localstripe_url == ""
    with pytest.raises(ValueError, match="localstripe_url"):
        Settings(
            environment="production",
            localstripe_url="http://127.0.0.1:8420",
            **keys,
            **api_urls(),
        )


async def test_in_production_nobody_signs_in_as_a_demo_user_unless_it_is_switched_on() -> None:
    production = Settings(environment="production", **PRODUCTION_KEYS, **api_urls(UNREACHABLE))
    assert production.demo_sign_in is False
    transport = httpx.ASGITransport(app=create_app(production))
    async with httpx.AsyncClient(transport=transport, base_url="http://portal") as client:
        page = await client.get("/sign-in")
        assert page.status_code == 403 and "switched off" in page.text
        refused = await client.post("/sign-in", data={"user": "admin"})
        assert refused.status_code == 403
        assert "set-cookie" not in refused.headers  # nobody was signed in
    demo = Settings(
        environment="production", demo_sign_in=True, **PRODUCTION_KEYS, **api_urls(UNREACHABLE)
    )
    assert demo.demo_sign_in is True
    assert Settings(environment="test", **api_urls(UNREACHABLE)).demo_sign_in is True


async def test_a_session_ends_its_set_time_after_signing_in_and_goes_back_to_sign_in() -> None:
    settings = Settings(environment="test", session_max_age_seconds=3600, **api_urls(UNREACHABLE))
    app = create_app(settings)
    clock = [1_000_000.0]
    app.state.now = lambda: clock[0]
    async with visiting(app) as visitor:
        await sign_in(visitor, "evaluator")
        clock[0] += 3599
        assert "Signed in as Evaluator" in (await visitor.get("/sign-in")).text
        clock[0] += 1
        ended = await visitor.get("/participants")
        assert (ended.status_code, ended.headers["location"]) == (
            303,
            "/sign-in?next=/participants",
        )
        assert "Signed in as" not in (await visitor.get("/sign-in")).text


@pytest.mark.parametrize(
    ("environment", "secure", "expected"),
    [("test", None, False), ("production", None, True), ("production", False, False)],
)
async def test_the_session_cookie_is_http_only_same_site_lax_and_secure_where_set(
    environment: Literal["test", "production"], secure: bool | None, expected: bool
) -> None:
    settings = Settings(
        environment=environment,
        demo_sign_in=True,
        session_cookie_secure=secure,
        **PRODUCTION_KEYS,
        **api_urls(UNREACHABLE),
    )
    async with visiting(create_app(settings)) as visitor:
        page = await visitor.get("/sign-in")  # the form's CSRF token starts the session
    cookie = page.headers["set-cookie"].lower()
    assert cookie.startswith("portal_session=")
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert ("secure" in cookie.split("; ")) is expected


async def test_every_response_carries_the_security_headers(portal: httpx.AsyncClient) -> None:
    for address in ("/sign-in", "/static/portal.css", "/no-such-page", "/orders"):
        headers = (await portal.get(address)).headers
        policy = headers["content-security-policy"]
        assert (
            "script-src 'self'" in policy
            and "unsafe-inline" not in policy.split("style-src-attr")[0]
        )
        assert "frame-ancestors 'none'" in policy
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert "strict-transport-security" not in headers  # plain http here


async def test_hsts_is_sent_when_production_settings_ask_for_it() -> None:
    production = Settings(environment="production", **PRODUCTION_KEYS, **api_urls(UNREACHABLE))
    async with visiting(create_app(production)) as visitor:
        answer = await visitor.get("/healthz")
    assert answer.headers["strict-transport-security"].startswith("max-age=31536000")


def test_no_template_runs_inline_script() -> None:
    """The CSP allows only the portal's own script files: an inline one would not run."""
    templates = Path(services.portal.__file__).parent / "templates"
    for template in templates.rglob("*.html"):
        for tag in re.findall(r"<script\b[^>]*>", template.read_text()):
            assert "src=" in tag, f"{template.name}: {tag}"
        assert not re.search(r"\son[a-z]+=", template.read_text()), template.name


async def test_signing_in_again_and_again_from_one_address_is_answered_429() -> None:
    settings = Settings(environment="test", sign_in_requests_per_minute=3, **api_urls(UNREACHABLE))
    async with visiting(create_app(settings)) as visitor:
        answers = [await visitor.post("/sign-in", data={"user": "admin"}) for _ in range(4)]
    assert [answer.status_code for answer in answers] == [303, 303, 303, 429]
    assert 1 <= int(answers[-1].headers["retry-after"]) <= 20
    assert "Too many attempts" in answers[-1].text


async def test_a_provider_that_does_not_answer_gives_the_problem_page_not_a_crash() -> None:
    settings = Settings(
        environment="test",
        oidc_issuer=UNREACHABLE,
        oidc_client_id="portal",
        **api_urls(UNREACHABLE),
    )
    async with visiting(create_app(settings)) as visitor:
        answer = await visitor.get("/sign-in/provider")
    assert answer.status_code == 503
    assert "Sorry, there is a problem with the service" in answer.text


def test_a_provider_without_the_portals_client_id_is_refused() -> None:
    with pytest.raises(ValueError, match="oidc_client_id"):
        Settings(environment="test", oidc_issuer="https://login.example.org", **api_urls())
