"""Every post must carry the session's CSRF token; every page's forms are given it."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import Request
from markupsafe import Markup, escape

from services.portal.domain.csrf import FIELD, genuine, new_token

SESSION_KEY = "csrf"


class Forged(Exception):
    """A post without the session's token: answered with 403, and nothing is done."""


def csrf_token(request: Request) -> str:
    """The session's token, made on first need (a page with a form)."""
    token = request.session.get(SESSION_KEY)
    if not token:
        token = request.session[SESSION_KEY] = new_token()
    return str(token)


def csrf_field(request: Request) -> Markup:
    """The hidden field every form of the portal carries."""
    return Markup(f'<input type="hidden" name="{FIELD}" value="{escape(csrf_token(request))}">')


async def refuse_forged_posts(request: Request) -> AsyncIterator[None]:
    """An app-wide dependency: runs before every route, so no form can forget it. The form is
    read here once (Starlette keeps it for the route that reads it next) and closed here once
    the request is answered, however it is: an uploaded file over 1 MB is spooled to disk, and
    is otherwise left there until the garbage collector comes to it."""
    if request.method != "POST":
        yield
        return
    async with request.form() as form:
        sent = form.get(FIELD)
        if not genuine(request.session.get(SESSION_KEY), sent if isinstance(sent, str) else None):
            raise Forged()
        yield
