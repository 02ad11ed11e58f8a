"""A token bucket per client address: a burst of `per_minute` requests, refilled evenly over
the minute. In-process (one bucket set per process), which is enough to blunt a flood against
sign-in or a webhook; the clock is passed in so the rule is tested without waiting."""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass

# Addresses remembered at most: a flood from many addresses cannot grow memory without end
# (the longest idle bucket is forgotten first, and a forgotten bucket starts full again).
MAX_CLIENTS = 10_000


@dataclass
class _Bucket:
    tokens: float
    checked_at: float


class RateLimiter:
    def __init__(self, *, per_minute: int, max_clients: int = MAX_CLIENTS) -> None:
        if per_minute < 1:
            raise ValueError("per_minute: allow at least one request a minute")
        self._capacity = float(per_minute)
        self._refill_per_second = per_minute / 60.0
        self._max_clients = max_clients
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def wait_for(self, client: str, now: float) -> int:
        """Takes one token for `client`; 0 if it may go ahead, else the whole seconds until it
        may try again (the Retry-After of a 429)."""
        bucket = self._buckets.pop(client, None) or _Bucket(self._capacity, now)
        elapsed = max(0.0, now - bucket.checked_at)
        bucket.tokens = min(self._capacity, bucket.tokens + elapsed * self._refill_per_second)
        bucket.checked_at = now
        self._buckets[client] = bucket
        while len(self._buckets) > self._max_clients:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0
        return max(1, math.ceil((1.0 - bucket.tokens) / self._refill_per_second))
