"""What the ledger books of statutory work, over HTTP and NATS JetStream on real databases:
only what the company owes, and income only for work the contract was running for."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from shared.calendar import long_date
from shared.clock import Clock
from tests.integration.test_commissioning_statutory_strand import publish_school
from tests.support.commissioning_app import (
    FINANCE,
    OFFICER,
    STAFF,
    case_body,
    contract_body,
    deployment_body,
    milestone_signed_off,
    post,
)
from tests.support.platform import ABBOTS_LANGLEY, Platform, eventually


async def balances(platform: Platform) -> dict[str, int]:
    response = await platform.ledger.get("/balances", headers=FINANCE)
    assert response.status_code == 200, response.text
    return {row["code"]: row["balance_pence"] for row in response.json()}


async def known_to_commissioning(platform: Platform, urn: int) -> None:
    await publish_school(platform.nats_url, urn)

    async def known() -> bool:
        path = f"/schools/{urn}/categorisations"
        return (await platform.commissioning.get(path, headers=OFFICER)).status_code == 200

    await eventually(known)


async def delivered(platform: Platform, case_id: str, **overrides: Any) -> None:
    deployment = await post(
        platform, f"/cases/{case_id}/deployments", deployment_body(**overrides), STAFF
    )
    await post(
        platform,
        f"/deployments/{deployment['id']}/complete",
        {"half_days": deployment["half_days"], "completed_on": "2026-11-20"},
        STAFF,
    )


async def test_support_by_the_company_s_own_adviser_owes_no_provider_and_reclaims_no_vat(
    platform: Platform,
) -> None:
    await known_to_commissioning(platform, ABBOTS_LANGLEY)
    contract = await post(platform, "/contracts", contract_body(), OFFICER)
    case = await post(platform, "/cases", case_body(contract["id"], ABBOTS_LANGLEY), OFFICER)
    own = {"name": "Company school improvement adviser", "kind": "adviser"}
    await delivered(platform, case["id"], provider=own)  # 4 half days at £600.00 a day
    await delivered(platform, case["id"])  # an NLE's: 4 half days at £600.00, plus VAT

    async def nle_booked() -> bool:
        transactions = (await platform.ledger.get("/transactions", headers=FINANCE)).json()
        return any(t["description"].startswith("Bushey Heath NLE") for t in transactions)

    await eventually(nle_booked)  # the adviser's completion was published before it
    book = await balances(platform)
    assert book["payables:providers"] == -144_000  # the NLE's £1,200.00 plus VAT, and no more
    assert book["vat:input"] == 24_000  # the NLE's VAT invoice's
    assert book["statutory:cost:delivery"] == 120_000
    by_contract = await platform.ledger.get(
        "/reports/statutory-by-contract?financial_year=2026-27", headers=FINANCE
    )
    assert by_contract.status_code == 200, by_contract.text
    assert [row["cost_pence"] for row in by_contract.json()["rows"]] == [120_000]


async def test_a_milestone_is_not_signed_off_and_invoiced_before_its_contract_starts(
    platform: Platform,
) -> None:
    today = Clock().today()
    starts = today + timedelta(days=30)
    later = await post(
        platform,
        "/contracts",
        contract_body(
            reference="HCC-SI-NEXT",
            start_on=starts.isoformat(),
            end_on=(starts + timedelta(days=364)).isoformat(),
        ),
        OFFICER,
    )
    early = await post(
        platform,
        f"/contracts/{later['id']}/milestones",
        {"title": "First monitoring round", "due_on": starts.isoformat(), "payment_pence": 50_000},
        OFFICER,
    )
    refused = await platform.commissioning.post(
        f"/contracts/{later['id']}/milestones/{early['id']}/complete",
        json={"evidence": "Notes of visits not yet made"},
        headers=OFFICER,
    )
    assert refused.status_code == 409, refused.text
    assert long_date(starts) in refused.text

    running = await milestone_signed_off(platform)

    async def booked() -> dict[str, int]:
        book = await balances(platform)
        return book if book.get("receivables:la") else {}

    book = await eventually(booked)  # published after the refusal, so read after it too
    assert book["receivables:la"] == 36_000  # the running contract's invoice alone
    assert "statutory:income:hcc-si-next" not in book
    invoices = (await platform.commissioning.get("/invoices", headers=OFFICER)).json()
    assert [invoice["contract_id"] for invoice in invoices] == [running["id"]]
