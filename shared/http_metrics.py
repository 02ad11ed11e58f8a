"""HTTP metrics for an app: each request counted and timed by route template and status, and
`GET /metrics` for Prometheus."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared import metrics

Sample = Callable[[], Awaitable[None]]


def install_metrics(app: FastAPI, *, service: str, sample: Sample | None = None) -> None:
    """Count `app`'s requests, and serve /metrics; `sample` reads the figures that are read,
    not counted, just before each scrape."""

    async def scrape() -> Response:
        if sample is not None:
            await sample()
        body, content_type = metrics.exposition()
        return Response(body, media_type=content_type)

    app.add_api_route("/metrics", scrape, include_in_schema=False)
    app.add_middleware(HttpMetrics, service=service)


class HttpMetrics:
    """A plain ASGI middleware (it sees the route FastAPI matched once the app has answered).
    A path no route matches is counted as `unmatched`, so that probing for pages cannot grow
    the number of series without bound."""

    def __init__(self, app: ASGIApp, *, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the caller gets if the app raises before answering

        async def remember_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, remember_status)
        finally:
            metrics.http_answered(
                service=self.service,
                method=scope["method"],
                route=_route_template(scope),
                status=status,
                seconds=time.perf_counter() - started,
            )


def _route_template(scope: Scope) -> str:
    route: Any = scope.get("route")
    if route is not None:
        return str(route.path)
    if scope.get("endpoint") is not None and scope.get("root_path"):
        return f"{scope['root_path']}/{{path}}"  # a mounted app, such as the static files
    return "unmatched"
