"""The page that confirms a milestone's sign-off asks the officer to invoice what the invoice
will ask the LA to pay: the service credits waiting on the contract come off it, and the page
shows them before anything is raised."""

from __future__ import annotations

import re

import pytest

from shared.auth import Role
from shared.money import format_pounds
from tests.support.commissioning_app import contract_body
from tests.support.platform import Platform, auth
from tests.support.portal_pages import signed_in_portal, text_of

pytestmark = pytest.mark.asyncio(loop_scope="module")

OFFICER = auth(Role.LA_OFFICER)


async def post(platform: Platform, path: str, body: object) -> dict[str, str]:
    answer = await platform.commissioning.post(path, json=body, headers=OFFICER)
    assert answer.is_success, answer.text
    return answer.json()  # type: ignore[no-any-return]


async def test_the_sign_off_page_names_the_credits_coming_off_and_what_the_la_will_pay(
    seeded: Platform,
) -> None:
    contract = await post(seeded, "/contracts", contract_body(reference="HCC-SI-CREDITED"))
    path = f"/contracts/{contract['id']}"
    milestone = await post(
        seeded,
        f"{path}/milestones",
        {"title": "Autumn report", "due_on": "2026-12-04", "payment_pence": 500_000},
    )
    for period, credit in (("2026-Q2", 50_003), ("2026-Q3", 20_001)):  # odd pence: VAT rounds
        kpi = await post(
            seeded,
            f"{path}/kpis",
            {"title": f"Reports on time {period}", "target": 95, "service_credit_pence": credit},
        )
        await post(seeded, f"{path}/kpis/{kpi['id']}/actuals", {"period": period, "actual": 80})
    sign_off = f"{path}/milestones/{milestone['id']}/sign-off"

    async with signed_in_portal(seeded, "la-officer") as officer:
        confirming = text_of((await officer.get(sign_off)).text)
        signed = await officer.post(sign_off, data={"evidence": "Autumn report received"})
        assert signed.status_code == 303, signed.text

    answer = await seeded.commissioning.get(
        "/invoices", params={"contract_id": contract["id"]}, headers=OFFICER
    )
    (invoice,) = answer.json()
    credits = invoice["credits"]
    assert sorted(credit["net_pence"] for credit in credits) == [20_001, 50_003]
    assert "Invoice to the LA £6,000.00" in confirming
    for credit in credits:
        assert f"{credit['reason']} -{format_pounds(credit['gross_pence'])}" in confirming
    to_pay = format_pounds(invoice["payable_gross_pence"])
    assert f"The LA pays {to_pay}" in confirming
    assert f"Sign off and invoice {to_pay}" in confirming


async def test_a_sign_off_whose_invoice_changed_since_its_page_shows_the_new_figure_and_invoices_nothing(
    seeded: Platform,
) -> None:
    """Another milestone signed off meanwhile took the credit the page showed coming off: the
    officer's button said £540.00, and the LA would have been invoiced £600.00."""
    contract = await post(seeded, "/contracts", contract_body(reference="HCC-SI-SHOWN"))
    path = f"/contracts/{contract['id']}"
    autumn, spring = [
        await post(
            seeded,
            f"{path}/milestones",
            {"title": title, "due_on": "2026-12-04", "payment_pence": 50_000},
        )
        for title in ("Autumn visits", "Spring visits")
    ]
    kpi = await post(
        seeded, f"{path}/kpis", {"title": "Visits", "target": 95, "service_credit_pence": 5_000}
    )
    await post(seeded, f"{path}/kpis/{kpi['id']}/actuals", {"period": "2026-Q2", "actual": 80})
    sign_off = f"{path}/milestones/{autumn['id']}/sign-off"

    async with signed_in_portal(seeded, "la-officer") as officer:
        page = (await officer.get(sign_off)).text
        assert "Sign off and invoice £540.00" in text_of(page)
        shown = re.findall(r'name="payable_gross_pence" value="(\d+)"', page)
        assert shown == ["54000"]  # the form carries what its button says
        await post(seeded, f"{path}/milestones/{spring['id']}/complete", {"evidence": "Report"})
        refused = await officer.post(
            sign_off, data={"evidence": "Autumn visits made", "payable_gross_pence": shown[0]}
        )
        assert refused.status_code == 422, refused.text
        again = text_of(refused.text)

    assert "the LA would pay £600.00, not £540.00" in again
    assert "Sign off and invoice £600.00" in again
    answer = await seeded.commissioning.get(
        "/invoices", params={"contract_id": contract["id"]}, headers=OFFICER
    )
    assert [invoice["milestone_id"] for invoice in answer.json()] == [spring["id"]]
