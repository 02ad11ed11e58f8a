"""The token bucket behind the portal's sign-in and the Stripe webhook limits."""

from __future__ import annotations

import pytest

from shared.rate_limit import RateLimiter


def test_a_client_may_send_a_burst_of_the_limit_then_is_told_how_long_to_wait() -> None:
    limiter = RateLimiter(per_minute=6)  # a token every 10 s
    assert [limiter.wait_for("10.0.0.1", 0.0) for _ in range(6)] == [0] * 6
    assert limiter.wait_for("10.0.0.1", 0.0) == 10
    assert limiter.wait_for("10.0.0.1", 4.0) == 6  # 0.4 of a token earned since


def test_the_bucket_refills_evenly_but_never_beyond_the_burst() -> None:
    limiter = RateLimiter(per_minute=6)
    for _ in range(6):
        limiter.wait_for("10.0.0.1", 0.0)
    assert limiter.wait_for("10.0.0.1", 10.0) == 0  # one token back after 10 s
    assert limiter.wait_for("10.0.0.1", 10.0) > 0
    long_after = 3600.0
    assert [limiter.wait_for("10.0.0.1", long_after) for _ in range(7)] == [0] * 6 + [10]


def test_each_address_has_its_own_bucket() -> None:
    limiter = RateLimiter(per_minute=1)
    assert limiter.wait_for("10.0.0.1", 0.0) == 0
    assert limiter.wait_for("10.0.0.1", 0.0) == 60
    assert limiter.wait_for("10.0.0.2", 0.0) == 0


def test_a_flood_from_many_addresses_forgets_the_longest_idle_bucket_first() -> None:
    limiter = RateLimiter(per_minute=1, max_clients=2)
    limiter.wait_for("a", 0.0)
    limiter.wait_for("b", 1.0)
    limiter.wait_for("a", 2.0)  # refused, but "a" is now the most recent
    limiter.wait_for("c", 3.0)  # "b" is forgotten
    assert limiter.wait_for("a", 3.0) > 0
    assert limiter.wait_for("b", 3.0) == 0  # a forgotten bucket starts full


def test_a_limit_of_less_than_one_a_minute_is_refused() -> None:
    with pytest.raises(ValueError, match="per_minute"):
        RateLimiter(per_minute=0)
