"""A local, stateful fake of Stripe for the local run and the tests: `localstripe` from PyPI,
bound to 127.0.0.1 only and started from scratch, with our webhook endpoint registered through
its `/_config/webhooks/` endpoint once it answers. It keeps Stripe's idempotent requests, which
localstripe itself does not: a POST with an Idempotency-Key seen before is answered as it first
was, not carried out again (a card refund asked again after a lost answer is the same refund).

    python -m services.orders.localstripe --port 8420 \
        --webhook-url http://127.0.0.1:8002/stripe/webhook --webhook-secret whsec_...
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import socket
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


def idempotent_requests() -> Callable[..., Awaitable[web.StreamResponse]]:
    """Stripe's idempotency, as an aiohttp middleware: the first answer to a POST with an
    Idempotency-Key (a server error aside) is kept, per secret key, and given again to a repeat
    of that request; the key used for another request is refused, as Stripe refuses it."""
    from aiohttp import web

    answered: dict[tuple[str, str], tuple[tuple[str, bytes], int, bytes, str]] = {}
    locks: dict[tuple[str, str], asyncio.Lock] = {}

    @web.middleware
    async def middleware(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        key = request.headers.get("Idempotency-Key")
        if request.method != "POST" or not key:
            return await handler(request)
        scope = (request.headers.get("Authorization", ""), key)
        asked = (request.path, await request.read())
        async with locks.setdefault(scope, asyncio.Lock()):  # a repeat at once waits for it
            if scope in answered:
                first, status, body, content_type = answered[scope]
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
                answered[scope] = (asked, response.status, body, content_type)
            return response

    return middleware


async def serve(port: int, *, webhook_url: str | None, webhook_secret: str | None) -> None:
    from aiohttp import web
    from localstripe import resources
    from localstripe.server import app

    # Its store pickles itself to one shared file in /tmp on every change: keep it in memory.
    resources.Store.dump_to_disk = lambda _self: None
    app.middlewares.insert(0, idempotent_requests())
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
