"""Connecting to NATS: one URL or a comma-separated list of a cluster's seed servers."""

from __future__ import annotations

import asyncio

import nats
from nats.aio.client import Client


def nats_servers(url: str) -> list[str]:
    return [server.strip() for server in url.split(",") if server.strip()]


async def connect_once(url: str, *, timeout: float = 2.0) -> Client:
    """A short-lived connection that fails fast instead of retrying (nats-py reads
    max_reconnect_attempts=0 as 'for ever'), for probes and provisioning."""
    return await asyncio.wait_for(
        nats.connect(servers=nats_servers(url), connect_timeout=timeout, allow_reconnect=False),
        timeout=timeout + 1,
    )
