"""A local, stateful fake of Stripe for the local run and the tests: `localstripe` from PyPI,
bound to 127.0.0.1 only and started from scratch, with our webhook endpoint registered through
its `/_config/webhooks/` endpoint once it answers.

    python -m services.orders.localstripe --port 8420 \
        --webhook-url http://127.0.0.1:8002/stripe/webhook --webhook-secret whsec_...
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import socket

import httpx

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


async def serve(port: int, *, webhook_url: str | None, webhook_secret: str | None) -> None:
    from aiohttp import web
    from localstripe import resources
    from localstripe.server import app

    # Its store pickles itself to one shared file in /tmp on every change: keep it in memory.
    resources.Store.dump_to_disk = lambda _self: None
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
