"""Who is signed in: the session cookie holds a demo user's id and the bearer token minted for
them, which every API call forwards."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from services.portal.adapters.apis import Apis
from services.portal.users import DemoUser, demo_user
from shared.auth import Role, issue_token


class NotSignedIn(Exception):
    """Answered with a redirect to the sign-in page."""


class NotAllowed(Exception):
    """Answered with the 403 page."""


@dataclass(frozen=True)
class SignedIn:
    user: DemoUser
    apis: Apis

    @property
    def urn(self) -> int:
        assert self.user.urn is not None, "only a school user has a URN"
        return self.user.urn

    @property
    def trust(self) -> str:
        assert self.user.trust is not None, "only a trust buyer has a trust"
        return self.user.trust


def sign_in(request: Request, user: DemoUser) -> None:
    settings = request.app.state.settings
    request.session.clear()
    request.session["user"] = user.id
    request.session["token"] = issue_token(
        secret=settings.jwt_secret,
        subject=f"demo-{user.id}",
        role=user.role,
        urn=user.urn,
        trust=user.trust,
        ttl_seconds=settings.session_max_age_seconds,
    )


def sign_out(request: Request) -> None:
    request.session.clear()


def current_user(request: Request) -> DemoUser | None:
    return demo_user(request.session.get("user", ""))


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
