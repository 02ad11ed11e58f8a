"""A sign-off invoices what the officer was shown: the service credits waiting on a contract
change as other milestones are signed off and other actuals reported, so a sign-off that names
what the LA pays is refused, and nothing invoiced, once the invoice would ask another figure."""

from __future__ import annotations

from typing import Any

from tests.support.commissioning_app import OFFICER, Commissioning, commissioning_alone
from tests.support.databases import DatabaseFactory


async def post(app: Commissioning, path: str, body: Any) -> Any:
    response = await app.client.post(path, json=body, headers=OFFICER)
    assert response.is_success, response.text
    return response.json()


async def test_a_sign_off_naming_a_figure_the_invoice_no_longer_asks_is_refused_and_invoices_nothing(
    databases: DatabaseFactory,
) -> None:
    async with commissioning_alone(databases) as app:
        path = f"/contracts/{(await app.contract())['id']}"
        kpi = await post(
            app, f"{path}/kpis", {"title": "Visits", "target": 95, "service_credit_pence": 10_000}
        )
        await post(
            app,
            f"{path}/kpis/{kpi['id']}/actuals",
            {"period": "2026-Q1", "actual": 90, "reported_on": "2026-05-10"},
        )
        autumn, spring = [
            await post(
                app,
                f"{path}/milestones",
                {"title": title, "due_on": "2026-12-18", "payment_pence": 50_000},
            )
            for title in ("Autumn", "Spring")
        ]
        shown = await app.client.get(
            f"{path}/milestones/{autumn['id']}/invoice-to-raise", headers=OFFICER
        )
        assert shown.json()["payable_gross_pence"] == 48_000  # £600.00 less the £120.00 credit

        # Spring is signed off first, and takes the credit the officer saw come off Autumn's.
        await post(app, f"{path}/milestones/{spring['id']}/complete", {"evidence": "Report"})
        refused = await app.client.post(
            f"{path}/milestones/{autumn['id']}/complete",
            json={"evidence": "Report", "payable_gross_pence": 48_000},
            headers=OFFICER,
        )
        assert (refused.status_code, refused.json()["field"]) == (409, "payable_gross_pence")
        assert "£600.00" in refused.json()["detail"], refused.json()
        invoices = (await app.client.get("/invoices", headers=OFFICER)).json()
        assert [invoice["milestone_id"] for invoice in invoices] == [spring["id"]]
        contract = (await app.client.get(path, headers=OFFICER)).json()
        assert [m["completed_on"] for m in contract["milestones"] if m["title"] == "Autumn"] == [
            None
        ]

        signed = await post(
            app,
            f"{path}/milestones/{autumn['id']}/complete",
            {"evidence": "Report", "payable_gross_pence": 60_000},
        )
        assert signed["invoice"]["payable_gross_pence"] == 60_000
