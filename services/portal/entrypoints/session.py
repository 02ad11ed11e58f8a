"""Who is signed in: the session cookie holds the person (a demo user or one from the OpenID
provider), the bearer token minted for them, which every API call forwards, and when the
session ends. A new session (and CSRF token) starts at each sign-in."""

from __future__ import annotations

import time
from collections.abc import Callable, Coroutine
from dataclasses import asdict, dataclass
from typing import Any

from fastapi import Request

from services.portal.adapters.apis import Apis
from services.portal.users import User
from shared.auth import Role, issue_token


class NotSignedIn(Exception):
    """Answered with a redirect to the sign-in page."""


class NotAllowed(Exception):
    """Answered with the 403 page."""


@dataclass(frozen=True)
class SignedIn:
    user: User
    apis: Apis

    @property
    def urn(self) -> int:
        assert self.user.urn is not None, "only a school user has a URN"
        return self.user.urn

    @property
    def trust(self) -> str:
        assert self.user.trust is not None, "only a trust buyer has a trust"
        return self.user.trust


def now(request: Request) -> float:
    """The session clock: the system's, unless a test moves it on (app.state.now)."""
    clock: Callable[[], float] = getattr(request.app.state, "now", time.time)
    return clock()


def sign_in(request: Request, user: User, *, subject: str) -> None:
    """`subject` is who the services will see (in their tokens, and so in their records)."""
    settings = request.app.state.settings
    request.session.clear()
    request.session["user"] = asdict(user)
    request.session["ends_at"] = now(request) + settings.session_max_age_seconds
    request.session["token"] = issue_token(
        secret=settings.jwt_secret,
        subject=subject,
        role=user.role,
        urn=user.urn,
        trust=user.trust,
        ttl_seconds=settings.session_max_age_seconds,
    )


def sign_out(request: Request) -> None:
    request.session.clear()


def current_user(request: Request) -> User | None:
    """None when nobody has signed in, or their session has ended (which then ends here)."""
    found = request.session.get("user")
    if not isinstance(found, dict):
        return None
    if now(request) >= float(request.session.get("ends_at", 0)):
        request.session.clear()
        return None
    return User(
        found["id"], found["name"], Role(found["role"]), found.get("urn"), found.get("trust")
    )


def signed_in(*roles: Role) -> Callable[[Request], Coroutine[Any, Any, SignedIn]]:
    """A dependency admitting a signed-in user whose role is one of `roles`."""

    async def dependency(request: Request) -> SignedIn:
        user, token = current_user(request), request.session.get("token")
        if user is None or not token:
            raise NotSignedIn()
        if user.role not in roles:
            raise NotAllowed()
        return SignedIn(user=user, apis=Apis.as_user(request.app.state.clients, token))

    return dependency
