"""The browser's side of a card payment, against localstripe: what Stripe's Payment Element does
with the card a school's buyer types in."""

from __future__ import annotations

import stripe

from services.orders.config import LOCAL_STRIPE_KEY

TEST_CARD = "4242424242424242"  # Stripe's test card that is always approved


def stripe_client(url: str, http_client: stripe.HTTPXClient | None = None) -> stripe.StripeClient:
    """The Stripe SDK pointed at localstripe at `url` (through `http_client`, given one that its
    caller closes)."""
    return stripe.StripeClient(
        LOCAL_STRIPE_KEY,
        base_addresses={"api": url},
        http_client=http_client or stripe.HTTPXClient(),
    )


async def confirm_with_card(
    client: stripe.StripeClient, reference: str, card: str = TEST_CARD
) -> str:
    """Attach a card to the payment `reference` and confirm it; its status afterwards."""
    method = await client.v1.payment_methods.create_async(
        params={
            "type": "card",
            "card": {"number": card, "exp_month": 12, "exp_year": 2031, "cvc": "123"},
        }
    )
    await client.v1.payment_intents.update_async(reference, params={"payment_method": method.id})
    return str((await client.v1.payment_intents.confirm_async(reference)).status)
