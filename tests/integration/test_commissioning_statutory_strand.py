"""The statutory strand end to end, over HTTP and NATS JetStream on a real database: the
register reaches commissioning as events; a contract is signed, varied, scheduled, measured and
signed off; support is brokered and delivered; every event it publishes is statutory money,
and the ledger books it apart from anything traded."""

from __future__ import annotations

import json
from typing import Any

import nats

from shared.auth import Role
from shared.clock import Clock
from tests.support.commissioning_app import (
    OFFICER,
    STAFF,
    case_body,
    deployment_body,
    post,
    school_registered,
)
from tests.support.platform import ABBOTS_LANGLEY, Platform, auth, eventually

FINANCE = auth(Role.FINANCE)


async def publish_school(nats_url: str, urn: int) -> None:
    envelope = school_registered(urn)
    connection = await nats.connect(nats_url)
    try:
        await connection.jetstream().publish(
            envelope.type,
            envelope.model_dump_json().encode(),
            headers={"Nats-Msg-Id": str(envelope.event_id)},
        )
    finally:
        await connection.close()


async def published(nats_url: str) -> list[tuple[str | None, dict[str, Any]]]:
    """Every event on the COMMISSIONING stream: subject and payload."""
    connection = await nats.connect(nats_url)
    try:
        jetstream = connection.jetstream()
        state = (await jetstream.stream_info("COMMISSIONING")).state
        messages = (
            [
                await jetstream.get_msg("COMMISSIONING", seq)
                for seq in range(state.first_seq, state.last_seq + 1)
            ]
            if state.messages
            else []
        )
        return [(m.subject, json.loads(m.data or b"{}")["payload"]) for m in messages]
    finally:
        await connection.close()


