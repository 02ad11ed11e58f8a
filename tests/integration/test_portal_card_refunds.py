"""What the portal says of money given back to a card: a refund is "made" only once the card
provider has made it. While the provider has not answered (the orders API answers 202), the
change is made and the refund said to be asked, to be completed automatically; if the provider
refused it for good (409), the change is made and the refusal said, with what finance does
about it. The order's page and finance's card refunds page list each refund as it stands, and
finance asks the provider again for one it refused."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import pytest

from services.orders.adapters.stripe_gateway import StripeGateway
from services.orders.config import LOCAL_STRIPE_KEY, LOCAL_WEBHOOK_SECRET
from services.orders.entrypoints.worker import finish_asked_refunds
from tests.support.nats_server import free_port
from tests.support.orders_shop import Shop, localstripe, quiet_shop
from tests.support.portal_pages import PortalVisitor, signed_in_portal, text_of

__all__ = ["localstripe", "quiet_shop"]
pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

REFUSAL = "Your card was closed."


def out_of_reach() -> StripeGateway:
    """Orders' gateway to a Stripe nothing answers for."""
    return StripeGateway(
        secret_key=LOCAL_STRIPE_KEY,
        webhook_secret=LOCAL_WEBHOOK_SECRET,
        api_base=f"http://127.0.0.1:{free_port()}",
    )


@asynccontextmanager
async def visiting(shop: Shop, user: str) -> AsyncIterator[PortalVisitor]:
    async with signed_in_portal(shop.platform, user) as visitor:
        yield visitor


async def paid_order(shop: Shop) -> dict[str, Any]:
    """A school's card order of £240.00 (VAT and all), paid, not yet delivered."""
    service = await shop.service(unit_price_pence=20_000)
    return await shop.paid_by_card(service["id"])


async def refund_fifty_pounds(finance: PortalVisitor, order_url: str) -> None:
    """Finance refunds £50 of the order to the card, for goodwill, from the order's page."""
    refunded = await finance.post(
        f"/finance{order_url}/refund", data={"refund_amount": "50", "refund_reason": "goodwill"}
    )
    assert refunded.status_code == 303, refunded.text


async def page_of(visitor: PortalVisitor, url: str) -> str:
    answer = await visitor.get(url)
    assert answer.status_code == 200, answer.text
    return text_of(answer.text)


async def test_a_refund_the_card_provider_has_not_yet_made_is_said_to_be_asked_not_made(
    quiet_shop: Shop,
) -> None:
    shop = quiet_shop
    order = await paid_order(shop)
    url = f"/orders/{order['id']}"
    shop.use_gateway(out_of_reach())
    async with visiting(shop, "finance") as finance:
        await refund_fifty_pounds(finance, url)
        page = await page_of(finance, url)

        assert "Refund made" not in page and "£50.00 refunded" not in page
        assert "Refund asked" in page
        assert (
            "Refund of £50.00 asked of the card provider; it will be completed automatically."
            in page
        )
        assert "Payment Paid: £50.00 being refunded" in page
        assert "Card: £240.00 paid, £50.00 being refunded" in page
        assert re.search(r"Refund to the card goodwill £50\.00 Asked of the card provider", page)
        assert "at most £190.00 may be refunded" in page

        shop.use_gateway(None)
        await finish_asked_refunds(shop.bus(), 0)  # the worker's job
        page = await page_of(finance, url)
        assert "Payment Partly refunded" in page and "Card: £240.00 paid, £50.00 refunded" in page
        assert re.search(r"Refund to the card goodwill £50\.00 Refunded", page)
        listed = await page_of(finance, "/finance/refunds")
        assert re.search(r"Order goodwill £50\.00 Refunded", listed)


async def test_a_cancellation_whose_refund_is_not_yet_made_says_so(quiet_shop: Shop) -> None:
    shop = quiet_shop
    order = await paid_order(shop)
    url = f"/orders/{order['id']}"
    shop.use_gateway(out_of_reach())
    async with visiting(shop, "school") as school:
        cancelled = await school.post(f"{url}/cancel", data={"reason": "not needed"})
        assert cancelled.status_code == 303, cancelled.text
        page = await page_of(school, url)

    assert "Order cancelled" in page
    assert "£240.00 is refunded to the card" not in page
    assert "Refund of £240.00 asked of the card provider; it will be completed automatically" in (
        page
    )
    assert "Payment Paid: £240.00 being refunded" in page
    assert "Not yet refunded: it will be completed automatically." in page


async def test_a_refused_refund_is_said_refused_and_finance_asks_the_card_provider_again(
    quiet_shop: Shop,
) -> None:
    shop = quiet_shop
    order = await paid_order(shop)
    url = f"/orders/{order['id']}"
    async with visiting(shop, "school") as school, visiting(shop, "finance") as finance:
        async with shop.refusing_refunds(REFUSAL):
            cancelled = await school.post(f"{url}/cancel", data={"reason": "not needed"})
        assert cancelled.status_code == 303, cancelled.text
        page = await page_of(school, url)

        assert "Order cancelled" in page and "Order Cancelled" in page  # the change is made
        assert "is refunded to the card" not in page
        assert (
            f"The card provider refused the refund of £240.00 ({REFUSAL}): no money has gone "
            "back to the card. The refusal is raised as an alarm and listed on finance's card "
            "refunds page" in page
        )
        assert "Payment Paid: £240.00 refund refused by the card provider" in page
        assert "Payment Refunded" not in page
        assert re.search(rf"£240\.00 Refused by the card provider {re.escape(REFUSAL)}", page)
        assert "Ask the card provider again" not in page  # finance's to do

        listed = await page_of(finance, "/finance/refunds")
        assert re.search(r"Order not needed £240\.00 Refused by the card provider", listed)
        [refund_id] = refund_ids((await finance.get(url)).text)
        asked = await finance.post(f"/finance/refunds/{refund_id}/ask-again", data={"back": url})
        assert (asked.status_code, asked.headers["location"]) == (303, url), asked.text
        page = await page_of(finance, url)
        assert "Refund made £240.00 is refunded to the card." in page
        assert "Order Cancelled Payment Refunded" in page
        assert "Ask the card provider again" not in page
        elsewhere = await finance.post(
            f"/finance/refunds/{refund_id}/ask-again", data={"back": "https://elsewhere.example"}
        )
        assert elsewhere.status_code == 422  # made already: said on the card refunds page
        assert "Only a card refund the card processor refused" in text_of(elsewhere.text)


