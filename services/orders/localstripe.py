"""A local, stateful fake of Stripe for the local run and the tests: `localstripe` from PyPI,
bound to 127.0.0.1 only and started from scratch, with our webhook endpoint registered through
its `/_config/webhooks/` endpoint once it answers. It keeps Stripe's idempotent requests, which
localstripe itself does not: a POST with an Idempotency-Key seen before is answered as it first
was, not carried out again (a card refund asked again after a lost answer is the same refund),
for 24 hours, as Stripe does (a test forgets a key at once through FORGET_KEY).

    python -m services.orders.localstripe --port 8420 \
        --webhook-url http://127.0.0.1:8002/stripe/webhook --webhook-secret whsec_...
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import socket
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from aiohttp import web

WEBHOOK_ID = "orders"
PAYMENT_EVENTS = (
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.canceled",
)


async def register_webhook(api_base: str, *, url: str, secret: str) -> None:
    """Tell localstripe where to post signed events (it has no webhook endpoints API)."""
    async with httpx.AsyncClient(base_url=api_base, timeout=5) as client:
        for attempt in range(100):
            try:
                response = await client.post(
                    f"/_config/webhooks/{WEBHOOK_ID}",
                    data={"url": url, "secret": secret, "events[]": list(PAYMENT_EVENTS)},
                )
                response.raise_for_status()
                return
            except httpx.TransportError:
                if attempt == 99:
                    raise
                await asyncio.sleep(0.1)


FORGET_KEY = "/_config/idempotency_keys/forget"  # POST {"key": ...}: as Stripe does after 24 h
KEY_KEPT_SECONDS = 24 * 3600  # Stripe keeps an idempotency key this long after its first use


class IdempotentRequests:
    """Stripe's idempotency, as an aiohttp middleware: the first answer to a POST with an
    Idempotency-Key (a server error aside) is kept, per secret key, and given again to a repeat
    of that request; the key used for another request is refused, as Stripe refuses it. As at
    Stripe, a key is forgotten 24 hours after its first use (a request with it is then carried
    out anew); `forget` forgets one at once, for a test that means to be a day later."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._answered: dict[tuple[str, str], tuple[float, tuple[str, bytes], int, bytes, str]] = {}
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}

    def forget(self, key: str) -> int:
        """Forget this idempotency key (under every secret key); how many were kept."""
        scopes = [scope for scope in self._answered if scope[1] == key]
        for scope in scopes:
            del self._answered[scope]
        return len(scopes)

    async def forget_route(self, request: web.Request) -> web.StreamResponse:
        from aiohttp import web

        key = str((await request.json()).get("key", ""))
        return web.json_response({"forgotten": self.forget(key)})

    def middleware(self) -> Callable[..., Awaitable[web.StreamResponse]]:
        from aiohttp import web

        @web.middleware
        async def middleware(
            request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
        ) -> web.StreamResponse:
            key = request.headers.get("Idempotency-Key")
            if request.method != "POST" or not key:
                return await handler(request)
            scope = (request.headers.get("Authorization", ""), key)
            asked = (request.path, await request.read())
            async with self._locks.setdefault(scope, asyncio.Lock()):  # a repeat waits for it
                kept = self._answered.get(scope)
                if kept is not None and self._clock() - kept[0] >= KEY_KEPT_SECONDS:
                    kept = None  # forgotten, as Stripe forgets it
                if kept is not None:
                    _, first, status, body, content_type = kept
                    if first != asked:
                        return web.json_response(
                            {
                                "error": {
                                    "type": "idempotency_error",
                                    "message": "Keys for idempotent requests can only be used "
                                    "with the same parameters they were first used with.",
                                }
                            },
                            status=400,
                        )
                    return web.Response(
                        status=status,
                        body=body,
                        headers={"Content-Type": content_type, "Idempotent-Replayed": "true"},
                    )
                response = await handler(request)
                if response.status < 500 and isinstance(response, web.Response):
                    body = response.body if isinstance(response.body, bytes) else b""
                    content_type = response.headers.get("Content-Type", "application/json")
                    self._answered[scope] = (
                        self._clock(),
                        asked,
                        response.status,
                        body,
                        content_type,
                    )
                return response

        return middleware


async def serve(port: int, *, webhook_url: str | None, webhook_secret: str | None) -> None:
    from aiohttp import web
    from localstripe import resources
    from localstripe.server import app

    # Its store pickles itself to one shared file in /tmp on every change: keep it in memory.
    resources.Store.dump_to_disk = lambda _self: None
    idempotent = IdempotentRequests()
    app.middlewares.insert(0, idempotent.middleware())
    app.router.add_post(FORGET_KEY, idempotent.forget_route)
    runner = web.AppRunner(app)
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    await web.SockSite(runner, sock).start()
    if webhook_url and webhook_secret:
        await register_webhook(f"http://127.0.0.1:{port}", url=webhook_url, secret=webhook_secret)
    logging.getLogger(__name__).info("localstripe on http://127.0.0.1:%d", port)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8420)
    parser.add_argument("--webhook-url")
    parser.add_argument("--webhook-secret")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(
            serve(args.port, webhook_url=args.webhook_url, webhook_secret=args.webhook_secret)
        )


if __name__ == "__main__":
    main()
