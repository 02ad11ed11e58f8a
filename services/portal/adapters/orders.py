"""The orders API: a school's basket and checkout, orders with their bookings and payments,
invoices (and their PDF), remittances, refunds and the annual renewal.

A change that gives money back to a card (a refund, a cancellation, places declined) is made
at once, but its card refund is money returned only once the card provider has made it: the
orders API answers 202 while the provider has not yet answered (it is asked again until it
does), and 409 on the field "refund" if the provider refused it for good (the change is made all
the same). What the portal says of such a change, and of each refund, follows that."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel

from services.portal.adapters.http import ApiClient, ApiError, Download
from shared.api.orders import (
    BasketPublic,
    BookingPublic,
    BoughtPublic,
    CancellationPublic,
    CancelledOrderPublic,
    CheckoutPublic,
    InvoicePublic,
    RefundPublic,
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
STILL_ASKED = 202  # the change is made; the card provider has not yet made its refund
REFUND_STATES = {  # a card refund's status: its words, and its tag's colour
    "done": ("Refunded", "green"),
    "asked": ("Asked of the card provider", "yellow"),
    "failed": ("Refused by the card provider", "red"),
}
NO_TIME = datetime.min.replace(tzinfo=UTC)
REFUSED_BY = "the card processor refused: "  # how the orders API begins the provider's reason


def why_refused(reason: str | None) -> str:
    """The card provider's own reason for refusing a refund."""
    return (reason or "no reason given").removeprefix(REFUSED_BY)


class RefundNews(BaseModel):
    """How the card refund of a change stood when the orders API answered it: made, still
    asked of the card provider (202), or refused by it for good (409)."""

    state: Literal["made", "asked", "refused"]
    gross_pence: int = 0
    refused: str = ""  # why the card provider refused it

    @property
    def words(self) -> str:
        pounds = format_pounds(self.gross_pence)
        if self.state == "asked":
            return (
                f"Refund of {pounds} asked of the card provider; it will be completed "
                "automatically. No money has gone back to the card yet."
            )
        if self.state == "refused":
            why = f" ({why_refused(self.refused)})" if self.refused else ""
            return (
                f"The card provider refused the refund of {pounds}{why}: "
                "no money has gone back to the card. The refusal is raised as an alarm and "
                "listed on finance's card refunds page, for finance to ask again or give the "
                "money back another way."
            )
        return f"{pounds} is refunded to the card."


@dataclass(frozen=True)
class TransferFields:
    """The ids of the fields of the form recording a refused refund paid back by bank transfer:
    one form per refund on finance's card refunds page, each with ids of its own."""

    reference: str
    paid_on: str
    button: str


def transfer_fields(refund_id: UUID) -> TransferFields:
    form = f"transfer-{refund_id}"
    return TransferFields(f"{form}-reference", f"{form}-paid_on", form)


class Refund(RefundPublic):
    """A card refund or a credit note, and how the portal says where it stands: a card refund
    is money returned only once the card provider has made it (or, the provider having refused
    it, once finance has paid it back by bank transfer)."""

    @property
    def by_transfer(self) -> bool:
        return self.method == "bank_transfer"

    @property
    def what(self) -> str:
        if self.kind == "credit_note":
            return f"Credit note {self.number}"
        return "Refund by bank transfer" if self.by_transfer else "Refund to the card"

    @property
    def made_on(self) -> date | None:
        """The day the money went back: a card refund's, once it was made."""
        return self.issued_on if self.kind == "credit_note" or self.status == "done" else None

    @property
    def transfer_form(self) -> TransferFields:
        return transfer_fields(self.id)

    @property
    def status_label(self) -> str:
        if self.kind == "credit_note":
            return "Credited against the invoice"
        return "Refunded by bank transfer" if self.by_transfer else REFUND_STATES[self.status][0]

    @property
    def status_colour(self) -> str:
        return "green" if self.kind == "credit_note" else REFUND_STATES[self.status][1]

    @property
    def status_note(self) -> str:
        """What a refund not yet made, or refused, means for the money."""
        if self.status == "asked":
            return "Not yet refunded: it will be completed automatically."
        if self.status == "failed":
            why = why_refused(self.refused).rstrip(".")
            return (
                f"{why}. No money has gone back: finance will ask again or give it back "
                "another way."
            )
        if self.by_transfer:
            return f"The card provider refused it: paid from the bank, reference {self.reference}"
        return ""

    @property
    def may_ask_again(self) -> bool:
        return self.kind == "card_refund" and self.status == "failed"


