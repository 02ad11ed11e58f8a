"""Connecting to NATS: one URL or a comma-separated list of a cluster's seed servers."""

from __future__ import annotations

import asyncio

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import PubAck


def nats_servers(url: str) -> list[str]:
    return [server.strip() for server in url.split(",") if server.strip()]


def shown_servers(url: str) -> str:
    """The servers of `url` as a log may name them: without a user and password."""
    return ",".join(_without_credentials(server) for server in nats_servers(url))


def _without_credentials(server: str) -> str:
    scheme, separator, address = server.rpartition("://")
    return f"{scheme}{separator}{address.rpartition('@')[2]}"


async def connect_once(url: str, *, timeout: float = 2.0, refused_at_once: bool = False) -> Client:
    """A short-lived connection that fails within `timeout` instead of retrying for ever
    (nats-py reads max_reconnect_attempts=0 as 'for ever'), for probes and provisioning.

    nats-py tries a server that refuses the connection again every 2 s until then, which lets
    provisioning wait for a NATS that is starting; `refused_at_once` gives each server up on
    its second refusal, at once, so that a probe tells a refusal from a server that is silent."""
    retries = {"max_reconnect_attempts": 1, "reconnect_time_wait": 0} if refused_at_once else {}
    return await asyncio.wait_for(
        nats.connect(
            servers=nats_servers(url), connect_timeout=timeout, allow_reconnect=False, **retries
        ),
        timeout=timeout + 1,
    )


class JetStreamLink:
    """A worker's own connection, made when it starts and kept for ever (reconnecting while
    NATS is away: the outbox and the streams hold the events meanwhile)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._connection: Client | None = None
        self._jetstream: JetStreamContext | None = None

    async def connect(self) -> None:
        self._connection = await nats.connect(
            servers=nats_servers(self.url),
            max_reconnect_attempts=-1,
            reconnect_time_wait=1,
            connect_timeout=2,
        )
        # One context: it keeps the futures of the publishes in flight.
        self._jetstream = self._connection.jetstream()

    @property
    def jetstream(self) -> JetStreamContext:
        if self._jetstream is None:
            raise RuntimeError("connect() first")
        return self._jetstream

    async def publish(
        self, payload: bytes, *, subject: str, stream: str, headers: dict[str, str]
    ) -> asyncio.Future[PubAck]:
        """Send one message; the returned future resolves to its PubAck."""
        return await self.jetstream.publish_async(subject, payload, stream=stream, headers=headers)

    async def close(self) -> None:
        if self._connection is not None and not self._connection.is_closed:
            await self._connection.close()
