"""Service credits sent before credits named the number of the LA invoice they came off, naming
only its id, as a replay of the streams brings them back: the ledger remembers each invoice's
number from its invoice.raised event and files such a credit under the number, whichever of the
two events comes first, so that the LA invoices list shows each invoice once, less its credit,
and no line of its own for the credit. Over real NATS JetStream, on a real database, live and
rebuilt from the streams into an empty ledger."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

import httpx
import pytest

from services import registry
from services.rebuild.command import rebuild
from tests.support import ledger_events as ev
from tests.support.databases import DatabaseFactory
from tests.support.ledger_app import FINANCE, Ledger

pytestmark = pytest.mark.usefixtures("backend")

NOVEMBER, DECEMBER = date(2026, 11, 30), date(2026, 12, 31)
LA_1, LA_2 = uuid4(), uuid4()


def _listed(invoices: list[dict[str, Any]]) -> list[tuple[str, int, int, int]]:
    return [
        (i["number"], i["invoiced_pence"], i["credited_pence"], i["outstanding_pence"])
        for i in invoices
    ]


EXPECTED = [("LA-1", 120_000, 12_000, 108_000), ("LA-2", 240_000, 6_000, 234_000)]


async def test_an_old_credit_is_filed_under_its_invoice_s_number_live_and_rebuilt(
    ledger: Ledger, databases: DatabaseFactory, nats_url: str
) -> None:
    async def applied(*events: Any, reaching: int) -> None:
        await ev.publish(nats_url, *(ev.envelope(event) for event in events))
        await ledger.transactions_reach(reaching)

    # the invoice first, then its credit; then a credit before its invoice
    await applied(ev.la_invoice(100_000, NOVEMBER, number="LA-1", invoice_id=LA_1), reaching=1)
    await applied(ev.service_credit(10_000, NOVEMBER, invoice_id=LA_1), reaching=2)
    await applied(ev.service_credit(5_000, DECEMBER, invoice_id=LA_2), reaching=3)
    await applied(ev.la_invoice(200_000, DECEMBER, number="LA-2", invoice_id=LA_2), reaching=4)

    assert _listed(await ledger.get("/la-invoices")) == EXPECTED
    aged = await ledger.get("/reports/aged-debt", as_of="2026-12-31")
    (la,) = aged["rows"]
    assert la["total_pence"] == 108_000 + 234_000
    journal = await ledger.get("/journal")
    credits = [entry for entry in journal if entry["kind"] == "service_credit"]
    assert sorted(entry["document"] for entry in credits) == ["LA-1", "LA-2"]

    fresh = registry.service(
        "ledger", database_url=await databases.new("ledger_rebuilt"), nats_url=nats_url
    )
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=fresh.api()), base_url="http://ledger"
    )
    try:
        rebuilt = await rebuild(ledger.service, fresh, carry=False)
        listed = await client.get("/la-invoices", headers=FINANCE)
    finally:
        await client.aclose()
        await fresh.engine.dispose()
    assert rebuilt.differences == [], "\n".join(rebuilt.differences)
    assert _listed(listed.json()) == EXPECTED
