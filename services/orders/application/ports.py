"""What the orders use cases need from outside parties (the catalogue, a card processor),
as protocols the adapters fulfil."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from services.orders.domain.lines import Quote
from shared.errors import Conflict


class Quotes(Protocol):
    async def quote(
        self,
        *,
        service_id: UUID,
        urn: int,
        quantity: int,
        session_id: UUID | None,
        starts_on: date | None = None,
        academic_year: str | None = None,
    ) -> Quote:
        """The catalogue's price at the prices in force on `starts_on` (None: today), or for a
        subscription bought for `academic_year`, at that year's price list (as the shop shows
        it for that year)."""
        ...

    async def quotes(self, *, urn: int, lines: list[tuple[UUID, int]]) -> list[Quote]:
        """Several services (id, quantity) priced for one school in one question, in order; a
        line refused is named `lines.<n>.<field>`."""
        ...


class Catalogue(Protocol):
    def asked_by(self, token: str) -> Quotes:
        """The catalogue asked as whoever holds `token`, under its rules of who sees what."""
        ...


@dataclass(frozen=True)
class CardPayment:
    reference: str  # Stripe's PaymentIntent id
    client_secret: str  # the browser confirms the payment with it (Payment Element)
    status: str
    amount_pence: int


@dataclass(frozen=True)
class MadeRefund:
    """A refund the card processor has made: its id, and when it made it if that was before
    this answer (an earlier ask whose answer was lost); None when it made it just now."""

    reference: str
    made_earlier_at: datetime | None = None


@dataclass(frozen=True)
class PaymentNews:
    """A verified webhook event about a payment."""

    event_id: str
    type: str
    reference: str
    amount_pence: int


class RefundRefused(Conflict):
    """The card processor refused a refund for good (a card error, a request it finds invalid):
    asking again, with the same key, gets the same answer. A refund it could not make now (out
    of reach, busy, failing) raises Unavailable instead: asked again, it may yet be made."""


class PaymentGateway(Protocol):
    async def create_payment(
        self, *, amount_pence: int, order_id: UUID, urn: int, idempotency_key: str
    ) -> CardPayment: ...

    async def payment(self, reference: str) -> CardPayment: ...

    async def cancel_payment(self, reference: str) -> None:
        """The payment can no longer be made; one cancelled already (by an earlier ask whose
        answer, or whose order's commit, was lost) is left so. Raises Conflict if the processor
        refuses (the payment was made meanwhile), Unavailable if it cannot be reached."""
        ...

    async def refund(
        self, *, reference: str, amount_pence: int, idempotency_key: str, refund_id: UUID
    ) -> MadeRefund:
        """The refund, which carries our `refund_id`; the same key answers with the same refund
        (for 24 hours: see `refund_made`), saying when it was made. Raises RefundRefused, or
        Unavailable (see RefundRefused)."""
        ...

    async def refund_made(self, *, reference: str, refund_id: UUID) -> MadeRefund | None:
        """The refund of this payment the processor made for our `refund_id`, if it made one
        (with when): the processor forgets an idempotency key after 24 hours, so a refund still
        asked that long is looked for before it is asked again. Raises Unavailable."""
        ...

    def verify(self, payload: bytes, signature: str) -> PaymentNews | None: ...
