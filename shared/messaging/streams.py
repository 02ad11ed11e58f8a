"""JetStream provisioning: one stream per producing service, capturing `<producer>.>`."""

from __future__ import annotations

from nats.js.api import StorageType, StreamConfig
from nats.js.errors import NotFoundError

from shared.messaging.connection import connect_once

PRODUCERS = ("catalogue", "orders", "commissioning", "evaluation", "ledger")

# Long enough to cover a relay that crashed between publishing and marking its rows sent.
DUPLICATE_WINDOW_SECONDS = 600.0


def stream_config(producer: str, *, replicas: int = 1) -> StreamConfig:
    return StreamConfig(
        name=producer.upper(),
        subjects=[f"{producer}.>"],
        storage=StorageType.FILE,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
        num_replicas=replicas,
    )


async def ensure_streams(
    nats_url: str, producers: tuple[str, ...] = PRODUCERS, *, replicas: int = 1
) -> None:
    """Create each stream, or bring an existing one up to this configuration."""
    connection = await connect_once(nats_url)
    try:
        jetstream = connection.jetstream()
        for producer in producers:
            config = stream_config(producer, replicas=replicas)
            try:
                await jetstream.stream_info(config.name or "")
                await jetstream.update_stream(config)
            except NotFoundError:
                await jetstream.add_stream(config)
    finally:
        await connection.close()
