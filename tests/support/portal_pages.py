"""The portal in this test process, calling the in-process platform's APIs through their ASGI
apps, and a browser-less way to read its pages."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

import httpx

from services.orders.adapters.stripe_gateway import StripeGateway
from services.orders.config import LOCAL_STRIPE_KEY, LOCAL_WEBHOOK_SECRET
from services.portal.bootstrap import create_app
from services.portal.config import Settings
from services.seed import demo
from services.seed.commissioning import seed_commissioning
from services.seed.evaluation import seed_evaluation
from services.seed.ledger import seed_ledger_register
from tests.support.databases import DatabaseFactory
from tests.support.platform import Platform, start_platform


@asynccontextmanager
async def portal_client(
    platform: Platform, *, localstripe_url: str = ""
) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(environment="test", localstripe_url=localstripe_url)
    app = create_app(settings, clients=platform.clients)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://portal") as client:
        yield client


async def sign_in(client: httpx.AsyncClient, user: str) -> None:
    answer = await client.post("/sign-in", data={"user": user})
    assert answer.status_code == 303, answer.text


def text_of(page: str) -> str:
    """The words on a page, markup and runs of white space removed."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).strip())


@asynccontextmanager
async def seeded_platform(
    databases: DatabaseFactory, nats_url: str, *, localstripe_url: str = ""
) -> AsyncIterator[Platform]:
    """The platform with the demo catalogue, the LA's contract, cases and categories, the
    evaluation programmes and networks, and the ledger's schools register: what a person finds
    after `schools-platform seed`. Orders asks the catalogue for quotes in this process, and
    takes card payments through localstripe if given."""
    running = await start_platform(databases, nats_url)
    orders = running.apps["orders"]
    if localstripe_url:
        orders.state.gateway = StripeGateway(
            secret_key=LOCAL_STRIPE_KEY,
            webhook_secret=LOCAL_WEBHOOK_SECRET,
            api_base=localstripe_url,
        )
    try:
        await demo.seed_catalogue(running.services["catalogue"])
        await seed_commissioning(running.services["commissioning"], date.today())
        await seed_evaluation(running.services["evaluation"], running.services["catalogue"])
        await seed_ledger_register(running.services["ledger"])
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
) -> AsyncIterator[httpx.AsyncClient]:
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
