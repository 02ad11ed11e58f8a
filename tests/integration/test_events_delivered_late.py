"""An event delivered after a newer one about the same thing (redelivered, or held up behind
others) changes nothing: every copy of a school keeps the newest entry of the register, orders'
listing of a retired service stays retired, and of two changes of a service orders lists the
later. Over NATS JetStream, each consumer applying the events as they arrive."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from shared.errors import DomainError
from shared.events import (
    Envelope,
    Event,
    SchoolRegisteredV1,
    ServicePublishedV1,
    ServiceRetiredV1,
    ServiceUpdatedV1,
)
from shared.money import VatRate
from tests.support.catalogue_fixtures import SCHOOL
from tests.support.event_delivery import undelivered_events
from tests.support.events import publish_raw
from tests.support.platform import ABBOTS_LANGLEY, Platform, eventually
from tests.support.schools import ABBOTS_LANGLEY_AS_REGISTERED


async def publish(platform: Platform, event: Event) -> None:
    envelope = Envelope.of(event)
    assert await publish_raw(platform.nats_url, envelope, msg_id=str(envelope.event_id))


def entry(version: int, name: str, trust_code: str | None) -> SchoolRegisteredV1:
    """Abbots Langley's entry on orders' register at this version."""
    return SchoolRegisteredV1(
        **{**ABBOTS_LANGLEY_AS_REGISTERED, "name": name},
        pupils=415,
        trust_code=trust_code,
        version=version,
    )


async def copies_of_the_school(platform: Platform) -> dict[str, object]:
    """What each service that copies the register holds of Abbots Langley."""

    def reading(name: str) -> Any:
        return platform.services[name].unit_of_work().reading()

    async with reading("catalogue") as uow:
        priced = await uow.schools.get(ABBOTS_LANGLEY)
    async with reading("commissioning") as uow:
        commissioned = await uow.schools.get(ABBOTS_LANGLEY)
    async with reading("evaluation") as uow:
        (evaluated,) = await uow.schools.find([ABBOTS_LANGLEY])
    async with reading("ledger") as uow:
        booked = (await uow.register.names()).get(ABBOTS_LANGLEY)
    async with reading("notifications") as uow:
        trusts = await uow.read_models.trusts_of([ABBOTS_LANGLEY])
    return {
        "catalogue": (priced.name, priced.trust_code),
        "commissioning": commissioned.name,
        "evaluation": evaluated.name,
        "ledger": booked and booked[0],
        "notifications": trusts.get(ABBOTS_LANGLEY, "unknown"),
    }


async def test_an_older_register_entry_delivered_late_changes_no_copy_of_the_school(
    platform: Platform,
) -> None:
    newer = entry(3, "Abbots Langley School", trust_code="4209")
    as_newer = {
        "catalogue": ("Abbots Langley School", "4209"),
        "commissioning": "Abbots Langley School",
        "evaluation": "Abbots Langley School",
        "ledger": "Abbots Langley School",
        "notifications": "4209",
    }
    await publish(platform, newer)

    async def copied() -> bool:
        try:
            return await copies_of_the_school(platform) == as_newer
        except (DomainError, ValueError):  # a service that has not heard of the school yet
            return False

    assert await eventually(copied)

    await publish(platform, entry(2, "Abbots Langley Primary", trust_code=None))

    assert await undelivered_events(platform) == []
    assert await copies_of_the_school(platform) == as_newer


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


def listed_titles(platform: Platform, service_id: UUID) -> Callable[[], Awaitable[list[str]]]:
    """What orders lists of the service: its title, or nothing once it is retired."""

    async def listed() -> list[str]:
        found = (await platform.orders.get("/listings", headers=SCHOOL)).json()
        return [row["title"] for row in found if row["service_id"] == str(service_id)]

    return listed


async def test_an_update_delivered_after_the_service_s_retirement_does_not_list_it_again(
    platform: Platform,
) -> None:
    service_id = uuid4()
    listed = listed_titles(platform, service_id)

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


async def test_of_two_title_changes_delivered_newest_first_orders_keeps_the_newest(
    platform: Platform,
) -> None:
    service_id = uuid4()
    listed = listed_titles(platform, service_id)

    def renamed(title: str, revision: int) -> ServiceUpdatedV1:
        """A change of the title alone: the price version stays as it was."""
        return ServiceUpdatedV1(**service_state(service_id, title), revision=revision)

    await publish(platform, renamed("Governor clerking service", revision=3))
    assert await eventually(listed) == ["Governor clerking service"]

    # the change before it (the title as it was first revised), held up behind others
    await publish(platform, renamed("Governor clerking (termly)", revision=2))

    assert await undelivered_events(platform) == []
    assert await listed() == ["Governor clerking service"]
