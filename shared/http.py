"""What every service's HTTP API shares: health, readiness, error mapping, auth, tracing."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.auth import InvalidToken, Principal, Role, TokenVerifier
from shared.correlation import correlated
from shared.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, Unavailable
from shared.messaging.connection import connect_once
from shared.settings import ServiceSettings
from shared.telemetry import tracer_provider

STATUS_OF: dict[type[DomainError], int] = {
    NotFound: 404,
    Conflict: 409,
    Invalid: 422,
    Forbidden: 403,
    Unavailable: 503,
}

_bearer = HTTPBearer(auto_error=False, description="A JWT whose claims carry `role` (and `urn`)")


def require(*roles: Role) -> Callable[..., Coroutine[Any, Any, Principal]]:
    """A dependency that admits a signed-in user whose role is one of `roles`."""

    async def principal(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
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
        return user

    return principal


def service_api(
    *,
    settings: ServiceSettings,
    title: str,
    description: str,
    engine: AsyncEngine,
    asyncapi: Callable[[], str],
    routers: list[APIRouter],
) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    app = FastAPI(title=title, description=description, version="1", lifespan=lifespan)
    app.state.settings = settings
    app.state.engine = engine
    app.state.verifier = TokenVerifier(secret=settings.jwt_secret, jwks_url=settings.jwt_jwks_url)
    _install_error_handlers(app)
    app.include_router(_health_router(engine, settings.nats_url))
    app.add_api_route(
        "/asyncapi.json",
        lambda: Response(asyncapi(), media_type="application/json"),
        include_in_schema=False,
    )
    for router in routers:
        app.include_router(router)

    @app.middleware("http")
    async def correlation(request: Request, call_next: Callable[..., Any]) -> Any:
        with correlated(request.headers.get("x-correlation-id")) as correlation_id:
            response = await call_next(request)
            response.headers["x-correlation-id"] = correlation_id
            return response

    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=tracer_provider(settings.service_name, settings.otel_exporter),
        excluded_urls="healthz,readyz,metrics",
    )
    return app


def _health_router(engine: AsyncEngine, nats_url: str) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    @router.get("/readyz")
    async def readyz() -> JSONResponse:
        """Readiness: the database and NATS both answer."""
        checks = {"database": await _database_ok(engine), "nats": await _nats_ok(nats_url)}
        ready = all(checks.values())
        body = {"status": "ready" if ready else "not ready", **checks}
        return JSONResponse(body, status_code=200 if ready else 503)

    return router


async def _database_ok(engine: AsyncEngine) -> bool:
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


async def _nats_ok(nats_url: str) -> bool:
    try:
        connection = await connect_once(nats_url, timeout=1)
    except Exception:
        return False
    await connection.close()
    return True


def _install_error_handlers(app: FastAPI) -> None:
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

    @app.exception_handler(DomainError)
    async def domain_error(_request: Request, error: DomainError) -> JSONResponse:
        status = next((code for kind, code in STATUS_OF.items() if isinstance(error, kind)), 400)
        return JSONResponse({"detail": error.message, "field": error.field}, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, error: RequestValidationError) -> JSONResponse:
        problems = [
            {"field": _field_path(problem["loc"]), "message": problem["msg"]}
            for problem in error.errors()
        ]
        summary = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        return JSONResponse({"detail": summary, "errors": problems}, status_code=422)


def _field_path(location: tuple[Any, ...] | list[Any]) -> str:
    parts = list(location)
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
    return ".".join(str(part) for part in parts) or "body"
