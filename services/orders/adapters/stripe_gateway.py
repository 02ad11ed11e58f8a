"""Card payments through the official `stripe` SDK: Stripe itself in production, localstripe
in the local run and the tests (the same SDK calls, another base address)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from uuid import UUID

import stripe
from stripe.params import RefundCreateParams

from services.orders.application.ports import CardPayment, MadeRefund, PaymentNews, RefundRefused
from services.orders.config import Settings
from shared.errors import Conflict, Unavailable

PAYMENT_EVENTS = ("payment_intent.succeeded", "payment_intent.payment_failed")
NO_ANSWER = "the card processor did not answer; try again shortly"
# What Stripe answers the same way however often it is asked (the same key, the same answer).
REFUSED_FOR_GOOD = (stripe.CardError, stripe.InvalidRequestError, stripe.IdempotencyError)
REFUND_ID = "refund_id"  # the metadata a refund at Stripe carries our refund's id in
MADE = frozenset({"succeeded", "pending", "requires_action"})  # not failed, nor canceled
REPLAYED = "idempotent-replayed"  # Stripe's header on an answer given again for a key it knows


def gateway_for(settings: Settings) -> StripeGateway:
    """Stripe itself, or localstripe on this machine, as the settings say."""
    return StripeGateway(
        secret_key=settings.stripe_secret_key,
        webhook_secret=settings.stripe_webhook_secret,
        api_base=settings.stripe_api_base,
        timeout_seconds=settings.stripe_timeout_seconds,
    )


class ForgedWebhook(Exception):
    """A webhook whose signature does not verify (forged, tampered with, or too old)."""


class StripeGateway:
    def __init__(
        self,
        *,
        secret_key: str,
        webhook_secret: str,
        api_base: str | None,
        timeout_seconds: float = 10.0,
    ) -> None:
        self._http = stripe.HTTPXClient(timeout=timeout_seconds)
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_base} if api_base else {},
            http_client=self._http,
            max_network_retries=2,
        )
        self._webhook_secret = webhook_secret

    async def aclose(self) -> None:
        await self._http.close_async()  # type: ignore[no-untyped-call]  # the SDK leaves it untyped

    async def create_payment(
        self, *, amount_pence: int, order_id: UUID, urn: int, idempotency_key: str
    ) -> CardPayment:
        with _stripe_errors():
            intent = await self._client.v1.payment_intents.create_async(
                params={
                    "amount": amount_pence,
                    "currency": "gbp",
                    "metadata": {"order_id": str(order_id), "urn": str(urn)},
                },
                options={"idempotency_key": idempotency_key},
            )
        return _payment(intent)

    async def payment(self, reference: str) -> CardPayment:
        with _stripe_errors():
            return _payment(await self._client.v1.payment_intents.retrieve_async(reference))

    async def cancel_payment(self, reference: str) -> None:
        with _stripe_errors():
            try:
                await self._client.v1.payment_intents.cancel_async(reference)
            except stripe.InvalidRequestError:
                intent = await self._client.v1.payment_intents.retrieve_async(reference)
                if intent.status != "canceled":
                    raise

    async def refund(
        self, *, reference: str, amount_pence: int, idempotency_key: str, refund_id: UUID
    ) -> MadeRefund:
        asked: RefundCreateParams = {"payment_intent": reference, "amount": amount_pence}
        carrying: RefundCreateParams = {**asked, "metadata": {REFUND_ID: str(refund_id)}}
        options: stripe.RequestOptions = {"idempotency_key": idempotency_key}
        try:
            try:
                refund = await self._client.v1.refunds.create_async(carrying, options)
            except stripe.IdempotencyError:
                # This key was used for this refund before refunds carried our id (by an earlier
                # release, its answer lost): asked as it was then, Stripe answers as it did then.
                refund = await self._client.v1.refunds.create_async(asked, options)
        except REFUSED_FOR_GOOD as error:
            raise RefundRefused(f"the card processor refused: {_reason(error)}") from error
        except stripe.APIConnectionError as error:
            raise Unavailable(NO_ANSWER) from error
        except stripe.StripeError as error:  # busy, failing, or our keys wrong: asked again
            raise Unavailable(
                f"the card processor could not refund now: {_reason(error)}"
            ) from error
        response = refund.last_response
        replayed = response is not None and response.headers.get(REPLAYED) == "true"
        return _made(refund) if replayed else MadeRefund(str(refund.id))

    async def refund_made(self, *, reference: str, refund_id: UUID) -> MadeRefund | None:
        try:
            found = await self._client.v1.refunds.list_async(
                params={"payment_intent": reference, "limit": 100}
            )
            async for refund in found.auto_paging_iter():
                carried = refund.metadata.to_dict() if refund.metadata else {}
                if carried.get(REFUND_ID) == str(refund_id) and refund.status in MADE:
                    return _made(refund)
        except stripe.StripeError as error:  # out of reach, or refusing to list: asked again
            raise Unavailable(
                f"the card processor could not list the payment's refunds: {_reason(error)}"
            ) from error
        return None

    def verify(self, payload: bytes, signature: str) -> PaymentNews | None:
        """The event a signed webhook carries, if it is about a payment; raises ForgedWebhook."""
        try:
            event = stripe.Webhook.construct_event(payload, signature, self._webhook_secret)
        except (stripe.SignatureVerificationError, ValueError) as error:
            raise ForgedWebhook(str(error)) from error
        if event.type not in PAYMENT_EVENTS:
            return None
        intent = event.data.object
        return PaymentNews(
            event_id=str(event.id),
            type=str(event.type),
            reference=str(intent["id"]),
            amount_pence=int(intent["amount"]),
        )


def _payment(intent: stripe.PaymentIntent) -> CardPayment:
    return CardPayment(
        reference=intent.id,
        client_secret=str(intent.client_secret),
        status=str(intent.status),
        amount_pence=int(intent.amount),
    )


@contextmanager
def _stripe_errors() -> Iterator[None]:
    """Stripe out of reach is 'try again'; Stripe refusing is a conflict, with its reason."""
    try:
        yield
    except stripe.APIConnectionError as error:
        raise Unavailable(NO_ANSWER) from error
    except stripe.StripeError as error:
        raise Conflict(f"the card processor refused: {_reason(error)}", field="payment") from error


def _reason(error: stripe.StripeError) -> str:
    return error.user_message or str(error)


def _made(refund: stripe.Refund) -> MadeRefund:
    """A refund Stripe made at an earlier ask, with when it made it."""
    return MadeRefund(str(refund.id), made_earlier_at=datetime.fromtimestamp(refund.created, UTC))
