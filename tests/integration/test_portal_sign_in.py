"""Signing in to the portal through a real OpenID Connect provider (a server on its own
thread, spoken to over HTTP): the authorization code flow with PKCE, the person's role and
school from their claims or the portal's table, and refusals that sign nobody in."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI
from itsdangerous import TimestampSigner

from services.portal.bootstrap import create_app
from services.portal.config import DEVELOPMENT_SESSION_SECRET, Settings
from shared.auth import Principal, Role, TokenVerifier
from shared.settings import DEVELOPMENT_JWT_SECRET
from tests.support.oidc_provider import Provider, oidc_provider
from tests.support.portal_pages import PortalVisitor, visiting
from tests.support.portal_settings import api_urls

UNREACHABLE = "http://127.0.0.1:9"  # no service is asked anything here


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with oidc_provider() as running:
        yield running


@pytest.fixture
def app(provider: Provider) -> FastAPI:
    settings = Settings(environment="test", **api_urls(UNREACHABLE), **provider.portal_settings())
    return create_app(settings)


@pytest.fixture
async def portal(app: FastAPI) -> AsyncIterator[PortalVisitor]:
    async with visiting(app) as client:
        yield client


async def sign_in_at_provider(
    portal: PortalVisitor, subject: str, next: str = ""
) -> httpx.Response:
    """As a browser does: to the provider's sign-in page, typing who one is, and back."""
    started = await portal.get("/sign-in/provider", params={"next": next} if next else None)
    assert started.status_code == 302, started.text
    authorize = started.headers["location"]
    async with httpx.AsyncClient() as browser:
        assert (await browser.get(authorize)).status_code == 200  # the provider's own page
        sent_back = await browser.post(authorize, data={"sub": subject})
    assert sent_back.status_code == 302, sent_back.text
    return await portal.get(sent_back.headers["location"])


def principal_of(portal: PortalVisitor) -> Principal:
    """The bearer token the portal forwards to the services for this visitor."""
    payload = TimestampSigner(DEVELOPMENT_SESSION_SECRET).unsign(portal.cookies["portal_session"])
    session = json.loads(base64.b64decode(payload))
    return TokenVerifier(secret=DEVELOPMENT_JWT_SECRET).verify(session["token"])


async def test_the_portal_asks_the_provider_for_a_code_with_a_pkce_challenge(
    portal: PortalVisitor, provider: Provider
) -> None:
    started = await portal.get("/sign-in/provider")
    address = urlsplit(started.headers["location"])
    asked = parse_qs(address.query)
    assert f"{address.scheme}://{address.netloc}" == provider.issuer
    assert asked["response_type"] == ["code"]
    assert asked["code_challenge_method"] == ["S256"] and len(asked["code_challenge"][0]) == 43
    assert asked["redirect_uri"] == ["http://portal/sign-in/callback"]
    assert {"state", "nonce"} <= set(asked)


async def test_an_officer_signs_in_at_the_provider_and_lands_where_they_were_going(
    portal: PortalVisitor,
) -> None:
    answer = await sign_in_at_provider(portal, "ann.officer", next="/cases")
    assert (answer.status_code, answer.headers["location"]) == (303, "/cases")
    principal = principal_of(portal)
    assert (principal.subject, principal.role, principal.urn) == (
        "ann.officer",
        Role.LA_OFFICER,
        None,
    )
    assert "Signed in as Ann Officer" in (await portal.get("/sign-in")).text


async def test_a_school_business_manager_gets_their_schools_urn_from_the_claims(
    portal: PortalVisitor,
) -> None:
    answer = await sign_in_at_provider(portal, "bea.bursar")
    assert answer.headers["location"] == "/shop"
    assert (principal_of(portal).role, principal_of(portal).urn) == (Role.SCHOOL, 117083)


async def test_a_person_without_a_role_claim_gets_the_one_in_the_portals_table(
    portal: PortalVisitor,
) -> None:
    answer = await sign_in_at_provider(portal, "fin.table")
    assert answer.headers["location"] == "/finance"
    assert principal_of(portal).role is Role.FINANCE


async def test_a_person_the_portal_gives_no_role_is_refused_and_not_signed_in(
    portal: PortalVisitor,
) -> None:
    answer = await sign_in_at_provider(portal, "no.role")
    assert answer.status_code == 403
    assert "no role in this service" in answer.text
    assert (await portal.get("/orders")).headers["location"] == "/sign-in?next=/orders"


async def test_an_answer_that_belongs_to_no_sign_in_this_browser_started_is_refused(
    app: FastAPI, portal: PortalVisitor
) -> None:
    other = await sign_in_at_provider(portal, "ann.officer")  # a code for another session
    assert other.status_code == 303
    async with visiting(app) as stranger:
        replayed = await stranger.get("/sign-in/callback?code=stolen&state=guessed")
        assert replayed.status_code == 400
        assert "did not complete" in replayed.text
        assert (await stranger.get("/cases")).status_code == 303  # still signed out
