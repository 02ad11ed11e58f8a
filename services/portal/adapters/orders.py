"""The orders API: a school's basket and checkout, orders with their bookings and payments,
invoices (and their PDF), remittances and the annual renewal."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from services.portal.adapters.http import ApiClient, Download
from shared.api.orders import (
    BasketPublic,
    BookingPublic,
    CancellationPublic,
    CancelledOrderPublic,
    CheckoutPublic,
    InvoicePublic,
    RemittancePublic,
    RenewalOfferPublic,
    RenewalStatusPublic,
    RollingSubscriptionPublic,
    TrustBasketPublic,
    TrustRenewalOfferPublic,
)
from shared.money import format_pounds

# Stripe holds the money (or is clearing it): only its webhook is still to come.
PAYMENT_TAKEN = frozenset({"processing", "requires_capture", "succeeded"})
PAYMENT_LABELS = {
    "not_asked": "Not yet asked for",
    "awaiting_payment": "Awaiting payment",
    "invoiced": "Invoiced, not yet paid",
    "partly_paid": "Partly paid",
    "paid": "Paid",
    "partly_refunded": "Partly refunded",
    "refunded": "Refunded",
    "credited": "Credited in full",
    "void": "Not taken: cancelled before payment",
}


class Order(CheckoutPublic):
    """An order as the orders API answers it (with its card payment while one is awaited),
    and how the portal names the state of its money."""

    @property
    def payment_being_confirmed(self) -> bool:
        """The card was accepted, but Stripe's webhook has not yet marked the order paid."""
        return (
            self.payment_status == "awaiting_payment"
            and self.payment is not None
            and self.payment.status in PAYMENT_TAKEN
        )

    @property
    def school_urns(self) -> list[int]:
        """The schools it is for: a trust's names each on its lines (its own URN is only the
        first of them), a school's order is its own."""
        return sorted({line.school_urn for line in self.lines if line.school_urn}) or [self.urn]

    @property
    def bought_by(self) -> str:
        """Whose order it is, in a list of every school's orders."""
        if not self.trust_code:
            return str(self.urn)
        count = len(self.school_urns)
        return f"Trust {self.trust_code} ({count} school{'' if count == 1 else 's'})"

    @property
    def waiting_for(self) -> str | None:
        """What a placed order still waits for before it is bought: its approver, or its card
        payment; None once approved and paid or invoiced."""
        if self.status == "awaiting_approval":
            return "approval"
        if self.payment_status == "awaiting_payment" and not self.payment_being_confirmed:
            return "payment"
        return None

    @property
    def payment_label(self) -> str:
        """The state of its money, with what a credit note took off its invoice and what the
        school still owes (the state alone read "Invoiced, not yet paid" for the whole order
        after most of it was credited)."""
        if self.payment_being_confirmed:
            return "Payment being confirmed"
        label = PAYMENT_LABELS.get(self.payment_status, self.payment_status)
        invoice = self.invoice
        if invoice is None or not invoice.credited_pence or self.payment_status == "credited":
            return label
        owed = [f"{format_pounds(invoice.credited_pence)} credited"]
        if invoice.outstanding_pence:
            owed.append(f"{format_pounds(invoice.outstanding_pence)} still to pay")
        if invoice.owed_to_school_pence:
            owed.append(f"{format_pounds(invoice.owed_to_school_pence)} owed back to the school")
        return f"{label}: {', '.join(owed)}"


class Invoice(InvoicePublic):
    """An invoice as the orders API answers it, and how the portal names one with nothing
    outstanding: "Paid" only for money received, as a credit note brings in none."""

    @property
    def settled_label(self) -> str:
        if not self.credited_pence:
            return PAYMENT_LABELS["paid"]
        if not self.paid_pence:
            return PAYMENT_LABELS["credited"]
        settled = [
            f"{format_pounds(self.paid_pence)} paid",
            f"{format_pounds(self.credited_pence)} credited",
        ]
        if self.owed_to_school_pence:
            settled.append(f"{format_pounds(self.owed_to_school_pence)} owed back to the school")
        return ", ".join(settled)


