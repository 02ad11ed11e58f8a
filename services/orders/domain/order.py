"""An order: what a school bought, at the prices quoted, and how it pays; an explicit state
machine decides what may happen to it next."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID, uuid4

from services.orders.domain.invoice import Invoice
from services.orders.domain.lines import Booking, OrderLine
from services.orders.domain.refunds import LineRefund, allocate, line_refund
from services.orders.domain.school import School
from shared.errors import Conflict, Invalid, NotFound
from shared.money import Amounts, format_pounds, total


class PaymentMethod(StrEnum):
    INVOICE = "invoice"
    CARD = "card"


class OrderStatus(StrEnum):
    PLACED = "placed"
    AWAITING_PAYMENT = "awaiting_payment"
    INVOICED = "invoiced"
    PAID = "paid"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"
    PARTLY_REFUNDED = "partly_refunded"
    REFUNDED = "refunded"


S = OrderStatus
ALLOWED: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.PLACED: frozenset({S.AWAITING_PAYMENT, S.INVOICED, S.CANCELLED}),
    S.AWAITING_PAYMENT: frozenset({S.PAID, S.CANCELLED}),
    S.INVOICED: frozenset({S.PAID, S.CANCELLED}),
    S.PAID: frozenset({S.FULFILLED, S.CANCELLED, S.PARTLY_REFUNDED, S.REFUNDED}),
    S.FULFILLED: frozenset({S.CANCELLED, S.PARTLY_REFUNDED, S.REFUNDED}),
    S.PARTLY_REFUNDED: frozenset({S.PARTLY_REFUNDED, S.REFUNDED}),
    S.CANCELLED: frozenset(),
    S.REFUNDED: frozenset(),
}


@dataclass
class Order:
    id: UUID
    urn: int
    payment_method: PaymentMethod
    purchase_order: str | None
    placed_on: date
    lines: list[OrderLine]
    status: OrderStatus = OrderStatus.PLACED
    invoice: Invoice | None = None
    idempotency_key: str | None = None
    payment_reference: str | None = None
    paid_pence: int = 0
    refunded_pence: int = 0
    cancelled_on: date | None = None
    fulfilled_on: date | None = None
    refunds: list[LineRefund] = field(default_factory=list)  # the last change's, not stored

    @property
    def amounts(self) -> Amounts:
        return total([line.amounts for line in self.lines])

    @classmethod
    def place(
        cls,
        *,
        school: School,
        lines: list[OrderLine],
        payment_method: PaymentMethod,
        purchase_order: str | None,
        today: date,
        idempotency_key: str | None = None,
    ) -> Order:
        if not lines:
            raise Invalid("an order needs at least one line", field="lines")
        for index, line in enumerate(lines):
            if line.quantity < 1:
                raise Invalid("quantity must be at least 1", field=f"lines.{index}.quantity")
        if payment_method is PaymentMethod.INVOICE and not (purchase_order or "").strip():
            raise Invalid("paying by invoice needs a purchase-order number", field="purchase_order")
        return cls(
            id=uuid4(),
            urn=school.urn,
            payment_method=payment_method,
            purchase_order=(purchase_order or "").strip() or None,
            placed_on=today,
            lines=[line if line.line_id else replace(line, line_id=uuid4()) for line in lines],
            idempotency_key=idempotency_key,
        )

    def move(self, to: OrderStatus) -> None:
        """The one way an order changes state; anything not in ALLOWED is refused."""
        if to not in ALLOWED[self.status]:
            raise Conflict(
                f"an order that is {self.status.value} cannot become {to.value}", field="status"
            )
        self.status = to

    def await_card_payment(self, payment_reference: str) -> None:
        if self.payment_method is not PaymentMethod.CARD:
            raise Invalid("only a card order is paid by card", field="payment_method")
        self.move(OrderStatus.AWAITING_PAYMENT)
        self.payment_reference = payment_reference

    def raise_invoice(self, *, number: str, today: date, payment_days: int) -> Invoice:
        if self.payment_method is not PaymentMethod.INVOICE:
            raise Invalid("only an invoice order can be invoiced", field="payment_method")
        self.move(OrderStatus.INVOICED)
        self.invoice = Invoice.raise_for(
            order_id=self.id,
            number=number,
            purchase_order=self.purchase_order or "",
            today=today,
            payment_days=payment_days,
            amounts=self.amounts,
        )
        return self.invoice

    def record_card_payment(self, *, payment_reference: str, amount_pence: int) -> bool:
        """True if this payment made the order paid; False if it changes nothing (a repeat,
        or news about an order that has moved on)."""
        if payment_reference != self.payment_reference:
            raise Invalid("that payment is for another order", field="payment_reference")
        if self.status is not OrderStatus.AWAITING_PAYMENT:
            return False
        if amount_pence != self.amounts.gross:
            raise Invalid(
                f"paid {format_pounds(amount_pence)}, owed {format_pounds(self.amounts.gross)}",
                field="amount",
            )
        self.move(OrderStatus.PAID)
        self.paid_pence = amount_pence
        return True

    def record_remittance(self, amount_pence: int) -> None:
        """Money arrived by BACS against the invoice; the order is paid once nothing is owed."""
        if self.invoice is None or self.status is not OrderStatus.INVOICED:
            raise Conflict(
                f"an order that is {self.status.value} takes no remittance", field="status"
            )
        self.invoice.take_payment(amount_pence)
        self.paid_pence += amount_pence
        if self.invoice.outstanding_pence == 0:
            self.move(OrderStatus.PAID)

    def fulfil(self, today: date) -> None:
        self.move(OrderStatus.FULFILLED)
        self.fulfilled_on = today

    def cancel(self, today: date) -> list[LineRefund]:
        """Cancel by the refund rules; returns what goes back to the school, line by line
        (money to a card, or a credit against the invoice)."""
        if self.cancelled_on is not None:
            raise Conflict("the order is already cancelled", field="status")
        fulfilled = self.status is OrderStatus.FULFILLED
        owed = self.status in {S.PAID, S.FULFILLED, S.INVOICED, S.PARTLY_REFUNDED}
        refunds = [line_refund(line, today=today, fulfilled=fulfilled) for line in self.lines]
        refunds = [found for found in refunds if found.amounts.gross > 0] if owed else []
        returned = sum(found.amounts.gross for found in refunds)
        left = self.paid_pence - self.refunded_pence
        if self.payment_method is PaymentMethod.CARD and returned > left:
            refunds, returned = allocate(left, self.lines), left  # never more than was paid
        if self.payment_method is PaymentMethod.CARD and returned:
            self.move(OrderStatus.REFUNDED if returned == left else S.PARTLY_REFUNDED)
            self.refunded_pence += returned
        else:
            self.move(OrderStatus.CANCELLED)
            if self.invoice and returned:
                self.invoice.credit(returned)
        self.cancelled_on = today
        self.refunds = refunds
        return refunds

    def refund(self, amount_pence: int) -> list[LineRefund]:
        """Give money back to the card it came from; never more than was paid."""
        if self.payment_method is not PaymentMethod.CARD:
            raise Invalid("an invoice order is refunded by a credit note", field="payment_method")
        left = self.paid_pence - self.refunded_pence
        if not 0 < amount_pence <= left:
            raise Invalid(
                f"a refund must be more than £0.00 and at most the {format_pounds(left)} "
                "paid and not yet refunded",
                field="amount_pence",
            )
        self.move(S.REFUNDED if amount_pence == left else S.PARTLY_REFUNDED)
        self.refunded_pence += amount_pence
        self.refunds = allocate(amount_pence, self.lines)
        return self.refunds

    def book(
        self,
        line_id: UUID,
        booking: Booking,
        *,
        position: int | None = None,
        expires_at: datetime | None = None,
    ) -> None:
        """The catalogue reserved, wait-listed or offered this course line's places."""
        for index, line in enumerate(self.lines):
            if line.line_id == line_id:
                self.lines[index] = line.booked(booking, position=position, expires_at=expires_at)
                return
        raise NotFound(f"order {self.id} has no line {line_id}", field="line_id")
