"""What every service's HTTP API shares: health, readiness, error mapping, auth, tracing."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, FastAPI, HTTPException, Request, Response, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared import unique
from shared.audit import act_for, one_request
from shared.auth import InvalidToken, Principal, Role, TokenVerifier
from shared.correlation import REFUSED, acceptable, correlated
from shared.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    TooLarge,
    Unavailable,
)
from shared.http_body_limit import BodyLimit, BodyTooLarge
from shared.messaging.alarms import delivery_alarms
from shared.messaging.connection import connect_once, shown_servers
from shared.messaging.parts import Health, health_answer
from shared.messaging.tables import MessagingTables
from shared.readiness import readiness
from shared.settings import ServiceSettings
from shared.telemetry import request_spans, tracer_provider

log = logging.getLogger(__name__)

T = TypeVar("T")

STATUS_OF: dict[type[DomainError], int] = {
    NotFound: 404,
    Conflict: 409,
    Invalid: 422,
    Forbidden: 403,
    TooLarge: 413,
    Unavailable: 503,
}


class FieldProblem(BaseModel):
    field: str
    message: str
    line: int | None = Field(None, description="the line of an uploaded file at fault")


class Problem(BaseModel):
    """Why a request was refused; `field` names the input at fault (the first, if several are)."""

    detail: str
    field: str | None = None
    errors: list[FieldProblem] = []
    code: str | None = Field(
        None, description="for a refusal a caller may act on, its reason in a word (given then)"
    )


REFUSALS: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "description": meaning}
    for status, meaning in {
        401: "No valid bearer token",
        403: "The token's role or school may not do this",
        404: "Nothing by that id (or not the asker's to see)",
        409: "The request clashes with the current state",
        413: "The body, or an event the change would make, is too large",
        422: "An input breaks its bounds or a rule of the business",
    }.items()
}
"""What every operation may answer besides success, documented once for every service."""

_bearer = HTTPBearer(auto_error=False, description="A JWT whose claims carry `role` (and `urn`)")


def require(*roles: Role) -> Callable[..., Coroutine[Any, Any, Principal]]:
    """A dependency that admits a signed-in user whose role is one of `roles`."""

    async def principal(
        request: Request,
        credentials: HTTPAuthorizationCredentials | None,
    ) -> Principal:
        if credentials is None:
            raise HTTPException(401, "a bearer token is required", {"WWW-Authenticate": "Bearer"})
        verifier: TokenVerifier = request.app.state.verifier
        try:
            user = verifier.verify(credentials.credentials)
        except InvalidToken as error:
            raise HTTPException(
                401, f"invalid token: {error}", {"WWW-Authenticate": "Bearer"}
            ) from error
        if user.role not in roles:
            allowed = ", ".join(role.value for role in roles)
            raise HTTPException(
                403, f"role '{user.role.value}' may not do this (allowed: {allowed})"
            )
        act_for(user)  # what this request changes is audited as this user's
        return user

    # The roles go into the OpenAPI as the bearer scheme's scopes: it says who may call what.
    # (Set here, not in the signature, because a postponed annotation cannot see `roles`.)
    principal.__annotations__["credentials"] = Annotated[
        HTTPAuthorizationCredentials | None, Security(_bearer, scopes=[r.value for r in roles])
    ]
    return principal


def service_api(
    *,
    settings: ServiceSettings,
    title: str,
    description: str,
    engine: AsyncEngine,
    asyncapi: Callable[[], str],
    routers: list[APIRouter],
    tables: MessagingTables | None = None,
    background: Callable[[], AbstractAsyncContextManager[object]] = nullcontext,
    health: Health = list,
) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with background():
            yield
        await engine.dispose()

    app = FastAPI(
        title=title,
        description=description,
        version="1",
        lifespan=lifespan,
        telemetry=request_spans(
            tracer_provider(settings.service_name, settings.otel_exporter),
        ),
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.verifier = TokenVerifier(secret=settings.jwt_secret, jwks_url=settings.jwt_jwks_url)
    install_error_handlers(app)
    app.include_router(_health_router(settings, engine, tables, health))
    app.add_api_route(
        "/asyncapi.json",
        lambda: Response(asyncapi(), media_type="application/json"),
        include_in_schema=False,
    )
    for router in routers:
        app.include_router(router, responses=REFUSALS)

    app.add_middleware(BodyLimit)
    app.add_middleware(Correlation)
    return app


class Correlation:
    """Every request runs under the caller's `X-Correlation-Id` (or a new one), which its
    answer carries back. A plain ASGI middleware: the per-request cost of Starlette's
    `BaseHTTPMiddleware` (a task and memory streams per request) showed in the order path."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        asked = Headers(scope=scope).get("x-correlation-id")
        if asked is not None and not acceptable(asked):
            refusal = {"detail": REFUSED, "field": "x-correlation-id"}
            await JSONResponse(refusal, status_code=400)(scope, receive, send)
            return
        with correlated(asked) as correlation_id, one_request():

            async def answer(message: Message) -> None:
                if message["type"] == "http.response.start":
                    MutableHeaders(scope=message)["x-correlation-id"] = correlation_id
                await send(message)

            await self.app(scope, receive, answer)


