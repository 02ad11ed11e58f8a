"""An event delivered after a newer one about the same thing (redelivered, or held up behind
others) changes nothing: orders' listing of a retired service stays retired. Over NATS
JetStream, each consumer applying the events as they arrive."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

from shared.events import (
    Envelope,
    Event,
    ServicePublishedV1,
    ServiceRetiredV1,
    ServiceUpdatedV1,
)
from shared.money import VatRate
from tests.support.catalogue_fixtures import SCHOOL
from tests.support.event_delivery import undelivered_events
from tests.support.events import publish_raw
from tests.support.platform import Platform, eventually


async def publish(platform: Platform, event: Event) -> None:
    envelope = Envelope.of(event)
    assert await publish_raw(platform.nats_url, envelope, msg_id=str(envelope.event_id))


def service_state(service_id: Any, title: str) -> dict[str, Any]:
    return {
        "service_id": service_id,
        "code": "GOV-CLERK",
        "title": title,
        "service_type": "subscription",
        "category": "Governance",
        "unit_price_pence": 180_000,
        "vat_rate": VatRate.STANDARD,
        "price_version": 1,
    }


async def test_an_update_delivered_after_the_service_s_retirement_does_not_list_it_again(
    platform: Platform,
) -> None:
    service_id = uuid4()

    async def listed() -> list[str]:
        found = (await platform.orders.get("/listings", headers=SCHOOL)).json()
        return [row["title"] for row in found if row["service_id"] == str(service_id)]

    await publish(platform, ServicePublishedV1(**service_state(service_id, "Governor clerking")))
    assert await eventually(listed) == ["Governor clerking"]

    await publish(
        platform,
        ServiceRetiredV1(service_id=service_id, code="GOV-CLERK", retired_on=date(2027, 1, 4)),
    )

    async def delisted() -> bool:
        return await listed() == []

    assert await eventually(delisted)

    # renamed before the retirement, this update reached orders after it
    renamed = ServiceUpdatedV1(**service_state(service_id, "Governor clerking service"))
    await publish(platform, renamed)

    assert await undelivered_events(platform) == []
    assert await listed() == []
