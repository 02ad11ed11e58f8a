"""Two workers apply, at the same moment, two events about one thing a service keeps of another
service's (a listing of the catalogue's, a school of the register, a contract's name, an order
that a school takes part through or that was cancelled): both events are applied, neither fails
on the row's key, and the row ends as the read model's rules say (an older price version, or an
older entry of the register, never replaces a newer one; a retired service is never listed
again). Each event goes the consumer's own way, the first worker's transaction
held at its commit until the second's write waits on it (`tests/support/same_moment.py`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import select

from services import registry
from services.evaluation.adapters.tables import cancelled_orders
from shared.events import (
    Envelope,
    OrderCancelledV1,
    SchoolRegisteredV1,
    ServicePublishedV1,
    ServiceRetiredV1,
    ServiceUpdatedV1,
)
from shared.money import VatRate
from tests.support.databases import DatabaseFactory
from tests.support.events import invoice_raised
from tests.support.ledger_events import CONTRACT, contract_signed
from tests.support.same_moment import applied_at_the_same_moment
from tests.support.schools import ABBOTS_LANGLEY_AS_REGISTERED

URN = ABBOTS_LANGLEY_AS_REGISTERED["urn"]
SERVICE_ID = uuid4()
INVOICED = invoice_raised(urn=URN)


def listing(version: int, *, updated: bool) -> Envelope[Any]:
    event = (ServiceUpdatedV1 if updated else ServicePublishedV1)(
        service_id=SERVICE_ID,
        code="GOV-CLERK",
        title=f"Governor clerking, price version {version}",
        service_type="subscription",
        category="Governance",
        unit_price_pence=100_000 * version,
        vat_rate=VatRate.STANDARD,
        price_version=version,
    )
    return Envelope.of(event)


def retired() -> Envelope[Any]:
    return Envelope.of(
        ServiceRetiredV1(service_id=SERVICE_ID, code="GOV-CLERK", retired_on=date(2027, 1, 4))
    )


def school(name: str, *, version: int, trust_code: str | None = None) -> Envelope[Any]:
    return Envelope.of(
        SchoolRegisteredV1(
            **{**ABBOTS_LANGLEY_AS_REGISTERED, "name": name},
            pupils=None,
            trust_code=trust_code,
            version=version,
        )
    )


def contract(title: str) -> Envelope[Any]:
    return Envelope.of(contract_signed(title=title))


def invoiced_again() -> Envelope[Any]:
    """Another event naming the same order, service and school as `INVOICED`."""
    return Envelope.of(INVOICED.payload.model_copy(update={"invoice_id": uuid4()}))


def cancelled() -> Envelope[Any]:
    order = INVOICED.payload
    return Envelope.of(
        OrderCancelledV1(
            order_id=order.order_id,
            cancelled_on=date(2026, 11, 3),
            reason="ordered twice",
            lines=order.lines,
            **order.model_dump(include={"urn", "school_name", "phase", "la_code"}),
        )
    )


Read = Callable[[Any], Awaitable[object]]


async def read_listing(uow: Any) -> object:
    found = (await uow.listings.by_id([SERVICE_ID]))[SERVICE_ID]
    return found.price_version, found.title


async def read_listed(uow: Any) -> object:
    return (await uow.listings.by_id([SERVICE_ID])).get(SERVICE_ID)


async def read_school(uow: Any) -> object:
    return (await uow.schools.get(URN)).name


async def read_evaluation_school(uow: Any) -> object:
    return (await uow.schools.find([URN]))[0].name


async def read_ledger_school(uow: Any) -> object:
    return (await uow.register.names())[URN][0]


async def read_school_trust(uow: Any) -> object:
    return (await uow.read_models.trusts_of([URN]))[URN]


async def read_contract_name(uow: Any) -> object:
    return await uow.register.contract_names()


async def read_participants(uow: Any) -> object:
    taking_part = await uow.participations.list(service_id=INVOICED.payload.lines[0].service_id)
    return [(found.order_id, found.urn) for found in taking_part]


async def read_cancellations(uow: Any) -> object:
    return list(await uow.session.scalars(select(cancelled_orders.c.order_id)))


@dataclass(frozen=True)
class SameThing:
    service: str
    first: Envelope[Any]
    second: Envelope[Any]
    read: Read
    kept: object


def renamed_school(service: str, read: Read, *, newer_held: bool = False) -> SameThing:
    """A school on the register, and a later entry's new name for it: the later entry stands,
    whichever is applied first."""
    earlier, later = school("Abbots Langley", version=1), school("Abbots Langley School", version=2)
    first, second = (later, earlier) if newer_held else (earlier, later)
    return SameThing(service, first, second, read, "Abbots Langley School")


def school_joining_a_trust(*, newer_held: bool) -> SameThing:
    """Notifications keeps only the trust a school is in: the later entry's stands, even
    where the earlier's envelope says it occurred after (another process's clock)."""
    later = school("Abbots Langley School", version=2, trust_code="4209")
    earlier = school("Abbots Langley School", version=1)
    first, second = (later, earlier) if newer_held else (earlier, later)
    return SameThing("notifications", first, second, read_school_trust, "4209")


def listing_versions(held: int, other: int) -> SameThing:
    """The newer price version stands, whichever is applied first."""
    newest = max(held, other)
    return SameThing(
        "orders",
        listing(held, updated=held > 1),
        listing(other, updated=other > 1),
        read_listing,
        (newest, f"Governor clerking, price version {newest}"),
    )


SAME_THING = {
    "orders' listing, the newer version held": listing_versions(2, 1),
    "orders' listing, the older version held": listing_versions(1, 2),
    "orders' listing, retired while an update is held": SameThing(
        "orders", listing(1, updated=True), retired(), read_listed, None
    ),
    "orders' listing, updated late while the retirement is held": SameThing(
        "orders", retired(), listing(1, updated=True), read_listed, None
    ),
    "catalogue's school": renamed_school("catalogue", read_school),
    "catalogue's school, the newer entry held": renamed_school(
        "catalogue", read_school, newer_held=True
    ),
    "commissioning's school": renamed_school("commissioning", read_school),
    "commissioning's school, the newer entry held": renamed_school(
        "commissioning", read_school, newer_held=True
    ),
    "evaluation's school": renamed_school("evaluation", read_evaluation_school),
    "evaluation's school, the newer entry held": renamed_school(
        "evaluation", read_evaluation_school, newer_held=True
    ),
    "notifications' school's trust": school_joining_a_trust(newer_held=False),
    "notifications' school's trust, the newer entry held": school_joining_a_trust(newer_held=True),
    "evaluation's participant": SameThing(
        "evaluation",
        INVOICED,
        invoiced_again(),
        read_participants,
        [(INVOICED.payload.order_id, URN)],
    ),
    "evaluation's cancelled order": SameThing(
        "evaluation", cancelled(), cancelled(), read_cancellations, [INVOICED.payload.order_id]
    ),
    "ledger's school": renamed_school("ledger", read_ledger_school),
    "ledger's school, the newer entry held": renamed_school(
        "ledger", read_ledger_school, newer_held=True
    ),
    "ledger's contract name": SameThing(
        "ledger",
        contract("School improvement"),
        contract("School improvement, 2026-27"),
        read_contract_name,
        {str(CONTRACT): ("HCC-SI-2026", "School improvement, 2026-27")},
    ),
}


@pytest.mark.parametrize("case", SAME_THING.values(), ids=SAME_THING.keys())
async def test_two_workers_apply_events_about_the_same_thing_at_once(
    case: SameThing, databases: DatabaseFactory
) -> None:
    service = registry.service(
        case.service, database_url=await databases.new(case.service), environment="test"
    )
    try:
        await service.migrate()

        outcomes = await applied_at_the_same_moment(service, case.first, case.second)

        assert outcomes == [True, True]  # each applied, neither refused
        async with service.unit_of_work().reading() as uow:
            assert await case.read(uow) == case.kept
    finally:
        await service.bus.aclose()
        await service.engine.dispose()
