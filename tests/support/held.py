"""Outside parties slow to answer: ways to them that a test holds shut. Each request waits at
the gate until the test opens it, then goes on as it came."""

from __future__ import annotations

import asyncio
import json
from types import TracebackType
from typing import Self

import aiohttp
import httpx
from aiohttp import web

from services.orders.adapters.stripe_gateway import StripeGateway
from services.orders.config import LOCAL_STRIPE_KEY, LOCAL_WEBHOOK_SECRET
from tests.support.nats_server import free_port

_NOT_FORWARDED = {"host", "content-length", "transfer-encoding", "content-encoding", "connection"}


class Gate:
    def __init__(self) -> None:
        self.asked = asyncio.Event()  # a request is waiting at the gate
        self.waiting = 0
        self._open = asyncio.Event()

    def release(self) -> None:
        """Open the gate: what waits goes on, and what comes later passes straight through."""
        self._open.set()

    async def wait(self) -> None:
        self.asked.set()
        self.waiting += 1
        try:
            await self._open.wait()
        finally:
            self.waiting -= 1


class HeldTransport(httpx.AsyncBaseTransport):
    """An HTTP client's way to a service (the catalogue, say), held at a gate."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner
        self.gate = Gate()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await self.gate.wait()
        return await self._inner.handle_async_request(request)


class HeldStripe(Gate):
    """A way to localstripe, held at a gate; each payment created is noted, so that a test can
    look at it in localstripe afterwards."""

    def __init__(self, upstream: str) -> None:
        super().__init__()
        self._upstream = upstream
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.payments_created: list[str] = []
        self._runner: web.AppRunner | None = None
        self._client: aiohttp.ClientSession | None = None

    def gateway(self, *, timeout_seconds: float = 10.0) -> StripeGateway:
        """Orders' own gateway, asking Stripe through this way."""
        return StripeGateway(
            secret_key=LOCAL_STRIPE_KEY,
            webhook_secret=LOCAL_WEBHOOK_SECRET,
            api_base=self.url,
            timeout_seconds=timeout_seconds,
        )

    async def __aenter__(self) -> Self:
        self._client = aiohttp.ClientSession()
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._forward)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
        if self._runner is not None:
            await self._runner.cleanup()
        if self._client is not None:
            await self._client.close()

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._client is not None
        await self.wait()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _NOT_FORWARDED}
        async with self._client.request(
            request.method,
            f"{self._upstream}{request.path_qs}",
            headers=headers,
            data=await request.read(),
        ) as answer:
            body = await answer.read()
            if request.method == "POST" and request.path == "/v1/payment_intents":
                self.payments_created.append(json.loads(body)["id"])
            return web.Response(
                status=answer.status,
                body=body,
                headers={
                    k: v for k, v in answer.headers.items() if k.lower() not in _NOT_FORWARDED
                },
            )


class RefusingStripe(HeldStripe):
    """A way to localstripe, open, on which Stripe refuses every refund for good, as it does a
    refund of a charge disputed or already refunded in full (a 400 `invalid_request_error`)."""

    def __init__(self, upstream: str, *, message: str) -> None:
        super().__init__(upstream)
        self.message = message
        self.release()

    async def _forward(self, request: web.Request) -> web.Response:
        if request.method == "POST" and request.path == "/v1/refunds":
            error = {"type": "invalid_request_error", "code": "charge_disputed"}
            return web.json_response({"error": {**error, "message": self.message}}, status=400)
        return await super()._forward(request)