async def test_a_statutory_year_publishes_only_statutory_money_and_the_ledger_keeps_it_apart(
    platform: Platform,
) -> None:
    await publish_school(platform.nats_url, ABBOTS_LANGLEY)

    async def known() -> bool:
        path = f"/schools/{ABBOTS_LANGLEY}/categorisations"
        return (await platform.commissioning.get(path, headers=OFFICER)).status_code == 200

    await eventually(known)

    body = {
        "reference": "HCC-SI-2026",
        "title": "Schools causing concern",
        "statutory_duty": "Education and Inspections Act 2006, Part 4",
        "funding_source": "council_budget",
        "value_pence": 1_000_000,
        "start_on": "2026-04-01",
        "end_on": "2027-03-31",
        "draft": True,
    }
    contract = await post(platform, "/contracts", body, OFFICER)
    assert contract["status"] == "draft"
    path = f"/contracts/{contract['id']}"
    await post(platform, f"{path}/sign", None, OFFICER)
    varied = await post(
        platform,
        f"{path}/variations",
        {
            "kind": "value",
            "reason": "Two more schools causing concern",
            "approved_by": "Director of Education",
            "approved_on": Clock().today().isoformat(),  # signed today, varied since
            "value_pence": 1_200_000,
        },
        OFFICER,
    )
    assert (varied["status"], varied["value_pence"], varied["original_value_pence"]) == (
        "varied",
        1_200_000,
        1_000_000,
    )
    milestone = await post(
        platform,
        f"{path}/milestones",
        {"title": "Autumn monitoring", "due_on": "2026-12-18", "payment_pence": 300_000},
        OFFICER,
    )
    kpi = await post(
        platform,
        f"{path}/kpis",
        {"title": "Visits within 10 days (%)", "target": 95, "service_credit_pence": 20_000},
        OFFICER,
    )
    missed = await post(
        platform, f"{path}/kpis/{kpi['id']}/actuals", {"period": "2026-Q3", "actual": 90}, STAFF
    )
    assert missed["met"] is False

    await post(
        platform,
        f"/schools/{ABBOTS_LANGLEY}/categorisations",
        {"category": 4, "categorised_on": "2026-09-05", "reasons": "Safeguarding concerns"},
        OFFICER,
    )
    body = case_body(contract["id"], ABBOTS_LANGLEY, summary="Safeguarding concerns")
    case = await post(platform, "/cases", body, OFFICER)
    deployment = await post(platform, f"/cases/{case['id']}/deployments", deployment_body(), STAFF)
    done = await post(
        platform,
        f"/deployments/{deployment['id']}/complete",
        {"half_days": 3, "completed_on": "2026-11-20"},
        STAFF,
    )
    assert (done["delivered_cost_pence"], done["committed_pence"]) == (90_000, 90_000)

    sign_off = f"{path}/milestones/{milestone['id']}/complete"
    unsigned = await platform.commissioning.post(sign_off, json={}, headers=OFFICER)
    assert unsigned.status_code == 422
    assert [p["field"] for p in unsigned.json()["errors"]] == ["evidence"]
    evidence = {"evidence": "Autumn term report received and checked"}
    signed = await post(platform, sign_off, evidence, OFFICER)
    assert signed["milestone"]["signed_off_by"] == "test-la_officer"  # the token's subject
    assert signed["milestone"]["evidence"] == evidence["evidence"]
    assert signed["milestone"]["signed_off_at"] is not None
    invoice = signed["invoice"]
    assert (invoice["net_pence"], invoice["gross_pence"]) == (300_000, 360_000)
    assert [c["net_pence"] for c in invoice["credits"]] == [20_000]
    assert (invoice["payable_net_pence"], invoice["payable_gross_pence"]) == (280_000, 336_000)

    async def all_published() -> list[tuple[str | None, dict[str, Any]]]:
        events = await published(platform.nats_url)
        return events if len(events) == 7 else []

    events = dict(await eventually(all_published))
    assert set(events) == {
        "commissioning.contract.signed.v1",
        "commissioning.contract.varied.v1",
        "commissioning.school.categorised.v1",
        "commissioning.deployment.completed.v1",
        "commissioning.milestone.completed.v1",
        "commissioning.invoice.raised.v1",
        "commissioning.service_credit.applied.v1",
    }
    money = {subject: e for subject, e in events.items() if "strand" in e}
    assert len(money) == 4
    assert {e["strand"] for e in money.values()} == {"statutory"}
    assert events["commissioning.invoice.raised.v1"]["net_pence"] == 300_000  # the full amount
    credit = events["commissioning.service_credit.applied.v1"]
    assert (credit["invoice_id"], credit["gross_pence"]) == (invoice["id"], 24_000)
    paid = events["commissioning.deployment.completed.v1"]
    assert (paid["urn"], paid["provider_kind"], paid["half_days"]) == (ABBOTS_LANGLEY, "nle", 3)
    assert events["commissioning.school.categorised.v1"]["previous_category"] is None

    async def ledger_strands() -> set[str]:
        transactions = await platform.ledger.get("/transactions", headers=FINANCE)
        return {t["strand"] for t in transactions.json()}

    assert await eventually(ledger_strands) == {"statutory"}
    income = (await platform.ledger.get("/reports/income-by-strand", headers=FINANCE)).json()
    assert income["traded_pence"] == 0

    async def journalled() -> list[dict[str, Any]]:
        found = (await platform.ledger.get("/journal", headers=FINANCE)).json()
        kinds = {"la_invoice", "service_credit"}
        filed = [e for e in found if e["kind"] in kinds]
        return filed if {e["kind"] for e in filed} == kinds else []

    # the credit is filed under the invoice it came off, as finance finds the invoice itself
    by_kind = {e["kind"]: e for e in await eventually(journalled)}
    assert by_kind["service_credit"]["document"] == invoice["number"]
    assert by_kind["la_invoice"]["document"] == invoice["number"]
    assert by_kind["service_credit"]["document_kind"] == "LA invoice"
    assert credit["invoice_number"] == invoice["number"]
