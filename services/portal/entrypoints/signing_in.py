"""Signing in as one of the demo users, signing out, and each role's home page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.entrypoints.rendering import error_page, form_of, render, see_other
from services.portal.entrypoints.session import current_user, sign_in, sign_out
from services.portal.users import DEMO_USERS, demo_user, home_of

router = APIRouter()

DEMO_SIGN_IN_OFF = (
    "signing in as a demo user is switched off here (PORTAL_DEMO_SIGN_IN), and signing in with"
    " your organisation's account is not set up yet"
)


@router.get("/")
async def home(request: Request) -> Response:
    user = current_user(request)
    return see_other(home_of(user.role) if user else "/sign-in")


@router.get("/sign-in")
async def sign_in_page(request: Request, next: str = "") -> Response:
    if not request.app.state.settings.demo_sign_in:
        return error_page(request, 403, [DEMO_SIGN_IN_OFF])
    return render(request, "sign_in.html", users=DEMO_USERS, next=_local(next), error=None)


@router.post("/sign-in")
async def sign_in_as(request: Request) -> Response:
    if not request.app.state.settings.demo_sign_in:
        return error_page(request, 403, [DEMO_SIGN_IN_OFF])
    form = await form_of(request)
    user = demo_user(form.get("user", ""))
    if user is None:
        return render(
            request,
            "sign_in.html",
            status_code=422,
            users=DEMO_USERS,
            next=_local(form.get("next", "")),
            error="Select who you are signing in as",
        )
    sign_in(request, user)
    return see_other(_local(form.get("next", "")) or home_of(user.role))


@router.post("/sign-out")
async def sign_out_now(request: Request) -> Response:
    sign_out(request)
    return see_other("/sign-in")


def _local(path: str) -> str:
    """Only a path on this site: a sign-in link must not send anyone elsewhere afterwards."""
    return path if path.startswith("/") and not path.startswith("//") else ""
