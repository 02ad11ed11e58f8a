"""The estimated annual value the API and the register CSV give an officer over HTTP on a real
database: as entered at award until an approved variation changes the value or term, then the
value over the term as varied; a variation waiting for a second approval, or declined, changes
nothing."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from tests.support.commissioning_app import OFFICER, Commissioning, commissioning_alone
from tests.support.databases import DatabaseFactory


async def estimates(app: Commissioning, path: str) -> tuple[Any, Any, str]:
    """The contract's estimate as the API gives it, as entered at award, and as the register
    CSV publishes it."""
    contract = (await app.client.get(path, headers=OFFICER)).json()
    register = (await app.client.get("/contracts/register.csv", headers=OFFICER)).text
    (row,) = csv.DictReader(io.StringIO(register))
    return (
        contract["annual_value_pence"],
        contract["original_annual_value_pence"],
        row["Estimated annual value (£)"],
    )


async def test_only_an_approved_variation_of_value_or_term_changes_the_estimate(
    sqlite_databases: DatabaseFactory,
) -> None:
    async with commissioning_alone(sqlite_databases) as app:
        app.service.clock.set(date(2026, 12, 6))
        contract = await app.contract(value_pence=100_000_000, annual_value_pence=90_000_000)
        path = f"/contracts/{contract['id']}"
        assert await estimates(app, path) == (90_000_000, 90_000_000, "900000.00")

        # £200,000 more is over one officer's word (£50,000): it waits, then is withdrawn
        proposed = await app.client.post(
            f"{path}/variations",
            json={"kind": "value", "reason": "More", "value_pence": 120_000_000},
            headers=OFFICER,
        )
        assert proposed.status_code == 201, proposed.text
        (waiting,) = proposed.json()["pending_variations"]
        assert await estimates(app, path) == (90_000_000, 90_000_000, "900000.00")
        declined = await app.client.post(
            f"{path}/variations/{waiting['id']}/decline",
            json={"reason": "Not needed"},
            headers=OFFICER,
        )
        assert declined.status_code == 200, declined.text
        assert await estimates(app, path) == (90_000_000, 90_000_000, "900000.00")

        varied = await app.client.post(
            f"{path}/variations",
            json={"kind": "value", "reason": "More", "value_pence": 104_000_000},
            headers=OFFICER,
        )
        assert varied.status_code == 201, varied.text
        assert await estimates(app, path) == (104_000_000, 90_000_000, "1040000.00")

        # a year more, to 31 March 2028: £1,040,000 over two years
        longer = await app.client.post(
            f"{path}/variations",
            json={"kind": "term", "reason": "Longer", "end_on": "2028-03-31"},
            headers=OFFICER,
        )
        assert longer.status_code == 201, longer.text
        assert await estimates(app, path) == (52_000_000, 90_000_000, "520000.00")