def _health_router(
    settings: ServiceSettings, engine: AsyncEngine, tables: MessagingTables | None, stopped: Health
) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz")
    async def healthz() -> JSONResponse:
        """Liveness: the process answers, and no part of it that should run (its outbox relay)
        has died; 503 naming the parts that have."""
        status, body = health_answer(stopped())
        return JSONResponse(body, status_code=status)

    @router.get("/readyz")
    async def readyz() -> JSONResponse:
        """Readiness: the database and NATS both answer, each within the readiness bound (one
        that does not is named in `unanswered`). Events that cannot move (parked after their
        last delivery, or refused by NATS) make it `degraded`, still ready to serve."""
        bound, who = settings.readiness_timeout_seconds, f"{settings.service_name} /readyz:"
        (alarms, database_answered), (nats, nats_answered) = await asyncio.gather(
            _answer_within(bound, _database_alarms(engine, tables), what=f"{who} its database"),
            _answer_within(
                bound,
                _nats_answers(settings.nats_url),
                what=f"{who} its nats at {shown_servers(settings.nats_url)}",
            ),
        )
        answers = {
            "database": alarms is not None if database_answered else None,
            "nats": nats is not None if nats_answered else None,
        }
        body = readiness(answers, who=settings.service_name, bound=bound)
        ready = body["status"] == "ready"
        if alarms:
            body["alarms"] = alarms
            body["status"] = "degraded" if ready else body["status"]
        return JSONResponse(body, status_code=200 if ready else 503)

    return router


async def _answer_within(
    seconds: float, check: Awaitable[T], *, what: str
) -> tuple[T | None, bool]:
    """What `check` answered (None if it failed, logged with why: a database down and one not
    yet migrated both read `false`) and whether it answered within `seconds`."""
    try:
        return await asyncio.wait_for(check, seconds), True
    except TimeoutError:
        return None, False
    except Exception as error:
        log.warning("%s refused: %r", what, error)
        return None, True


async def _database_alarms(engine: AsyncEngine, tables: MessagingTables | None) -> list[str]:
    """The delivery alarms, read once the database has answered."""
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
    return await delivery_alarms(engine, tables) if tables is not None else []


async def _nats_answers(nats_url: str) -> bool:
    connection = await connect_once(nats_url, timeout=1, refused_at_once=True)
    await connection.close()
    return True


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(OperationalError)
    async def database_busy(_request: Request, error: OperationalError) -> JSONResponse:
        # SQLite (the local default) lets one writer in at a time; past the busy timeout the
        # honest answer is "try again shortly", not a 500. Anything else is a real fault.
        if "database is locked" not in str(error.orig):
            raise error
        return JSONResponse(
            {"detail": "the database is busy; try again shortly"},
            status_code=503,
            headers={"Retry-After": "1"},
        )

    @app.exception_handler(IntegrityError)
    async def clashed_with_another(_request: Request, error: IntegrityError) -> JSONResponse:
        # A value already in use, one a handler did not check, or two requests at once that
        # both found it free (on PostgreSQL, under READ COMMITTED): refused as a check would
        # have refused it. A handler that knows the key says so itself (`unique.taken_as`);
        # any other broken constraint is a real fault.
        if not unique.clashed(error):
            raise error
        column = unique.clashing_column(error)
        what = f"that {column}" if column else "a value that must be unique"
        return JSONResponse({"detail": f"{what} is already in use", "field": column}, 409)

    @app.exception_handler(BodyTooLarge)
    async def body_too_large(_request: Request, error: BodyTooLarge) -> JSONResponse:
        return JSONResponse({"detail": error.detail, "field": "body"}, status_code=413)

    @app.exception_handler(DomainError)
    async def domain_error(_request: Request, error: DomainError) -> JSONResponse:
        status = next((code for kind, code in STATUS_OF.items() if isinstance(error, kind)), 400)
        said = {"detail": error.message, "field": error.field}
        if error.code:
            said["code"] = error.code
        return JSONResponse(said, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, error: RequestValidationError) -> JSONResponse:
        problems = [
            {"field": _field_path(problem["loc"]), "message": problem["msg"]}
            for problem in error.errors()
        ]
        summary = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        first = problems[0]["field"] if problems else None
        return JSONResponse(
            {"detail": summary, "field": first, "errors": problems}, status_code=422
        )


def _field_path(location: tuple[Any, ...] | list[Any]) -> str:
    parts = list(location)
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
    return ".".join(str(part) for part in parts) or "body"