class Cancellation(CancellationPublic):
    """What cancelling an order gives back, and how the portal says it."""

    @property
    def summary(self) -> str:
        if not self.gross_pence:
            return "Nothing is refunded or credited."
        if self.payment_method == "card":
            return f"{format_pounds(self.gross_pence)} is refunded to the card."
        return f"{format_pounds(self.gross_pence)} is credited against the invoice."


class CancelledOrder(CancelledOrderPublic):
    given_back: Cancellation


class OrdersApi:
    def __init__(self, api: ApiClient) -> None:
        self._api = api

    async def place_by_invoice(
        self, *, urn: int, service_id: UUID, quantity: int, purchase_order: str
    ) -> Order:
        body = {
            "urn": urn,
            "lines": [{"service_id": str(service_id), "quantity": quantity}],
            "payment_method": "invoice",
            "purchase_order": purchase_order,
        }
        return Order.model_validate(await self._api.post("/orders", body))

    async def orders(self) -> list[Order]:
        return await self._api.get_list(Order, "/orders")

    async def order(self, order_id: UUID) -> Order:
        return Order.model_validate(await self._api.get(f"/orders/{order_id}"))

    async def decide(self, order_id: UUID, decision: str) -> Order:
        """The school approver's answer to an order awaiting approval: approve or decline."""
        return Order.model_validate(
            await self._api.post(f"/orders/{order_id}/approval", {"decision": decision})
        )

    async def cancellation(self, order_id: UUID) -> Cancellation:
        """What cancelling the order today would give back, line by line; changes nothing."""
        return Cancellation.model_validate(await self._api.get(f"/orders/{order_id}/cancellation"))

    async def cancel(self, order_id: UUID, reason: str) -> CancelledOrder:
        """A card refund or a credit note, by the rule of each line's service type: the answer
        says what was given back."""
        return CancelledOrder.model_validate(
            await self._api.post(f"/orders/{order_id}/cancel", {"reason": reason})
        )

    async def fulfil(self, order_id: UUID) -> Order:
        """Record that what the order bought has been delivered (company staff)."""
        return Order.model_validate(await self._api.post(f"/orders/{order_id}/fulfil", {}))

    async def refund(self, order_id: UUID, fields: dict[str, Any]) -> Order:
        """Part or all of a card payment, through Stripe; never more than was paid."""
        return Order.model_validate(await self._api.post(f"/orders/{order_id}/refunds", fields))

    async def rolling(self, urn: int) -> list[RollingSubscriptionPublic]:
        """A school's rolling subscriptions, with their next renewal."""
        return await self._api.get_list(
            RollingSubscriptionPublic, "/rolling-subscriptions", urn=urn
        )

    async def cancel_rolling(self, subscription_id: UUID) -> RollingSubscriptionPublic:
        """Ends it with its period; refused (409) inside the notice period."""
        return RollingSubscriptionPublic.model_validate(
            await self._api.post(f"/rolling-subscriptions/{subscription_id}/cancel", {})
        )

    async def answer_offer(self, order_id: UUID, line_id: UUID, answer: str) -> Order:
        """`accept` or `decline` the course places offered from the waiting list."""
        return Order.model_validate(
            await self._api.post(f"/orders/{order_id}/lines/{line_id}/{answer}", {})
        )

    async def bookings(self) -> list[BookingPublic]:
        """Course places booked, waiting or offered (a school's own)."""
        return await self._api.get_list(BookingPublic, "/bookings")

    async def payment(self, order_id: UUID) -> Order:
        """An order with, while it awaits a card payment, that payment as Stripe has it."""
        return Order.model_validate(await self._api.get(f"/orders/{order_id}/payment"))

    async def basket(self, urn: int) -> BasketPublic:
        return BasketPublic.model_validate(await self._api.get(f"/baskets/{urn}"))

    async def add_to_basket(self, urn: int, fields: dict[str, Any]) -> BasketPublic:
        return BasketPublic.model_validate(await self._api.post(f"/baskets/{urn}/lines", fields))

    async def change_line(self, urn: int, line_id: UUID, quantity: int) -> BasketPublic:
        return BasketPublic.model_validate(
            await self._api.patch(f"/baskets/{urn}/lines/{line_id}", {"quantity": quantity})
        )

    async def remove_line(self, urn: int, line_id: UUID) -> BasketPublic:
        return BasketPublic.model_validate(
            await self._api.delete(f"/baskets/{urn}/lines/{line_id}")
        )

    async def checkout(self, urn: int, fields: dict[str, Any], *, key: str) -> Order:
        """Once per key: a second press of the button gets the same order back."""
        answer = await self._api.post(
            f"/baskets/{urn}/checkout", fields, headers={"Idempotency-Key": key}
        )
        return Order.model_validate(answer)

    async def trust_basket(self, trust_code: str) -> TrustBasketPublic:
        """The trust's schools, each with its basket, and their total."""
        return TrustBasketPublic.model_validate(await self._api.get(f"/trusts/{trust_code}/basket"))

    async def trust_checkout(self, trust_code: str, purchase_order: str, *, key: str) -> Order:
        """Every basket of the trust's schools as one order on one invoice to the trust."""
        answer = await self._api.post(
            f"/trusts/{trust_code}/checkout",
            {"purchase_order": purchase_order},
            headers={"Idempotency-Key": key},
        )
        return Order.model_validate(answer)

    async def invoices(self) -> list[Invoice]:
        return await self._api.get_list(Invoice, "/invoices")

    async def invoice(self, invoice_id: UUID) -> InvoicePublic:
        return InvoicePublic.model_validate(await self._api.get(f"/invoices/{invoice_id}"))

    async def invoice_pdf(self, invoice_id: UUID) -> Download:
        return await self._api.download(f"/invoices/{invoice_id}/pdf")

    async def record_remittance(self, invoice_id: UUID, fields: dict[str, Any]) -> InvoicePublic:
        return InvoicePublic.model_validate(
            await self._api.post(f"/invoices/{invoice_id}/remittances", fields)
        )

    async def remittances(self) -> list[RemittancePublic]:
        return await self._api.get_list(RemittancePublic, "/remittances")

    async def renewal_offer(self, urn: int, year: str) -> RenewalOfferPublic:
        return RenewalOfferPublic.model_validate(await self._api.get(f"/renewals/{urn}", year=year))

    async def renewal_statuses(self, year: str) -> list[RenewalStatusPublic]:
        return await self._api.get_list(RenewalStatusPublic, "/renewals", year=year)

    async def renew(self, urn: int, year: str, fields: dict[str, Any], *, key: str) -> Order:
        answer = await self._api.post(
            f"/renewals/{urn}?year={year}", fields, headers={"Idempotency-Key": key}
        )
        return Order.model_validate(answer)

    async def trust_renewal_offer(self, trust_code: str, year: str) -> TrustRenewalOfferPublic:
        return TrustRenewalOfferPublic.model_validate(
            await self._api.get(f"/trusts/{trust_code}/renewal", year=year)
        )

    async def renew_trust(
        self, trust_code: str, year: str, purchase_order: str, *, key: str
    ) -> Order:
        answer = await self._api.post(
            f"/trusts/{trust_code}/renewal?year={year}",
            {"purchase_order": purchase_order},
            headers={"Idempotency-Key": key},
        )
        return Order.model_validate(answer)


def fresh_key() -> str:
    """An Idempotency-Key for a checkout form: made when the form is shown, sent with it."""
    return uuid.uuid4().hex
