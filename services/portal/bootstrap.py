"""The one place where the portal is wired together.

The portal is not built on `shared.service.Service`: it has no database, no outbox and no
NATS connection. It owns only sessions (a signed cookie) and calls the other services' HTTP
APIs with the signed-in user's bearer token.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from services.portal.config import APIS, Settings
from services.portal.entrypoints import (
    accessibility,
    approvals,
    audit,
    basket,
    books,
    cases,
    catalogue,
    contracts,
    course_sessions,
    finance,
    finance_reports,
    health,
    kpis,
    la_invoices,
    messages,
    networks,
    participants,
    payments,
    prices,
    programmes,
    providers,
    published_results,
    ratings,
    renewals,
    reports,
    schools,
    shop,
    shop_service,
    signing_in,
    support,
    trust,
    variations,
)
from services.portal.entrypoints.forgery import refuse_forged_posts
from services.portal.entrypoints.forms import MAX_POST_BYTES
from services.portal.entrypoints.rendering import install_error_pages
from services.portal.entrypoints.security_headers import SecurityHeaders
from shared.clock import Clock
from shared.http_body_limit import BodyLimit
from shared.http_metrics import install_metrics
from shared.telemetry import UNTRACED, request_spans, traced, tracer_provider

STATIC = Path(__file__).parent / "static"
PAGES = (
    health,
    accessibility,
    audit,
    signing_in,
    shop,
    shop_service,
    basket,
    trust,
    payments,
    renewals,
    ratings,
    contracts,
    la_invoices,
    variations,
    kpis,
    schools,
    cases,
    support,
    finance,
    finance_reports,
    books,
    participants,
    reports,
    published_results,
    programmes,
    networks,
    catalogue,
    prices,
    course_sessions,
    providers,
    messages,
    approvals,
)


def create_app(
    settings: Settings | None = None, clients: Mapping[str, httpx.AsyncClient] | None = None
) -> FastAPI:
    """`clients` (one per service, by name) replaces the HTTP clients the portal would make."""
    settings = settings or Settings()
    own_clients = clients is None
    provider = tracer_provider("portal", settings.otel_exporter)
    # A click is one trace: each call to an API continues the portal's request span.
    api_clients = {
        name: traced(client, provider) for name, client in (clients or _clients(settings)).items()
    }

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if own_clients:
            for client in api_clients.values():
                await client.aclose()

    app = FastAPI(
        title="Schools Company portal",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        dependencies=[Depends(refuse_forged_posts)],
        telemetry=request_spans(provider, untraced=(*UNTRACED, "/static", "/assets")),
    )
    app.state.settings = settings
    app.state.clients = api_clients
    app.state.clock = Clock()  # the portal's today (a demonstration or a test may set it)
    app.add_middleware(BodyLimit, most_bytes=MAX_POST_BYTES)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret,
        session_cookie="portal_session",
        max_age=settings.session_max_age_seconds,
        same_site="lax",
        https_only=bool(settings.session_cookie_secure),
    )
    app.add_middleware(SecurityHeaders, hsts=bool(settings.hsts))
    install_error_pages(app)
    # The GOV.UK Frontend stylesheet asks for its fonts and images under /assets.
    app.mount("/assets", StaticFiles(directory=STATIC / "govuk" / "assets"), name="assets")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in PAGES:
        app.include_router(module.router)
    install_metrics(app, service="portal")
    return app


def _clients(settings: Settings) -> dict[str, httpx.AsyncClient]:
    return {
        name: httpx.AsyncClient(
            base_url=settings.api_url(name), timeout=settings.api_timeout_seconds
        )
        for name in APIS
    }
