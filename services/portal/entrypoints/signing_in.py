"""Signing in (through the organisation's OpenID Connect provider, or as a demo user where
that is switched on), signing out, and each role's home page."""

from __future__ import annotations

import httpx
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from services.portal.adapters.oidc import OAuthError, provider_of
from services.portal.claims import ClaimNames, user_from_claims
from services.portal.config import Settings
from services.portal.entrypoints.rendering import error_page, form_of, render, see_other
from services.portal.entrypoints.session import current_user, sign_in, sign_out
from services.portal.users import DEMO_USERS, demo_user, home_of
from shared.http_rate_limit import limited

router = APIRouter()

DEMO_OFF = "signing in as a demo user is switched off here (PORTAL_DEMO_SIGN_IN)"
NO_WAY_IN = (
    "signing in as a demo user is switched off here (PORTAL_DEMO_SIGN_IN), and signing in with"
    " your organisation's account is not set up yet (PORTAL_OIDC_ISSUER)"
)
NO_ROLE = (
    "your account has no role in this service yet: ask the platform administrator to give you one"
)
NOT_COMPLETED = "Signing in with your organisation's account did not complete: try again"
AFTER_SIGN_IN = "after_sign_in"

RATE_LIMITED = [
    Depends(limited("sign_in", lambda request: settings_of(request).sign_in_requests_per_minute))
]


def settings_of(request: Request) -> Settings:
    found: Settings = request.app.state.settings
    return found


@router.get("/")
async def home(request: Request) -> Response:
    user = current_user(request)
    return see_other(home_of(user.role) if user else "/sign-in")


@router.get("/sign-in")
async def sign_in_page(request: Request, next: str = "") -> Response:
    return _sign_in_page(request, next=_local(next))


@router.post("/sign-in", dependencies=RATE_LIMITED)
async def sign_in_as(request: Request) -> Response:
    if not settings_of(request).demo_sign_in:
        return error_page(request, 403, [DEMO_OFF])
    form = await form_of(request)
    user = demo_user(form.get("user", ""))
    if user is None:
        error = "Select who you are signing in as"
        return _sign_in_page(request, next=_local(form.get("next", "")), error=error)
    sign_in(request, user, subject=f"demo-{user.id}")
    return see_other(_local(form.get("next", "")) or home_of(user.role))


@router.get("/sign-in/provider", dependencies=RATE_LIMITED)
async def sign_in_with_provider(request: Request, next: str = "") -> Response:
    """The first leg: off to the provider's sign-in page."""
    provider = provider_of(request)
    if provider is None:
        return error_page(request, 404)
    request.session[AFTER_SIGN_IN] = _local(next)
    callback = settings_of(request).oidc_redirect_url or str(request.url_for("signed_in_by"))
    try:
        return await provider.send_to_sign_in(request, callback=callback)
    except httpx.HTTPError:  # the provider's configuration could not be read
        return error_page(request, 503)


@router.get("/sign-in/callback", name="signed_in_by", dependencies=RATE_LIMITED)
async def signed_in_by_provider(request: Request) -> Response:
    """The second leg: the provider sends the person back with a code for their ID token."""
    provider = provider_of(request)
    if provider is None:
        return error_page(request, 404)
    try:
        claims = await provider.claims_on_return(request)
    except OAuthError:
        return _sign_in_page(request, next="", error=NOT_COMPLETED, status_code=400)
    except httpx.HTTPError:  # the provider did not answer for the code
        return error_page(request, 503)
    settings = settings_of(request)
    names = ClaimNames(role=settings.oidc_role_claim, urn=settings.oidc_urn_claim)
    user = user_from_claims(claims, names=names, table=settings.oidc_users)
    if user is None:
        sign_out(request)
        return error_page(request, 403, [NO_ROLE])
    after = str(request.session.get(AFTER_SIGN_IN, ""))
    sign_in(request, user, subject=user.id)
    return see_other(_local(after) or home_of(user.role))


@router.post("/sign-out")
async def sign_out_now(request: Request) -> Response:
    sign_out(request)
    return see_other("/sign-in")


def _sign_in_page(
    request: Request, *, next: str, error: str | None = None, status_code: int | None = None
) -> Response:
    settings = settings_of(request)
    with_provider = bool(settings.oidc_issuer)
    if not settings.demo_sign_in and not with_provider:
        return error_page(request, 403, [NO_WAY_IN])
    return render(
        request,
        "sign_in.html",
        status_code=status_code or (422 if error else 200),
        users=DEMO_USERS if settings.demo_sign_in else (),
        with_provider=with_provider,
        next=next,
        error=error,
    )


def _local(path: str) -> str:
    """Only a path on this site: a sign-in link must not send anyone elsewhere afterwards."""
    return path if path.startswith("/") and not path.startswith("//") else ""
