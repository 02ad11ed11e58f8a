"""The portal in this test process, calling the in-process platform's APIs through their ASGI
apps, and a browser-less way to read its pages."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from services.portal.bootstrap import create_app
from services.portal.config import Settings
from tests.support.platform import Platform


@asynccontextmanager
async def portal_client(platform: Platform) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(environment="test"), clients=platform.clients)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://portal") as client:
        yield client


async def sign_in(client: httpx.AsyncClient, user: str) -> None:
    answer = await client.post("/sign-in", data={"user": user})
    assert answer.status_code == 303, answer.text


def text_of(page: str) -> str:
    """The words on a page, markup and runs of white space removed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).strip()