async def test_finance_is_told_a_refund_the_card_provider_refused_was_not_made(
    quiet_shop: Shop,
) -> None:
    shop = quiet_shop
    order = await paid_order(shop)
    url = f"/orders/{order['id']}"
    async with visiting(shop, "finance") as finance:
        async with shop.refusing_refunds(REFUSAL):
            await refund_fifty_pounds(finance, url)
        page = await page_of(finance, url)

        assert "Refund made" not in page
        assert (
            "Refund refused by the card provider The card provider refused the refund of £50.00 "
            f"({REFUSAL})" in page
        )
        assert "Payment Paid: £50.00 refund refused by the card provider" in page
        assert "at most £190.00 may be refunded" in page
        [refund_id] = refund_ids((await finance.get(url)).text)
        async with shop.refusing_refunds(REFUSAL):
            again = await finance.post(f"/finance/refunds/{refund_id}/ask-again")
        assert again.status_code == 422, again.text
        assert "refused the refund of £50.00 again" in text_of(again.text)
        assert "Asked 2 times" in text_of(again.text)


async def test_a_refund_made_days_after_it_was_asked_is_listed_on_the_day_made(
    quiet_shop: Shop,
) -> None:
    shop = quiet_shop
    shop.set_day(date(2027, 3, 31))
    order = await paid_order(shop)
    url = f"/orders/{order['id']}"
    shop.use_gateway(out_of_reach())
    async with visiting(shop, "finance") as finance:
        await refund_fifty_pounds(finance, url)
        listed = await page_of(finance, "/finance/refunds")
        assert "Not yet made Asked on 31 March 2027 Order goodwill £50.00 Asked" in listed

        shop.use_gateway(None)
        shop.set_day(date(2027, 4, 2))
        await finish_asked_refunds(shop.bus(), 0)  # the worker's job, two days on

        listed = await page_of(finance, "/finance/refunds")
        assert "2 April 2027 Asked on 31 March 2027 Order goodwill £50.00 Refunded" in listed
        page = await page_of(finance, url)
        assert "2 April 2027 Asked on 31 March 2027 Refund to the card goodwill £50.00" in page


async def test_finance_records_a_refused_refund_paid_back_by_bank_transfer(
    quiet_shop: Shop,
) -> None:
    shop = quiet_shop
    shop.set_day(date(2027, 5, 10))
    order = await paid_order(shop)
    url = f"/orders/{order['id']}"
    async with visiting(shop, "school") as school, visiting(shop, "finance") as finance:
        async with shop.refusing_refunds(REFUSAL):
            cancelled = await school.post(f"{url}/cancel", data={"reason": "not needed"})
        assert cancelled.status_code == 303, cancelled.text
        shop.set_day(date(2027, 5, 14))
        listed = await page_of(finance, "/finance/refunds")
        assert "Ask the card provider again" in listed and "Paid back by bank transfer" in listed
        [refund_id] = refund_ids((await finance.get(url)).text)
        form = f"transfer-{refund_id}"
        action = f"/finance/refunds/{refund_id}/paid-by-transfer"

        blank = await finance.post(action, data={})
        assert blank.status_code == 422, blank.text
        said = text_of(blank.text)
        assert "There is a problem" in said and "Bank reference" in said
        assert "Enter the date it was paid" in said
        assert f'href="#{form}-reference"' in blank.text
        tomorrow = {"day": "15", "month": "5", "year": "2027"}
        late = await finance.post(
            action,
            data={f"{form}-reference": "FP 0042"}
            | {f"{form}-paid_on-{part}": value for part, value in tomorrow.items()},
        )
        assert late.status_code == 422, late.text
        assert "cannot have been paid by bank transfer after today" in text_of(late.text)
        assert 'value="FP 0042"' in late.text  # what was typed is kept
        assert "Refused by the card provider" in text_of((await finance.get(url)).text)

        paid = await finance.post(
            action,
            data={
                f"{form}-reference": "FP 0042",
                f"{form}-paid_on-day": "13",
                f"{form}-paid_on-month": "5",
                f"{form}-paid_on-year": "2027",
            },
        )
        assert (paid.status_code, paid.headers["location"]) == (303, "/finance/refunds")
        listed = await page_of(finance, "/finance/refunds")
        assert "£240.00 paid back by bank transfer on 13 May 2027, reference FP 0042." in listed
        assert re.search(
            r"13 May 2027 Asked on 10 May 2027 Order not needed £240\.00 Refunded by bank "
            r"transfer The card provider refused it: paid from the bank, reference FP 0042",
            listed,
        )
        assert "Ask the card provider again" not in listed
        page = await page_of(school, url)
        assert "Refund by bank transfer not needed £240.00 Refunded by bank transfer" in page
        assert "Payment Refunded" in page


def refund_ids(page: str) -> list[str]:
    return re.findall(r"/finance/refunds/([0-9a-f-]{36})/ask-again", page)