class Order(CheckoutPublic):
    """An order as the orders API answers it (with its card payment while one is awaited),
    and how the portal names the state of its money."""

    refunds: list[Refund] = []  # on its own page: its refunds and credit notes
    refund_news: RefundNews | None = None  # the answer to a change: how its card refund stood

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
        if self.refund_asked_pence or self.refund_refused_pence:  # not all gone back
            done = "partly_refunded" if self.refunded_pence else "paid"
            return f"{PAYMENT_LABELS[done]}: {', '.join(self.money_back)}"
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

    @property
    def money_back(self) -> list[str]:
        """What went back to the card, and what did not, or not yet: refunded once made."""
        found = []
        if self.refunded_pence:
            found.append(f"{format_pounds(self.refunded_pence)} refunded")
        if self.refund_asked_pence:
            found.append(f"{format_pounds(self.refund_asked_pence)} being refunded")
        if self.refund_refused_pence:
            pounds = format_pounds(self.refund_refused_pence)
            found.append(f"{pounds} refund refused by the card provider")
        return found


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
    """What cancelling an order gives back, and how the portal says it (once cancelled, as its
    card refund then stood)."""

    refund_news: RefundNews | None = None

    @property
    def summary(self) -> str:
        if not self.gross_pence:
            return "Nothing is refunded or credited."
        if self.payment_method == "card":
            news = self.refund_news or RefundNews(state="made")
            return news.model_copy(update={"gross_pence": self.gross_pence}).words
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
        """The order, with its refunds and credit notes."""
        return await self._with_refunds(
            Order.model_validate(await self._api.get(f"/orders/{order_id}"))
        )

    async def refunds(self, order_id: UUID | None = None) -> list[Refund]:
        """Card refunds and credit notes (an order's): a school's own, or every school's."""
        return await self._api.get_list(Refund, "/refunds", order_id=order_id)

    async def ask_again(self, refund_id: UUID) -> Refund:
        """Ask the card provider again for a card refund it refused (finance): done, or still
        asked if it did not answer; refused again is a 409 on the field "refund"."""
        _, answer = await self._api.post_answered(f"/refunds/{refund_id}/ask-again")
        return Refund.model_validate(answer)

    async def paid_by_transfer(self, refund_id: UUID, fields: dict[str, Any]) -> Refund:
        """Record a card refund the card provider refused as paid back by bank transfer
        (finance): done; 409 if it is not a refused card refund."""
        path = f"/refunds/{refund_id}/paid-by-transfer"
        return Refund.model_validate(await self._api.post(path, fields))

    async def _with_refunds(self, order: Order) -> Order:
        """The order with its refunds and credit notes listed, if it gave anything back (a
        trust's buyer may not read them: a trust's order is credited on its invoice)."""
        credited = order.invoice.credited_pence if order.invoice else 0
        card = order.refunded_pence + order.refund_asked_pence + order.refund_refused_pence
        if not (card or credited):
            return order
        try:
            found = await self.refunds(order.id)
        except ApiError as refused:
            if refused.status != 403:
                raise
            return order
        return order.model_copy(update={"refunds": found})

    async def _giving_back(
        self, order_id: UUID, path: str, body: dict[str, Any]
    ) -> tuple[Any | None, RefundNews]:
        """A change that may give money back to a card: its answer (None if the card provider
        refused the refund: the change is made all the same), and how its refund stood."""
        try:
            status, answer = await self._api.post_answered(path, body)
        except ApiError as error:
            if error.status != 409 or not any(p.field == "refund" for p in error.problems):
                raise
            return None, await self._refused(order_id)
        return answer, RefundNews(state="asked" if status == STILL_ASKED else "made")

    async def _refused(self, order_id: UUID) -> RefundNews:
        """The order's card refund the card provider just refused: its latest refused."""
        failed = [found for found in await self.refunds(order_id) if found.status == "failed"]
        latest = max(failed, key=lambda found: found.asked_at or NO_TIME, default=None)
        if latest is None:
            return RefundNews(state="refused")
        return RefundNews(
            state="refused", gross_pence=latest.gross_pence, refused=latest.refused or ""
        )

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
        says what was given back, and how its card refund stood."""
        path = f"/orders/{order_id}/cancel"
        answer, news = await self._giving_back(order_id, path, {"reason": reason})
        if answer is None:  # cancelled, but its refund refused: what the order now is
            order = await self.order(order_id)
            given_back = Cancellation(
                order_id=order.id,
                payment_method=order.payment_method,
                lines=[],
                gross_pence=news.gross_pence,
                refund_news=news,
            )
            return CancelledOrder.model_validate({**order.model_dump(), "given_back": given_back})
        cancelled = CancelledOrder.model_validate(answer)
        given_back = cancelled.given_back.model_copy(update={"refund_news": news})
        return cancelled.model_copy(update={"given_back": given_back})

    async def fulfil(self, order_id: UUID) -> Order:
        """Record that what the order bought has been delivered (company staff)."""
        return Order.model_validate(await self._api.post(f"/orders/{order_id}/fulfil", {}))

    async def refund(self, order_id: UUID, fields: dict[str, Any]) -> Order:
        """Part or all of a card payment, through Stripe; never more than was paid. The order
        says how the refund stood (`refund_news`)."""
        path = f"/orders/{order_id}/refunds"
        answer, news = await self._giving_back(order_id, path, fields)
        if news.state != "refused":
            news = news.model_copy(update={"gross_pence": fields["amount_pence"]})
        order = await self._answered(order_id, answer)
        return order.model_copy(update={"refund_news": news})

    async def _answered(self, order_id: UUID, answer: Any | None) -> Order:
        """The order a change answered with; or, its card refund refused, as it now is."""
        return Order.model_validate(answer) if answer is not None else await self.order(order_id)

    async def rolling(self, urn: int) -> list[RollingSubscriptionPublic]:
        """A school's rolling subscriptions, with their next renewal."""
        return await self._api.get_list(
            RollingSubscriptionPublic, "/rolling-subscriptions", urn=urn
        )

    async def cancel_rolling(self, subscription_id: UUID) -> RollingSubscriptionPublic:
        """Ends it at the earliest end notice given today is in time for; refused (409) once
        already cancelled or ended."""
        return RollingSubscriptionPublic.model_validate(
            await self._api.post(f"/rolling-subscriptions/{subscription_id}/cancel", {})
        )

    async def answer_offer(self, order_id: UUID, line_id: UUID, answer: str) -> Order:
        """`accept` or `decline` the course places offered from the waiting list (declined, the
        order says how its card refund stood: `refund_news`)."""
        path = f"/orders/{order_id}/lines/{line_id}/{answer}"
        if answer != "decline":
            return Order.model_validate(await self._api.post(path, {}))
        answered, news = await self._giving_back(order_id, path, {})
        order = await self._answered(order_id, answered)
        if news.state == "asked":
            news = news.model_copy(update={"gross_pence": order.refund_asked_pence})
        return order.model_copy(update={"refund_news": news})

    async def bookings(self) -> list[BookingPublic]:
        """Course places booked, waiting or offered (a school's own)."""
        return await self._api.get_list(BookingPublic, "/bookings")

    async def payment(self, order_id: UUID) -> Order:
        """An order with, while it awaits a card payment, that payment as Stripe has it; and
        its refunds and credit notes (its page lists them)."""
        return await self._with_refunds(
            Order.model_validate(await self._api.get(f"/orders/{order_id}/payment"))
        )

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

    async def bought(self, urn: int) -> list[BoughtPublic]:
        """The subscriptions bought for the school, each for its year, by itself or a trust."""
        return await self._api.get_list(BoughtPublic, f"/schools/{urn}/bought")

    async def trust_bought(self, trust_code: str) -> list[BoughtPublic]:
        """The same for each school of the trust, whoever bought them."""
        return await self._api.get_list(BoughtPublic, f"/trusts/{trust_code}/bought")

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
