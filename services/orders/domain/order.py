"""An order: what a school bought, at the prices quoted, and how it pays; two explicit state
machines (states.py), one for the order and one for its money, decide what may happen next."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from uuid import UUID, uuid4

from services.orders.domain.invoice import Invoice
from services.orders.domain.lines import GIVEN_BACK, NEVER_PLACED, Booking, OrderLine
from services.orders.domain.refunds import (
    GIVEN_BACK_BY,
    CardRefunds,
    LineRefund,
    allocate,
    capped,
    full_refund,
    less_given_back,
    line_refund,
    nothing_back,
)
from services.orders.domain.rolling import refuse_on_trust_order
from services.orders.domain.school import School
from services.orders.domain.states import (
    MAY_FULFIL,
    ORDER_ALLOWED,
    PAYMENT_ALLOWED,
    OrderStatus,
    PaymentStatus,
    moved,
)

# These states are words of the orders' HTTP contract too.
from shared.api.orders import PaymentMethod as PaymentMethod
from shared.clock import business_day, in_utc, time_and_day
from shared.errors import Conflict, Invalid, NotFound
from shared.money import Amounts, format_pounds, total


class IdempotencyKeyTaken(Conflict):
    """Another checkout with the same school and Idempotency-Key stored its order first."""


@dataclass
class Order:
    id: UUID
    urn: int
    payment_method: PaymentMethod
    purchase_order: str | None
    placed_on: date  # England's day of `placed_at`
    placed_at: datetime  # the moment it was placed, in UTC: newest first means by this
    lines: list[OrderLine]
    status: OrderStatus = OrderStatus.PLACED
    payment_status: PaymentStatus = PaymentStatus.NOT_ASKED
    invoice: Invoice | None = None
    idempotency_key: str | None = None
    payment_reference: str | None = None
    paid_pence: int = 0
    # Given back to the card: every card refund recorded, whether the card processor has made
    # it, is still being asked, or refused it (`card_refunds` tells which). Never more than paid.
    refunded_pence: int = 0
    cancelled_on: date | None = None
    fulfilled_on: date | None = None
    trust_code: str | None = None  # a trust's order: lines for several schools of the trust
    trust_name: str | None = None  # the trust's name when it placed the order
    approved_by: str | None = None  # the school approver who approved it (over the limit)
    approved_on: date | None = None
    approve_by: date | None = None  # awaiting approval: it lapses after this day
    refunds: list[LineRefund] = field(default_factory=list)  # the last change's, not stored
    card_refunds: CardRefunds = field(default_factory=CardRefunds)  # read with it, not stored

    @property
    def amounts(self) -> Amounts:
        """What the order was placed for: every line, also those given back since."""
        return total([line.amounts for line in self.lines])

    @property
    def refunded_in_full(self) -> bool:
        """Everything paid has been given back to the card (or is being)."""
        return self.payment_status is PaymentStatus.REFUNDED

    @property
    def refundable_pence(self) -> int:
        """What may still be given back to the card: paid, and not refunded already, being
        refunded, or refused (a refused refund is asked again, never made anew)."""
        if self.payment_method is not PaymentMethod.CARD:
            return 0
        return self.paid_pence - self.refunded_pence

    @property
    def kept_lines(self) -> list[OrderLine]:
        """The lines not given back (a session called off, places declined or lapsed)."""
        return [line for line in self.lines if line.booking not in GIVEN_BACK]

    @classmethod
    def place(
        cls,
        *,
        school: School,
        lines: list[OrderLine],
        payment_method: PaymentMethod,
        purchase_order: str | None,
        now: datetime,
        idempotency_key: str | None = None,
        trust_code: str | None = None,
        trust_name: str | None = None,
        approve_by: date | None = None,
        order_id: UUID | None = None,
    ) -> Order:
        """`trust_code`, `trust_name`: a trust's order, its lines each for a school of the trust.
        `approve_by`: the order awaits the school approver's approval until then.
        `order_id`: the id it was given beforehand (its card payment was asked for first)."""
        if trust_code and payment_method is not PaymentMethod.INVOICE:
            raise Invalid("a trust's order is paid by invoice", field="payment_method")
        if not lines:
            raise Invalid("an order needs at least one line", field="lines")
        for index, line in enumerate(lines):
            if line.quantity < 1:
                raise Invalid("quantity must be at least 1", field=f"lines.{index}.quantity")
            if trust_code:
                refuse_on_trust_order(line, urn=line.school_urn or school.urn, field="lines")
        if payment_method is PaymentMethod.INVOICE and not (purchase_order or "").strip():
            raise Invalid("paying by invoice needs a purchase-order number", field="purchase_order")
        return cls(
            id=order_id or uuid4(),
            urn=school.urn,
            payment_method=payment_method,
            purchase_order=(purchase_order or "").strip() or None,
            placed_on=business_day(now),
            placed_at=in_utc(now),
            lines=[line if line.line_id else replace(line, line_id=uuid4()) for line in lines],
            idempotency_key=idempotency_key,
            trust_code=trust_code,
            trust_name=trust_name,
            status=OrderStatus.AWAITING_APPROVAL if approve_by else OrderStatus.PLACED,
            approve_by=approve_by,
        )

    def approve(self, *, by: str, today: date) -> None:
        """The school's approver agrees to the spending: the checkout goes on."""
        self.move(OrderStatus.PLACED)
        self.approved_by, self.approved_on = by, today

    def move(self, to: OrderStatus) -> None:
        """The one way an order changes state; anything not in ORDER_ALLOWED is refused."""
        self.status = moved(self.status, to, ORDER_ALLOWED, what="an order", field="status")

    def move_payment(self, to: PaymentStatus) -> None:
        """The one way its money changes state; anything not in PAYMENT_ALLOWED is refused."""
        self.payment_status = moved(
            self.payment_status, to, PAYMENT_ALLOWED, what="a payment", field="payment_status"
        )

    def await_card_payment(self, payment_reference: str) -> None:
        if self.payment_method is not PaymentMethod.CARD:
            raise Invalid("only a card order is paid by card", field="payment_method")
        self.move_payment(PaymentStatus.AWAITING_PAYMENT)
        self.payment_reference = payment_reference

    def raise_invoice(self, *, number: str, today: date, payment_days: int) -> Invoice:
        if self.payment_method is not PaymentMethod.INVOICE:
            raise Invalid("only an invoice order can be invoiced", field="payment_method")
        self.move_payment(PaymentStatus.INVOICED)
        self.invoice = Invoice.raise_for(
            order_id=self.id,
            number=number,
            purchase_order=self.purchase_order or "",
            today=today,
            payment_days=payment_days,
            amounts=self.amounts,
        )
        self._give_back_withdrawn()
        return self.invoice

    def record_card_payment(self, *, payment_reference: str, amount_pence: int) -> bool:
        """True if this payment made the order paid; False if it changes nothing (a repeat,
        or news about an order that has moved on). The payment was asked for every line: the
        lines given back meanwhile are refunded at once (in `refunds`)."""
        if payment_reference != self.payment_reference:
            raise Invalid("that payment is for another order", field="payment_reference")
        if self.payment_status is not PaymentStatus.AWAITING_PAYMENT:
            return False
        if amount_pence != self.amounts.gross:
            raise Invalid(
                f"paid {format_pounds(amount_pence)}, owed {format_pounds(self.amounts.gross)}",
                field="amount",
            )
        self.move_payment(PaymentStatus.PAID)
        self.paid_pence = amount_pence
        self._give_back_withdrawn()
        return True

    def take_voided_payment(self, *, payment_reference: str, amount_pence: int) -> bool:
        """The school paid before the card processor heard that the payment was cancelled with
        the order (every line given back): the money is taken, and refunded in full at once (in
        `refunds`). True if it was taken now; False if it was before."""
        if payment_reference != self.payment_reference:
            raise Invalid("that payment is for another order", field="payment_reference")
        if self.payment_status is not PaymentStatus.VOID:
            return False
        self.move_payment(PaymentStatus.PAID)
        self.paid_pence = amount_pence
        self._give_back_withdrawn()
        return True

    def _give_back_withdrawn(self) -> None:
        """The money was just asked for (an invoice) or taken (a card) for every line: a line
        given back before, while nothing was owed, is credited or refunded in full now."""
        refunds = [
            full_refund(line, GIVEN_BACK_BY[line.booking])
            for line in self.lines
            if line.booking is not None and line.booking in GIVEN_BACK
        ]
        self.refunds = self._return(refunds, whole_order=False)

    def record_remittance(self, amount_pence: int, *, received_on: date) -> None:
        """Money arrived by BACS against the invoice (also after a cancellation credited only
        part of it); paid once nothing is owed."""
        owing = (PaymentStatus.INVOICED, PaymentStatus.PARTLY_PAID)
        if self.invoice is None or self.payment_status not in owing:
            raise Conflict(
                f"a payment that is {self.payment_status.value} takes no remittance",
                field="payment_status",
            )
        self.invoice.take_payment(amount_pence, received_on=received_on)
        self.paid_pence += amount_pence
        self._follow_invoice(self.invoice)

    def fulfil(self, today: date) -> None:
        """Delivered: a card order once paid, an invoice order on its terms, paid or not."""
        may_fulfil = OrderStatus.FULFILLED in ORDER_ALLOWED[self.status]
        if may_fulfil and self.payment_status not in MAY_FULFIL:
            raise Conflict(
                f"an order whose payment is {self.payment_status.value} cannot be fulfilled",
                field="payment_status",
            )
        self.move(OrderStatus.FULFILLED)
        self.fulfilled_on = today

    def cancel(self, today: date) -> list[LineRefund]:
        """Cancel by the refund rules; returns what goes back to the school, line by line
        (money to a card, or a credit against the invoice)."""
        return self._close(self._by_the_rules(today), today)

    def cancellation(self, today: date) -> list[LineRefund]:
        """What cancelling on `today` would give back of each line not given back already,
        with its rule (nothing, if nothing was paid or invoiced yet); changes nothing."""
        return self._returnable(self._by_the_rules(today))

    def _by_the_rules(self, today: date) -> list[LineRefund]:
        if self.status is OrderStatus.CANCELLED:
            raise Conflict("the order is already cancelled", field="status")
        fulfilled = self.status is OrderStatus.FULFILLED
        return [
            less_given_back(line_refund(line, today=today, fulfilled=fulfilled), pence)
            for line, pence in zip(self.kept_lines, self._given_back_of_kept(), strict=True)
        ]

    def _given_back_of_kept(self) -> list[int]:
        """What already went back to the card of each kept line, in order: a line given back
        went back whole, and refunds of an amount fill the kept lines in order, as `refund`
        spreads them. An invoice's kept lines are credited only when the order is cancelled."""
        kept = self.kept_lines
        if self.payment_method is not PaymentMethod.CARD:
            return [0] * len(kept)
        whole_lines = sum(line.amounts.gross for line in self.lines if line.booking in GIVEN_BACK)
        left = max(0, self.refunded_pence - whole_lines)
        found = []
        for line in kept:
            part = min(left, line.amounts.gross)
            found.append(part)
            left -= part
        return found

    def _close(self, refunds: list[LineRefund], today: date) -> list[LineRefund]:
        self.move(OrderStatus.CANCELLED)
        self.refunds = self._return(refunds, whole_order=True)
        self.cancelled_on = today
        return self.refunds

    def withdraw_session(self, session_id: UUID, today: date) -> list[LineRefund]:
        """The catalogue called off a course session: its lines here are refunded in full."""
        lines = [line for line in self.lines if line.session_id == session_id]
        return self._withdraw(lines, today, booking=Booking.CANCELLED)

    def accept_offer(self, line_id: UUID, now: datetime) -> OrderLine:
        """Take the places offered from the waiting list, while the offer is open."""
        line = self.line(line_id)
        if line.booking is not Booking.OFFERED or line.offer_expires_at is None:
            raise Conflict("no places are on offer for this line", field="line_id")
        if now >= line.offer_expires_at:
            raise Conflict(
                f"the offer expired at {time_and_day(line.offer_expires_at)}",
                field="line_id",
            )
        self.lines[self.lines.index(line)] = line.booked(Booking.RESERVED)
        return line

    def decline_offer(self, line_id: UUID, today: date) -> list[LineRefund]:
        line = self.line(line_id)
        if line.booking is not Booking.OFFERED:
            raise Conflict("no places are on offer for this line", field="line_id")
        return self._withdraw([line], today, booking=Booking.DECLINED)

    def offer_lapsed(self, line_id: UUID, today: date) -> list[LineRefund]:
        """The catalogue passed the offered places on: the line is refunded in full."""
        line = self.line(line_id)
        return self._withdraw([line], today, booking=Booking.LAPSED)

    def waiting_list_closed(self, line_id: UUID, today: date) -> list[LineRefund]:
        """The session can no longer be booked and this line never got its places: it is
        refunded in full (a line that holds places, or was given back already, is kept as it is)."""
        return self._never_placed(line_id, today, booking=Booking.UNPLACED)

    def places_refused(
        self, line_id: UUID, today: date, *, booking: Booking = Booking.REFUSED
    ) -> list[LineRefund]:
        """The catalogue booked the line no places, for the reason `booking` says (the course
        retired, or no longer sold for the session's year, when this was ordered, the session
        begun or called off when it heard of the order): the line is refunded in full."""
        return self._never_placed(line_id, today, booking=booking)

    def _never_placed(self, line_id: UUID, today: date, *, booking: Booking) -> list[LineRefund]:
        line = self.line(line_id)
        # a line checked out from a basket has no booking until the catalogue answers
        if line.booking is not None and line.booking not in NEVER_PLACED:
            return []
        return self._withdraw([line], today, booking=booking)

    def _withdraw(
        self, lines: list[OrderLine], today: date, *, booking: Booking
    ) -> list[LineRefund]:
        """These lines will not be delivered: each is refunded in full, and the order cancelled
        if nothing else is left on it. A line already withdrawn changes nothing."""
        lines = [line for line in lines if line.booking not in GIVEN_BACK]
        if not lines or self.status is OrderStatus.CANCELLED:
            return []
        refunds = [full_refund(line, GIVEN_BACK_BY[booking]) for line in lines]
        self.lines = [line.booked(booking) if line in lines else line for line in self.lines]
        if not self.kept_lines:
            return self._close(refunds, today)
        self.refunds = self._return(refunds, whole_order=False)
        return self.refunds

    def withdrawn(self, line: OrderLine) -> bool:
        """Whether this line was given back whole, not to be delivered, and its school keeps no
        other line of its service on the order: the school takes no part in that service
        through this order."""
        now = next((found for found in self.lines if found.line_id == line.line_id), None)
        if now is None or now.booking not in GIVEN_BACK:
            return False
        school = line.school_urn or self.urn
        return not any(
            kept.service_id == line.service_id and (kept.school_urn or self.urn) == school
            for kept in self.kept_lines
        )

    def line(self, line_id: UUID) -> OrderLine:
        for line in self.lines:
            if line.line_id == line_id:
                return line
        raise NotFound(f"order {self.id} has no line {line_id}", field="line_id")

    def _returnable(self, refunds: list[LineRefund]) -> list[LineRefund]:
        """These line refunds as far as anything was paid or asked for: nothing before, and
        to a card never more than was paid and not yet refunded."""
        if self.payment_status not in MAY_FULFIL:  # paid, or asked for on an invoice
            all_made = not (self.card_refunds.asked_pence or self.card_refunds.refused_pence)
            return [
                nothing_back(found, self.payment_status, all_made=all_made) for found in refunds
            ]
        if self.payment_method is PaymentMethod.CARD:
            return capped(refunds, self.refundable_pence)
        return refunds

    def _return(self, refunds: list[LineRefund], *, whole_order: bool) -> list[LineRefund]:
        """Give back what these line refunds add up to, as far as anything was paid or asked
        for: to the card or as a credit on the invoice."""
        refunds = [found for found in self._returnable(refunds) if found.amounts.gross > 0]
        returned = sum(found.amounts.gross for found in refunds)
        left = self.refundable_pence
        if whole_order and self.payment_status is PaymentStatus.AWAITING_PAYMENT:
            self.move_payment(PaymentStatus.VOID)
        elif self.payment_method is PaymentMethod.CARD and returned:
            self._give_back(returned, left)
        elif self.invoice and returned:
            self.invoice.credit(returned)
            self._follow_invoice(self.invoice)
        return refunds

    def refund(self, amount_pence: int) -> list[LineRefund]:
        """Give money back to the card it came from; never more than was paid."""
        if self.payment_method is not PaymentMethod.CARD:
            raise Invalid("an invoice order is refunded by a credit note", field="payment_method")
        left = self.refundable_pence
        if not 0 < amount_pence <= left:
            raise Invalid(
                f"a refund must be more than £0.00 and at most the {format_pounds(left)} "
                "paid and not yet refunded",
                field="amount_pence",
            )
        given_back = self._given_back_of_kept() if self.kept_lines else None
        self._give_back(amount_pence, left)
        self.refunds = allocate(amount_pence, self.kept_lines or self.lines, given_back=given_back)
        return self.refunds

    def _give_back(self, amount_pence: int, left: int) -> None:
        """To the card: recorded now, asked of the card processor once recorded."""
        whole = amount_pence == left
        self.move_payment(PaymentStatus.REFUNDED if whole else PaymentStatus.PARTLY_REFUNDED)
        self.refunded_pence += amount_pence
        self.card_refunds = self.card_refunds.asking(amount_pence)

    def _follow_invoice(self, invoice: Invoice) -> None:
        """The payment status the invoice's sums now give."""
        if invoice.outstanding_pence:
            to = PaymentStatus.PARTLY_PAID if invoice.paid_pence else PaymentStatus.INVOICED
        else:
            to = PaymentStatus.PAID if invoice.paid_pence else PaymentStatus.CREDITED
        if to is not self.payment_status:
            self.move_payment(to)

    def book(
        self,
        line_id: UUID,
        booking: Booking,
        *,
        position: int | None = None,
        expires_at: datetime | None = None,
    ) -> None:
        """The catalogue reserved, wait-listed or offered this course line's places (news about
        a line already given back changes nothing)."""
        line = self.line(line_id)
        if line.booking not in GIVEN_BACK:
            index = self.lines.index(line)
            self.lines[index] = line.booked(booking, position=position, expires_at=expires_at)
