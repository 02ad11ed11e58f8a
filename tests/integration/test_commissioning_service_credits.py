"""Service credits on real databases: taken off the LA's invoices oldest first, a credit too
large for what is left of an invoice in part with the rest on the next, each part published for
the ledger; credits no invoice has taken yet are listed, not lost."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

from pypdf import PdfReader
from sqlalchemy import select

from services.commissioning.adapters.tables import messaging
from tests.support.commissioning_app import OFFICER, Commissioning, commissioning_alone
from tests.support.databases import DatabaseFactory


async def post(app: Commissioning, path: str, body: Any) -> Any:
    response = await app.client.post(path, json=body, headers=OFFICER)
    assert response.is_success, response.text
    return response.json()


async def miss(app: Commissioning, path: str, *, credit: int, period: str, on: str) -> str:
    """A KPI of its own missed in the period; the path of its actuals."""
    kpi = await post(
        app,
        f"{path}/kpis",
        {"title": f"KPI {period}", "target": 95, "service_credit_pence": credit},
    )
    await post(
        app,
        f"{path}/kpis/{kpi['id']}/actuals",
        {"period": period, "actual": 90, "reported_on": on},
    )
    return f"{path}/kpis/{kpi['id']}/actuals"


async def pending(app: Commissioning, path: str) -> list[int]:
    answer = await app.client.get(f"{path}/service-credits/pending", headers=OFFICER)
    assert answer.status_code == 200, answer.text
    return [credit["net_pence"] for credit in answer.json()]


async def published_credits(app: Commissioning) -> list[dict[str, Any]]:
    async with app.service.unit_of_work() as uow:
        query = select(messaging.outbox).order_by(messaging.outbox.c.position)
        rows = (await uow.session.execute(query)).mappings().all()
    bodies = [json.loads(row["body"]) for row in rows]
    return [b["payload"] for b in bodies if b["type"] == "commissioning.service_credit.applied.v1"]


async def test_a_large_credit_comes_off_in_part_and_the_rest_off_the_next_invoice_first(
    databases: DatabaseFactory,
) -> None:
    async with commissioning_alone(databases) as app:
        path = f"/contracts/{(await app.contract())['id']}"
        await miss(app, path, credit=80_000, period="2026-Q1", on="2026-05-10")
        await miss(app, path, credit=10_000, period="2026-Q2", on="2026-07-10")
        invoices = []
        for title in ("Autumn", "Spring"):
            milestone = await post(
                app,
                f"{path}/milestones",
                {"title": title, "due_on": "2026-12-18", "payment_pence": 50_000},
            )
            signed = await post(
                app,
                f"{path}/milestones/{milestone['id']}/complete",
                {"evidence": f"{title} report received"},
            )
            invoices.append(signed["invoice"])

        first, second = invoices
        assert [c["net_pence"] for c in first["credits"]] == [50_000]  # part of January's
        assert (first["payable_net_pence"], first["payable_gross_pence"]) == (0, 0)
        assert [c["net_pence"] for c in second["credits"]] == [30_000, 10_000]
        assert (second["payable_net_pence"], second["payable_gross_pence"]) == (10_000, 12_000)
        assert await pending(app, path) == []

        events = await published_credits(app)
        assert [(e["invoice_id"], e["net_pence"], e["gross_pence"]) for e in events] == [
            (first["id"], 50_000, 60_000),
            (second["id"], 30_000, 36_000),
            (second["id"], 10_000, 12_000),
        ]
        assert events[0]["reason"] == events[1]["reason"]  # one miss, taken off in two parts


async def sign_off(app: Commissioning, path: str, *, title: str, pence: int) -> dict[str, Any]:
    """A milestone added and signed off: the invoice it raised."""
    milestone = await post(
        app, f"{path}/milestones", {"title": title, "due_on": "2026-12-18", "payment_pence": pence}
    )
    signed = await post(app, f"{path}/milestones/{milestone['id']}/complete", {"evidence": title})
    return signed["invoice"]  # type: ignore[no-any-return]


async def credit_as_read(app: Commissioning, actuals: str) -> dict[str, Any]:
    answer = await app.client.get(actuals, headers=OFFICER)
    assert answer.status_code == 200, answer.text
    (actual,) = answer.json()
    return actual["service_credit"]  # type: ignore[no-any-return]


async def test_an_actual_names_its_credit_and_each_invoice_that_took_it_or_what_still_waits(
    databases: DatabaseFactory,
) -> None:
    async with commissioning_alone(databases) as app:
        path = f"/contracts/{(await app.contract())['id']}"
        actuals = await miss(app, path, credit=80_000, period="2026-Q1", on="2026-05-10")
        as_reported = await credit_as_read(app, actuals)
        assert (as_reported["net_pence"], as_reported["waiting_pence"]) == (80_000, 80_000)
        assert as_reported["parts"] == [
            {"net_pence": 80_000, "invoice_id": None, "invoice_number": None, "applied_on": None}
        ]

        autumn = await sign_off(app, path, title="Autumn", pence=50_000)
        part_taken = await credit_as_read(app, actuals)
        assert part_taken["id"] == as_reported["id"]
        assert (part_taken["net_pence"], part_taken["waiting_pence"]) == (80_000, 30_000)
        assert [(p["net_pence"], p["invoice_number"]) for p in part_taken["parts"]] == [
            (50_000, autumn["number"]),
            (30_000, None),
        ]

        spring = await sign_off(app, path, title="Spring", pence=50_000)
        all_taken = await credit_as_read(app, actuals)
        assert (all_taken["net_pence"], all_taken["waiting_pence"]) == (80_000, 0)
        assert [(p["net_pence"], p["invoice_id"]) for p in all_taken["parts"]] == [
            (50_000, autumn["id"]),
            (30_000, spring["id"]),
        ]


async def test_a_credit_earned_after_the_last_milestone_is_listed_as_not_yet_taken_off(
    databases: DatabaseFactory,
) -> None:
    async with commissioning_alone(databases) as app:
        app.service.clock.set(date(2027, 3, 20))
        path = f"/contracts/{(await app.contract())['id']}"
        milestone = await post(
            app,
            f"{path}/milestones",
            {"title": "Autumn", "due_on": "2026-12-18", "payment_pence": 50_000},
        )
        await post(app, f"{path}/milestones/{milestone['id']}/complete", {"evidence": "Report"})
        await miss(app, path, credit=20_000, period="2027-Q1", on="2027-03-20")

        assert await pending(app, path) == [20_000]
        unknown = await app.client.get(
            "/contracts/00000000-0000-0000-0000-000000000000/service-credits/pending",
            headers=OFFICER,
        )
        assert unknown.status_code == 404


async def test_credits_that_take_all_of_an_invoice_leave_nothing_to_pay_and_the_ledger_agrees(
    databases: DatabaseFactory,
) -> None:
    """£10,000.06 carries £2,000.01 of VAT; two £5,000.03 credits, each alone £1,000.01 of VAT,
    once took £2,000.02 of it and left the LA -£0.01 to pay."""
    async with commissioning_alone(databases) as app:
        path = f"/contracts/{(await app.contract(value_pence=2_000_000))['id']}"
        await miss(app, path, credit=500_003, period="2026-Q1", on="2026-07-10")
        await miss(app, path, credit=500_003, period="2026-Q2", on="2026-10-10")
        milestone = await post(
            app,
            f"{path}/milestones",
            {"title": "Autumn", "due_on": "2026-12-18", "payment_pence": 1_000_006},
        )
        signed = await post(
            app, f"{path}/milestones/{milestone['id']}/complete", {"evidence": "Report"}
        )
        invoice = signed["invoice"]
        assert (invoice["net_pence"], invoice["vat_pence"]) == (1_000_006, 200_001)
        assert sum(c["vat_pence"] for c in invoice["credits"]) == 200_001
        to_pay = ("payable_net_pence", "payable_vat_pence", "payable_gross_pence")
        assert [invoice[key] for key in to_pay] == [0, 0, 0]
        read_back = await app.client.get(f"/invoices/{invoice['id']}", headers=OFFICER)
        assert read_back.json() == invoice

        events = await published_credits(app)
        assert [(e["net_pence"], e["vat_pence"]) for e in events] == [
            (c["net_pence"], c["vat_pence"]) for c in invoice["credits"]
        ]
        pdf = await app.client.get(f"/invoices/{invoice['id']}/pdf", headers=OFFICER)
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
        assert "Total VAT £0.00" in text and "Total to pay £0.00" in text, text


async def test_an_actual_on_a_contract_not_in_force_is_refused_naming_it_and_earns_no_credit(
    databases: DatabaseFactory,
) -> None:
    """No milestone is signed off under a draft or a closed contract, so a credit earned on one
    could never come off an invoice."""
    async with commissioning_alone(databases) as app:
        closed = f"/contracts/{(await app.contract())['id']}"
        draft = f"/contracts/{(await app.contract(reference='HCC-SI-DRAFT', draft=True))['id']}"
        kpis = {}
        for path in (closed, draft):
            kpis[path] = await post(
                app, f"{path}/kpis", {"title": "Visits", "target": 95, "service_credit_pence": 1}
            )
        await post(app, f"{closed}/close", {})
        for path in (closed, draft):
            refused = await app.client.post(
                f"{path}/kpis/{kpis[path]['id']}/actuals",
                json={"period": "2026-Q3", "actual": 90},
                headers=OFFICER,
            )
            assert (refused.status_code, refused.json()["field"]) == (409, "contract_id")
            assert await pending(app, path) == []


async def test_an_actual_a_hair_below_its_target_reads_as_it_was_given_wherever_its_credit_goes(
    databases: DatabaseFactory,
) -> None:
    """Rounded to six figures, 94.999995 read '95 against a target of 95' on the credit, its
    event and the LA's invoice: a miss nobody could see."""
    async with commissioning_alone(databases) as app:
        path = f"/contracts/{(await app.contract())['id']}"
        kpi = await post(
            app,
            f"{path}/kpis",
            {"title": "Visits on time (%)", "target": 95.0, "service_credit_pence": 10_000},
        )
        await post(
            app,
            f"{path}/kpis/{kpi['id']}/actuals",
            {"period": "2026-Q1", "actual": 94.999995, "reported_on": "2026-05-10"},
        )
        reason = "Visits on time (%): 94.999995 against a target of 95 in 2026-Q1"
        listed = await app.client.get(f"{path}/service-credits/pending", headers=OFFICER)
        assert [credit["reason"] for credit in listed.json()] == [reason]

        milestone = await post(
            app,
            f"{path}/milestones",
            {"title": "Autumn", "due_on": "2026-12-18", "payment_pence": 50_000},
        )
        signed = await post(
            app, f"{path}/milestones/{milestone['id']}/complete", {"evidence": "Report"}
        )
        assert [e["reason"] for e in await published_credits(app)] == [reason]
        invoice = signed["invoice"]
        pdf = await app.client.get(f"/invoices/{invoice['id']}/pdf", headers=OFFICER)
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
        assert "94.999995 against a target of 95" in " ".join(text.split()), text


async def test_an_actual_reported_before_its_contract_starts_is_refused_and_earns_no_credit(
    databases: DatabaseFactory,
) -> None:
    """A contract signed in December to run from April is in force, but nothing is done under
    it before April: a miss reported before then had earned the LA a credit off its first
    invoice, for a period the contract never covered."""
    async with commissioning_alone(databases) as app:
        app.service.clock.set(date(2026, 12, 7))
        contract = await app.contract(start_on="2027-04-01", end_on="2028-03-31")
        path = f"/contracts/{contract['id']}"
        kpi = await post(
            app, f"{path}/kpis", {"title": "Visits", "target": 95, "service_credit_pence": 10_000}
        )
        for reported_on in (None, "2026-11-30"):
            refused = await app.client.post(
                f"{path}/kpis/{kpi['id']}/actuals",
                json={"period": "2026-Q3", "actual": 90, "reported_on": reported_on},
                headers=OFFICER,
            )
            assert (refused.status_code, refused.json()["field"]) == (422, "reported_on")
            assert "1 April 2027" in refused.json()["detail"]
        assert await pending(app, path) == []
        listed = await app.client.get(f"{path}/kpis/{kpi['id']}/actuals", headers=OFFICER)
        assert listed.json() == []
