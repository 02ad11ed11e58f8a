"""The portal in this test process, calling the in-process platform's APIs through their ASGI
apps, and a browser-less way to read its pages."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import httpx
from fastapi import FastAPI

from services.portal.bootstrap import create_app
from services.portal.config import Settings
from services.portal.domain.csrf import FIELD
from services.registry import NAMES
from services.seed import demo
from services.seed.commissioning import seed_commissioning
from services.seed.evaluation import seed_evaluation
from services.seed.ks2_evaluation import earlier_sales
from services.seed.ledger import seed_ledger_history, seed_ledger_register
from shared.clock import Clock
from tests.support.databases import DatabaseFactory
from tests.support.platform import Platform, start_platform


class PortalVisitor(httpx.AsyncClient):
    """A browser-less visitor who posts forms as a browser does from the portal's pages: with
    the session's CSRF token from the form's hidden field."""

    _token: str | None = None
    app: FastAPI  # the portal this visitor talks to

    async def post(  # type: ignore[override]
        self, url: str, *, data: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> httpx.Response:
        token = self._token or await self._token_on_a_form()
        answer = await super().post(url, data={**(data or {}), FIELD: token}, **kwargs)
        if url in ("/sign-in", "/sign-out"):
            self._token = None  # a new session, and with it a new token
        return answer

    async def post_from_another_site(
        self, url: str, data: Mapping[str, str], *, token: str | None = None
    ) -> httpx.Response:
        """What a page elsewhere can make this visitor's browser send: the session cookie
        goes along, but the token is unknown to it (none, or a guess)."""
        fields = {**data, FIELD: token} if token is not None else dict(data)
        headers = {"Origin": "https://elsewhere.example"}
        return await super().post(url, data=fields, headers=headers)

    async def _token_on_a_form(self) -> str:
        # The sign-in page has a form for everyone (and the sign-out button for the signed in).
        page = (await self.get("/sign-in")).text
        found = re.search(rf'name="{FIELD}" value="([^"]+)"', page)
        assert found, "no form on the sign-in page carries a CSRF token"
        self._token = found.group(1)
        return self._token


def visiting(app: FastAPI) -> PortalVisitor:
    """A visitor with a cookie jar of their own, talking to the portal app in this process."""
    visitor = PortalVisitor(transport=httpx.ASGITransport(app=app), base_url="http://portal")
    visitor.app = app
    return visitor


@asynccontextmanager
async def portal_client(
    platform: Platform, *, localstripe_url: str = ""
) -> AsyncIterator[PortalVisitor]:
    settings = Settings(environment="test", localstripe_url=localstripe_url)
    async with visiting(create_app(settings, clients=platform.clients)) as client:
        yield client


@asynccontextmanager
async def signed_in_where_only(
    user: str, answering: Mapping[str, httpx.AsyncClient], *, today: date | None = None
) -> AsyncIterator[PortalVisitor]:
    """The portal signed in as `user`, where only the services `answering` answer (each name
    with its API's client), its clock on `today` if given."""
    nobody = httpx.AsyncClient(base_url="http://nobody.invalid")
    clients = {name: nobody for name in NAMES} | dict(answering)
    app = create_app(Settings(environment="test"), clients=clients)
    if today is not None:
        app.state.clock = Clock(today)
    try:
        async with visiting(app) as client:
            await sign_in(client, user)
            yield client
    finally:
        await nobody.aclose()


async def sign_in(client: httpx.AsyncClient, user: str) -> None:
    answer = await client.post("/sign-in", data={"user": user})
    assert answer.status_code == 303, answer.text


def text_of(page: str) -> str:
    """The words on a page, markup and runs of white space removed."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).strip())


@asynccontextmanager
async def seeded_platform(
    databases: DatabaseFactory,
    nats_url: str,
    *,
    localstripe_url: str = "",
    settings: Mapping[str, Any] | None = None,
) -> AsyncIterator[Platform]:
    """The platform with the demo catalogue, the LA's contract, cases and categories, the
    evaluation programmes and networks, the ledger's schools register and earlier sales: what a person finds
    after `schools-platform seed`. Orders asks the catalogue for quotes in this process, and
    takes card payments through localstripe if given; `settings` are every service's."""
    running = await start_platform(
        databases, nats_url, localstripe_url=localstripe_url, settings=settings
    )
    try:
        await demo.seed_catalogue(running.services["catalogue"])
        await seed_commissioning(running.services["commissioning"], Clock().today())
        await seed_evaluation(running.services["evaluation"], running.services["catalogue"])
        await seed_ledger_register(running.services["ledger"])
        history = await earlier_sales(running.services["catalogue"])
        await seed_ledger_history(running.services["ledger"], history)
        yield running
    finally:
        await running.close()


def error_summary_links(page: str) -> dict[str, str]:
    """The error summary's links: the field each points to, and what it says."""
    return {
        field: html.unescape(re.sub(r"\s+", " ", message).strip())
        for field, message in re.findall(r'<li>\s*<a href="#([^"]+)">([^<]+)</a>\s*</li>', page)
    }


@asynccontextmanager
async def signed_in_portal(
    platform: Platform, user: str, *, localstripe_url: str = ""
) -> AsyncIterator[PortalVisitor]:
    """A browser-less visitor of its own (its own session cookie) signed in as a demo user."""
    async with portal_client(platform, localstripe_url=localstripe_url) as client:
        await sign_in(client, user)
        yield client


async def assert_forbidden(platform: Platform, user: str, page: str) -> None:
    """The user's role does not reach this page: the 403 page, and nothing of the page."""
    async with signed_in_portal(platform, user) as visitor:
        answer = await visitor.get(page)
    assert answer.status_code == 403, page
    assert "You cannot see this page" in answer.text


def date_fields(field: str, on: date) -> dict[str, str]:
    """A GOV.UK date input's three boxes, filled in with a date."""
    return {
        f"{field}-day": str(on.day),
        f"{field}-month": str(on.month),
        f"{field}-year": str(on.year),
    }
