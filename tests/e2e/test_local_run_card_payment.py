"""`scp up` in local mode starts localstripe beside the services: a school pays by card through
it, and its signed webhook, posted to the orders API, marks the order paid."""

from __future__ import annotations

import asyncio
import re
import uuid
from typing import Any

import httpx
import pytest
import stripe

from services.orders.config import LOCAL_STRIPE_KEY
from shared.auth import Role
from tests.e2e.test_local_run import running, wait_for
from tests.support.local_platform import LocalPlatform
from tests.support.platform import ABBOTS_LANGLEY, auth

pytestmark = pytest.mark.e2e
SCHOOL = auth(Role.SCHOOL, ABBOTS_LANGLEY)
__all__ = ["running"]  # the platform `scp up` runs, started once for this module


def confirm_with_card(stripe_url: str, reference: str) -> str:
    """The browser's part (Stripe's Payment Element): attach a card and confirm."""

    async def confirm() -> str:
        client = stripe.StripeClient(
            LOCAL_STRIPE_KEY, base_addresses={"api": stripe_url}, http_client=stripe.HTTPXClient()
        )
        card = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2031, "cvc": "123"}
        method = await client.v1.payment_methods.create_async(params={"type": "card", "card": card})
        await client.v1.payment_intents.update_async(
            reference, params={"payment_method": method.id}
        )
        return str((await client.v1.payment_intents.confirm_async(reference)).status)

    return asyncio.run(confirm())


def test_a_card_checkout_in_the_local_run_is_paid_by_localstripe_s_webhook(
    running: LocalPlatform,
) -> None:
    match = re.search(r"localstripe\s+(http://127\.0\.0\.1:\d+)", running.log())
    assert match, running.log()
    orders = running.url("orders")

    def clerking() -> dict[str, Any] | None:
        listings = httpx.get(f"{orders}/listings", headers=SCHOOL).json()
        return next((found for found in listings if found["code"] == "GOV-CLERK"), None)

    clerk = wait_for(clerking)
    added = httpx.post(
        f"{orders}/baskets/{ABBOTS_LANGLEY}/lines",
        json={"service_id": clerk["service_id"], "quantity": 1},
        headers=SCHOOL,
        timeout=10,
    )
    assert added.status_code == 201, added.text
    placed = httpx.post(
        f"{orders}/baskets/{ABBOTS_LANGLEY}/checkout",
        json={"payment_method": "card"},
        headers={**SCHOOL, "Idempotency-Key": uuid.uuid4().hex},
        timeout=10,
    )
    assert placed.status_code == 201, placed.text
    assert placed.json()["status"] == "awaiting_payment"

    assert confirm_with_card(match.group(1), placed.json()["payment"]["reference"]) == "succeeded"

    def paid() -> bool:
        order = httpx.get(f"{orders}/orders/{placed.json()['id']}", headers=SCHOOL).json()
        return order["status"] == "paid"

    wait_for(paid)
