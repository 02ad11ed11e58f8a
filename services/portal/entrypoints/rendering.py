"""Pages rendered from Jinja2 templates, and the error pages every route may end on."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader
from markupsafe import Markup
from starlette.exceptions import HTTPException

from services.portal.adapters.http import ApiError, Download
from services.portal.domain.forms import FormErrors
from services.portal.entrypoints.forgery import Forged, csrf_field
from services.portal.entrypoints.forms import MAX_UPLOAD_BYTES, megabytes
from services.portal.entrypoints.session import NotAllowed, NotSignedIn, current_user
from services.portal.users import MESSAGES, NAVIGATION
from shared.calendar import long_date as in_words
from shared.calendar import rolling_commitment
from shared.clock import in_england, time_and_day
from shared.http_body_limit import BodyTooLarge
from shared.measurements import format_measurement, format_rating
from shared.money import format_pounds

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def long_date(value: date | None) -> str:
    return in_words(value) if value else ""


def error_of(errors: FormErrors | None, field_id: str) -> dict[str, Markup] | None:
    """A field's errors as a GOV.UK macro's `errorMessage`, or None when it has none."""
    messages = errors.messages(field_id) if errors else []
    return {"html": Markup("<br>").join(messages)} if messages else None


def error_links(errors: FormErrors) -> list[dict[str, str]]:
    """The error summary's list: each error linking to its field."""
    return [{"text": error.message, "href": f"#{error.field_id}"} for error in errors.found]


def _templates() -> Jinja2Templates:
    loader = ChoiceLoader(
        [
            FileSystemLoader(TEMPLATES),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    templates = Jinja2Templates(env=Environment(loader=loader, autoescape=True))
    templates.env.filters["pounds"] = format_pounds
    templates.env.filters["measurement"] = format_measurement
    templates.env.filters["rating"] = format_rating
    templates.env.filters["long_date"] = long_date
    templates.env.filters["in_england"] = in_england
    templates.env.filters["time_and_day"] = time_and_day
    templates.env.globals.update(
        error_of=error_of,
        error_links=error_links,
        csrf_field=csrf_field,
        rolling_commitment=rolling_commitment,
    )
    return templates


templates = _templates()


def render(request: Request, template: str, *, status_code: int = 200, **context: Any) -> Response:
    user = current_user(request)
    navigation = (*NAVIGATION[user.role], MESSAGES) if user else ()
    done = request.session.pop("done", None)
    return templates.TemplateResponse(
        request,
        template,
        {"user": user, "navigation": navigation, "done": done, **context},
        status_code=status_code,
    )


def form_page(
    request: Request, template: str, *, form: dict[str, str], errors: FormErrors, **context: Any
) -> Response:
    """A form, blank or sent back with its errors (as a 422, so machines see the refusal too)."""
    status_code = 422 if errors else 200
    return render(request, template, status_code=status_code, form=form, errors=errors, **context)


def tell_next_page(request: Request, heading: str, text: str = "") -> None:
    """A success banner for the page after a redirect (GOV.UK's notification banner)."""
    request.session["done"] = {"heading": heading, "text": text}


async def form_of(request: Request) -> dict[str, str]:
    return {key: str(value).strip() for key, value in (await request.form()).items()}


def download(file: Download) -> Response:
    """A file an API served (CSV, PNG, PDF), passed on to the browser with its name."""
    headers = {"Content-Disposition": file.disposition} if file.disposition else None
    return Response(file.content, media_type=file.media_type, headers=headers)


def see_other(url: str) -> RedirectResponse:
    """After a successful form post, so that reloading the next page does not post again."""
    return RedirectResponse(url, status_code=303)


ERROR_PAGES = {
    404: ("Page not found", "If you typed the web address, check it is correct."),
    403: ("You cannot see this page", "Your account does not give you access to it."),
    409: ("That could not be done", ""),
    413: ("What you sent is too large", "Go back and send a smaller file."),
    429: ("Too many attempts", "Wait a minute, then try again."),
    422: ("That could not be done", ""),
}
FORGED = (
    "This form was not sent from this service's own page, or your session ended while it was"
    " open. Go back, reload the page and try again."
)
UNAVAILABLE = ("Sorry, there is a problem with the service", "Try again later.")


def error_page(request: Request, status: int, messages: list[str] | None = None) -> Response:
    title, advice = ERROR_PAGES.get(status, UNAVAILABLE)
    return render(
        request,
        "error.html",
        status_code=status if status in ERROR_PAGES else 503,
        title=title,
        advice=advice,
        messages=messages or [],
    )


def install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, _error: NotSignedIn) -> Response:
        return see_other(f"/sign-in?next={request.url.path}")

    @app.exception_handler(NotAllowed)
    async def not_allowed(request: Request, _error: NotAllowed) -> Response:
        return error_page(request, 403)

    @app.exception_handler(Forged)
    async def forged(request: Request, _error: Forged) -> Response:
        return error_page(request, 403, [FORGED])

    @app.exception_handler(BodyTooLarge)
    async def too_large(request: Request, error: BodyTooLarge) -> Response:
        most = f"{megabytes(error.most_bytes)} ({error.most_bytes:,} bytes)"
        rule = f"a CSV file must be smaller than {megabytes(MAX_UPLOAD_BYTES)}"
        return error_page(request, 413, [f"This service takes at most {most} in one form: {rule}."])

    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> Response:
        if error.status == 401:
            return see_other(f"/sign-in?next={request.url.path}")
        messages = [p.message for p in error.problems] if error.status in (409, 422) else []
        return error_page(request, error.status, messages)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        status = error.status_code if error.status_code in ERROR_PAGES else 404
        page = error_page(request, status)
        page.headers.update(error.headers or {})  # a 429's Retry-After
        return page

    @app.exception_handler(RequestValidationError)
    async def malformed_address(request: Request, _error: RequestValidationError) -> Response:
        # Only a path or query parameter can fail validation here (forms are read by hand):
        # an address such as /orders/not-an-id names nothing.
        return error_page(request, 404)
