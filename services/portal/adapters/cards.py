"""Card payments in local and test runs, against localstripe: what Stripe's Payment Element
does in the browser (attach a card to the PaymentIntent and confirm it), done on the server,
because the Payment Element needs real Stripe. Never used in production (settings refuse it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import stripe

from services.orders.config import LOCAL_STRIPE_KEY


class CardRefused(Exception):
    """Stripe declined the card or could not use it; the message says why."""


@dataclass(frozen=True)
class CardDetails:
    number: str
    exp_month: int
    exp_year: int
    cvc: str


class LocalStripeCards:
    def __init__(self, api_base: str) -> None:
        self._client = stripe.StripeClient(
            LOCAL_STRIPE_KEY, base_addresses={"api": api_base}, http_client=stripe.HTTPXClient()
        )

    async def confirm(self, reference: str, card: CardDetails) -> str:
        """The PaymentIntent's status once confirmed with this card ('succeeded' when paid)."""
        details: dict[str, Any] = {
            "number": card.number,
            "exp_month": card.exp_month,
            "exp_year": card.exp_year,
            "cvc": card.cvc,
        }
        params: Any = {"type": "card", "card": details}  # localstripe takes raw card numbers
        try:
            method = await self._client.v1.payment_methods.create_async(params=params)
            await self._client.v1.payment_intents.update_async(
                reference, params={"payment_method": method.id}
            )
            confirmed = await self._client.v1.payment_intents.confirm_async(reference)
        except stripe.StripeError as error:
            raise CardRefused(error.user_message or "the card was not accepted") from error
        return str(confirmed.status)
