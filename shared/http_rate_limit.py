"""A route's rate limit per client address, answered with 429 and Retry-After."""

from __future__ import annotations

import time
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request

from shared.rate_limit import RateLimiter


def limited(
    name: str, per_minute: Callable[[Request], int], *, clock: Callable[[], float] = time.monotonic
) -> Callable[[Request], Coroutine[Any, Any, None]]:
    """A dependency giving each client address `per_minute(request)` requests a minute; the
    buckets live on the app (as `<name>_limiter`), built from its settings on first use."""
    attribute = f"{name}_limiter"

    async def dependency(request: Request) -> None:
        state = request.app.state
        limiter: RateLimiter | None = getattr(state, attribute, None)
        if limiter is None:
            limiter = RateLimiter(per_minute=per_minute(request))
            setattr(state, attribute, limiter)
        address = request.client.host if request.client else "unknown"
        wait = limiter.wait_for(address, clock())
        if wait:
            raise HTTPException(
                429, "too many requests: try again later", headers={"Retry-After": str(wait)}
            )

    return dependency
