"""An event past its contract's bounds is refused when read: parked at once, with the field
that refused it, instead of failing its handler on every delivery."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from uuid import uuid4

import nats

from shared.events import Envelope, PlaceOfferedV1
from tests.support.event_delivery import dead_letters
from tests.support.platform import Platform, eventually


async def test_an_offer_expiring_in_year_one_is_parked_by_notifications_naming_the_field(
    platform: Platform,
) -> None:
    offered = Envelope.of(
        PlaceOfferedV1(
            order_id=uuid4(),
            line_id=uuid4(),
            service_id=uuid4(),
            session_id=uuid4(),
            urn=117083,
            places=1,
            offer_expires_at=datetime.now(UTC),
        )
    )
    body = json.loads(offered.model_dump_json())
    body["payload"]["offer_expires_at"] = "0001-01-01T00:00:00Z"  # in England, before year one
    connection = await nats.connect(platform.nats_url)
    try:
        await connection.jetstream().publish(
            offered.type, json.dumps(body).encode(), headers={"Nats-Msg-Id": str(offered.event_id)}
        )
    finally:
        await connection.close()

    notifications = platform.services["notifications"]
    [parked] = await eventually(lambda: dead_letters(notifications))

    assert parked.deliveries == 1
    assert "offer_expires_at" in parked.error
