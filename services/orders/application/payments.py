"""Money after checkout: card payments confirmed by Stripe's webhooks, remittances against
invoices, cancellations with refunds or credit notes by rule (in full when the catalogue calls
off a course session), refunds, fulfilment.

Cancelling an order that awaits a card payment cancels the payment at Stripe first, before the
transaction that cancels the order begins (`cancel_awaited_payment`). An order emptied while it
awaits one (every line given back, often on hearing an event) has it cancelled at Stripe after
its transaction has committed instead (application/payments_to_cancel.py).

A card refund is never asked of Stripe inside the transaction that gives the money back: a slow
Stripe would hold the order's row (on SQLite, the API's one writer) meanwhile, and a refund Stripe
made just before that transaction failed to commit would be recorded nowhere. The transaction
records it `asked`, with the refund.issued event it will send held back beside it; once it has
committed, Stripe is asked (`FinishRefund`, with a key of the refund's own id, so asking again
gets the same refund), and a short second transaction marks it `done` and sends the event, dated
that day (the day the money went back, which may be days after it was asked), or `failed` if
Stripe refused it for good (an alarm, for finance to act on). A request asks straight
after its commit (`handle`); the worker's job asks for any refund still asked a few seconds on
(after an outage or a crash, or one recorded on hearing an event or Stripe's webhook). A credit
note needs no Stripe: it is issued in the one transaction.

Stripe keeps an idempotency key for 24 hours only: a refund still asked nearly that long after it
was asked is first looked for among the payment's refunds at Stripe (each carries our refund's id
in its metadata), and taken as made if one is found, rather than asked again under a key Stripe
may have forgotten. A refund Stripe refused keeps its share of the payment (the order gives it
back all the same: see `CardRefunds`) until finance asks again (`AskAgain`), as a new attempt
under a key of its own, or records it paid back by bank transfer instead (`RecordPaidByTransfer`);
made either way, it is done, and its refund.issued event sent, once, dated the day it was made."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from uuid import UUID, uuid4

from services.orders.adapters.payments import Refund, Remittance
from services.orders.application import events_out, views
from services.orders.application.ports import (
    MadeRefund,
    PaymentGateway,
    PaymentNews,
    RefundRefused,
)
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.config import Settings
from services.orders.domain.order import Order, PaymentMethod
from services.orders.domain.refunds import LineRefund
from services.orders.domain.states import OrderStatus, PaymentStatus, RefundStatus
from shared.bus import Command, MessageBus
from shared.calendar import long_date
from shared.clock import business_day
from shared.dates import refuse_before, refuse_future
from shared.errors import Conflict, DomainError, Unavailable
from shared.events import Envelope, RefundMethod, SessionCancelledV1
from shared.money import format_pounds, total
from shared.remittances import refuse_received_after_today

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ApplyWebhook(Command["str"]):
    """Stripe's webhook as it came: its body, and the signature it was sent with."""

    payload: bytes
    signature: str


async def apply_webhook(
    command: ApplyWebhook,
    *,
    uow: OrdersUnitOfWork,
    gateway: PaymentGateway,
    today: date,
    now: datetime,
) -> str:
    """What became of a webhook whose signature verifies (a forged one raises ForgedWebhook)."""
    news = gateway.verify(command.payload, command.signature)
    if news is None:
        return "not a payment event"
    return await apply_payment_news(uow, news, today=today, now=now)


async def apply_payment_news(
    uow: OrdersUnitOfWork, news: PaymentNews, *, today: date, now: datetime
) -> str:
    """Apply a verified webhook once. Only `payment_intent.succeeded` for an order awaiting
    payment changes anything: a repeat, a late or out-of-order event is noted and ignored.
    Lines given back while the payment was awaited are refunded from it (asked of Stripe by
    the worker's job, once this has committed)."""
    if await uow.payments.seen_stripe_event(news.event_id):
        return "already applied"
    await uow.payments.note_stripe_event(news.event_id, news.type)
    outcome = "ignored"
    found = await uow.orders.by_payment_reference(news.reference)
    if found is None:
        outcome = "no order has this payment"
    elif news.type == "payment_intent.succeeded":
        order = await uow.orders.get(found.id, locked=True)
        try:
            paid = order.record_card_payment(
                payment_reference=news.reference, amount_pence=news.amount_pence
            )
        except DomainError as refused:  # acknowledged (Stripe would resend it for days)
            log.warning("payment %s not applied: %s", news.reference, refused.message)
            paid, outcome = False, f"refused: {refused.message}"
        if paid:
            await take_payment(uow, order, today=today, now=now)
            outcome = "paid"
    return outcome


async def take_payment(uow: OrdersUnitOfWork, order: Order, *, today: date, now: datetime) -> None:
    """An order the card processor's payment just made paid: its order.paid event, and the
    lines given back before it refunded from it."""
    school = await uow.schools.get(order.urn)
    uow.record(events_out.order_paid(order, school, paid_on=today))
    await give_back_withdrawn(uow, order, today=today, now=now)
    await uow.orders.save(order)


@dataclass(frozen=True)
class RecordRemittance(Command["Order"]):
    invoice_id: UUID
    amount_pence: int
    received_on: date
    reference: str
    recorded_by: str


async def record_remittance(
    command: RecordRemittance, *, uow: OrdersUnitOfWork, today: date
) -> Order:
    refuse_received_after_today(command.received_on, today=today)
    found = await uow.orders.invoice(command.invoice_id)
    order = await uow.orders.get(found.id, locked=True)
    if await uow.payments.remittance_recorded(command.invoice_id, command.reference):
        raise Conflict(
            f"a remittance {command.reference!r} is already recorded against this invoice",
            field="reference",
        )
    order.record_remittance(command.amount_pence, received_on=command.received_on)
    await uow.payments.add_remittance(Remittance(id=uuid4(), **command.__dict__))
    school = await uow.schools.get(order.urn)
    uow.record(
        events_out.invoice_settled(
            order,
            school,
            amount_pence=command.amount_pence,
            settled_on=command.received_on,
            reference=command.reference,
        )
    )
    await uow.orders.save(order)
    return order


@dataclass(frozen=True)
class CancelOrder(Command["Order"]):
    order_id: UUID
    reason: str


@dataclass(frozen=True)
class RefundOrder(Command["Order"]):
    order_id: UUID
    amount_pence: int
    reason: str
    idempotency_key: str | None = None  # a repeat with the same key refunds nothing more


@dataclass(frozen=True)
class FulfilOrder(Command["Order"]):
    order_id: UUID


async def cancel_order(
    command: CancelOrder,
    *,
    uow: OrdersUnitOfWork,
    gateway: PaymentGateway,
    today: date,
    now: datetime,
) -> Order:
    """Cancel by the rules. A card payment the order still awaits is cancelled at Stripe first,
    before the transaction begins (`cancel_awaited_payment`); under the order's lock, it must
    still be the one it awaits."""
    cancelled_payment = await cancel_awaited_payment(uow, gateway, command.order_id)
    order = await uow.orders.get(command.order_id, locked=True)
    awaiting = order.payment_status is PaymentStatus.AWAITING_PAYMENT
    if awaiting and order.payment_reference != cancelled_payment:
        raise Conflict(
            "a card payment was asked for this order while it was being cancelled; cancel it again",
            field="payment",
        )
    refunds = order.cancel(today)
    for subscription in await uow.rolling.for_period_ordered_by(order.id):
        if subscription.withdraw(order.id, today):
            await uow.rolling.save(subscription)
    await settle(
        uow,
        order,
        refunds,
        cancelled=True,
        cancel_payment=False,  # cancelled at Stripe already
        reason=command.reason,
        today=today,
        now=now,
    )
    return order


async def cancel_awaited_payment(
    uow: OrdersUnitOfWork, gateway: PaymentGateway, order_id: UUID
) -> str | None:
    """The card payment an order about to be cancelled awaits, cancelled at Stripe before the
    transaction begins, as a checkout asks for one: no row is locked (on SQLite, no writer
    held) while Stripe answers. Its reference; None if the order awaits no card payment.

    Stripe refusing, because the school paid meanwhile, refuses the cancel (Conflict): the
    payment's webhook marks the order paid, and a cancel then refunds by the rules. A payment
    cancelled here can no longer be paid, so nothing can pay the order before it is cancelled;
    if that transaction fails, asking again cancels it (Stripe's cancel is done already)."""
    async with uow.first_look():
        order = await uow.orders.get(order_id)
    if order.payment_status is not PaymentStatus.AWAITING_PAYMENT or not order.payment_reference:
        return None
    await gateway.cancel_payment(order.payment_reference)
    return order.payment_reference


async def on_session_cancelled(
    envelope: Envelope[SessionCancelledV1],
    *,
    uow: OrdersUnitOfWork,
    today: date,
    now: datetime,
) -> None:
    """The catalogue called off a course session under its minimum: every booking on it is
    refunded (card) or credited (invoice) in full, once, however often the news comes; a
    basket's line on it is refused at checkout from now on."""
    event = envelope.payload
    reason = (
        f"{event.title} on {long_date(event.starts_on)} was cancelled: "
        f"fewer than {event.minimum_places} places were booked"
    )
    await uow.called_off.add(event.session_id, today)
    # A checkout of such a line under way is waited for, so that its order is found below.
    await uow.baskets.lock_holding(event.session_id)
    for order_id in await uow.orders.booked_on(event.session_id):
        order = await uow.orders.get(order_id, locked=True)
        before = state_before(order)
        refunds = order.withdraw_session(event.session_id, today)
        await settle(
            uow,
            order,
            refunds,
            **what_changed(order, before),
            reason=reason,
            today=today,
            now=now,
            idempotency_key=f"session-{event.session_id}",
        )


async def settle(
    uow: OrdersUnitOfWork,
    order: Order,
    refunds: list[LineRefund],
    *,
    cancelled: bool,
    cancel_payment: bool,
    reason: str,
    today: date,
    now: datetime,
    idempotency_key: str | None = None,
) -> None:
    """After a cancellation (of the order, or of some of its lines): the news, the money back,
    and (`cancel_payment`) the card payment it voided recorded to be cancelled at Stripe once
    this has committed (see application/payments_to_cancel.py), never while it holds the
    order."""
    if cancelled:
        uow.record(
            events_out.order_cancelled(order, await uow.schools.get(order.urn), reason=reason)
        )
    if refunds:
        await give_back(
            uow,
            order,
            refunds,
            reason=reason,
            today=today,
            now=now,
            idempotency_key=idempotency_key,
        )
    await uow.orders.save(order)
    if cancel_payment and order.payment_reference:
        await uow.payments_to_cancel.add(order.id, order.payment_reference, now=now)


async def refund_order(
    command: RefundOrder, *, uow: OrdersUnitOfWork, today: date, now: datetime
) -> Order:
    """A refund of an amount, recorded to be asked of Stripe (see `handle`); a repeat with the
    same idempotency key refunds nothing more."""
    key = command.idempotency_key
    order = await uow.orders.get(command.order_id, locked=True)
    if key and await uow.payments.refund_made(command.order_id, key):
        return order
    refunds = order.refund(command.amount_pence)
    reason = command.reason
    await give_back(uow, order, refunds, reason=reason, today=today, now=now, idempotency_key=key)
    await uow.orders.save(order)
    return order


async def fulfil_order(command: FulfilOrder, *, uow: OrdersUnitOfWork, today: date) -> Order:
    order = await uow.orders.get(command.order_id, locked=True)
    order.fulfil(today)
    uow.record(events_out.order_fulfilled(order, await uow.schools.get(order.urn)))
    await uow.orders.save(order)
    return order


async def give_back_withdrawn(
    uow: OrdersUnitOfWork, order: Order, *, today: date, now: datetime
) -> None:
    """The money was just asked for or taken for every line: the lines given back before
    (the order's `refunds`) are refunded or credited now, each for the reason it went."""
    if order.refunds:
        reason = "; ".join(dict.fromkeys(found.rule for found in order.refunds))
        await give_back(uow, order, order.refunds, reason=reason, today=today, now=now)


async def give_back(
    uow: OrdersUnitOfWork,
    order: Order,
    refunds: list[LineRefund],
    *,
    reason: str,
    today: date,
    now: datetime,
    idempotency_key: str | None = None,
) -> None:
    """Money back to the card, recorded `asked` with the refund.issued event it will send (held
    back until Stripe has made it: see the module's doc); or a credit note on the invoice,
    issued at once."""
    school = await uow.schools.get(order.urn)
    amounts = total([found.amounts for found in refunds])
    refund_id = uuid4()
    refund = Refund(
        id=refund_id,
        order_id=order.id,
        kind="card_refund",
        number=None,
        reference=None,
        net_pence=amounts.net,
        vat_pence=amounts.vat,
        issued_on=today,
        reason=reason,
        idempotency_key=idempotency_key,
    )
    if order.payment_method is PaymentMethod.CARD:
        issued = events_out.refund_issued(  # dated again the day it is made (`refund_made`)
            order, school, refunds, refund_id=refund_id, on=today, reason=reason
        )
        asked = replace(
            refund,
            status=RefundStatus.ASKED,
            asked_at=now,
            asked_on=today,
            method=RefundMethod.CARD,
        )
        await uow.payments.add_refund(asked, news=uow.envelope(issued))
        summary = f"{format_pounds(amounts.gross)} to the card: {reason}"
        uow.audit("refund.asked", object_type="refund", object_id=refund_id, summary=summary)
        return
    number = await uow.orders.next_credit_note_number()
    uow.record(
        events_out.credit_note_issued(
            order,
            school,
            refunds,
            credit_note_id=refund_id,
            number=number,
            on=today,
            reason=reason,
        )
    )
    await uow.payments.add_refund(replace(refund, kind="credit_note", number=number))


@dataclass(frozen=True)
class FinishRefund(Command["Refund"]):
    """A card refund recorded `asked`: asked of Stripe, then marked done or failed."""

    refund_id: UUID


def stripe_key(refund: Refund) -> str:
    """The idempotency key a refund's attempt is asked of Stripe with, every time: Stripe
    answers a key again with the refund it first made (for 24 hours). Finance asking again
    after a refusal is a new attempt, with a key of its own."""
    if refund.attempt == 1:
        return f"refund-{refund.id}"
    return f"refund-{refund.id}-{refund.attempt}"


async def finish_refund(
    command: FinishRefund,
    *,
    uow: OrdersUnitOfWork,
    gateway: PaymentGateway,
    settings: Settings,
    today: date,
    now: datetime,
) -> Refund:
    """Ask Stripe for a refund still asked, before the transaction begins (no row is locked
    while Stripe answers); then mark it done and send its refund.issued event, dated today
    (the day the money went back, however long ago it was asked; the day Stripe made it, if an
    earlier ask's answer was lost), or mark it failed if Stripe refused it for good. Asked
    twice at once, it is marked (and its event sent) once. Stripe out of reach leaves it asked, for the worker's job to ask again. Asked
    so long ago that Stripe may have forgotten its key, it is first looked for at Stripe."""
    async with uow.first_look():
        refund = await uow.payments.refund(command.refund_id)
        order = await uow.orders.get(refund.order_id)
    if refund.status is not RefundStatus.ASKED:
        return refund
    payment = order.payment_reference or ""
    key_kept = timedelta(seconds=settings.refund_key_kept_seconds)
    try:
        found = None
        if refund.asked_at is not None and now - refund.asked_at >= key_kept:
            found = await gateway.refund_made(reference=payment, refund_id=refund.id)
            if found is not None:
                log.info(
                    "card refund %s was found made at Stripe as %s", refund.id, found.reference
                )
        made_at_stripe = found or await gateway.refund(
            reference=payment,
            amount_pence=refund.gross_pence,
            idempotency_key=stripe_key(refund),
            refund_id=refund.id,
        )
    except RefundRefused as refused:
        await refuse(uow, refund, refused.message)
    except Unavailable as unavailable:
        log.warning("card refund %s not made yet (asked again): %s", refund.id, unavailable)
        return refund
    else:
        await mark_made(uow, refund, made_at_stripe, today=today)
    return await uow.payments.refund(refund.id)


async def mark_made(
    uow: OrdersUnitOfWork, refund: Refund, made_at_stripe: MadeRefund, *, today: date
) -> None:
    """The refund marked done, and its refund.issued event sent, dated the day Stripe made it:
    today, or the day of an earlier ask whose answer was lost (the money went back that day)."""
    made_at = made_at_stripe.made_earlier_at
    made_on = min(business_day(made_at), today) if made_at is not None else today
    reference = made_at_stripe.reference
    made = events_out.refund_made(await uow.payments.held_news(refund.id), on=made_on)
    if await uow.payments.refund_done(refund.id, reference=reference, made_on=made_on, news=made):
        uow.record_envelope(made, summary=f"Stripe refund {reference}")


async def refuse(uow: OrdersUnitOfWork, refund: Refund, reason: str) -> None:
    """Stripe will not make this refund: it is marked failed and raised as an alarm, for
    finance to ask again or give the money back another way (it is listed with the refunds,
    with why)."""
    if not await uow.payments.refund_failed(refund.id, reason):
        return
    log.error(
        "ALARM: card refund %s of %s on order %s was refused by the card processor and is "
        "marked failed; finance must ask again or give the money back another way: %s",
        refund.id,
        format_pounds(refund.gross_pence),
        refund.order_id,
        reason,
    )
    uow.audit("refund.failed", object_type="refund", object_id=refund.id, summary=reason)


async def finish_refunds(bus: MessageBus[OrdersUnitOfWork], refund_ids: list[UUID]) -> list[Refund]:
    """Each of these card refunds asked of Stripe in turn, each marked in its own transaction;
    one that cannot be (an error not foreseen) is logged and left asked, to be asked again
    later, without holding back the others."""
    finished = []
    for refund_id in refund_ids:
        try:
            finished.append(await bus.handle(FinishRefund(refund_id)))
        except Exception:
            log.exception("card refund %s was not asked of Stripe; it is asked again", refund_id)
    return finished


class RefundNotMade(Conflict):
    """The change was committed, but Stripe refused its card refund for good."""

    def __init__(self, failed: list[Refund]) -> None:
        reasons = "; ".join(dict.fromkeys(refund.refused or "no reason given" for refund in failed))
        gross = sum(refund.gross_pence for refund in failed)
        super().__init__(
            f"the change is made, but its card refund of {format_pounds(gross)} is not "
            f"({reasons}): the refund is listed as failed, for finance to ask again or give the "
            "money back another way",
            field="refund",
        )


@dataclass(frozen=True)
class Settled:
    """An order a command changed, once its card refunds were asked of Stripe after the
    commit: `refunding` if one is still asked (Stripe out of reach: it is asked again)."""

    order: Order
    refunding: bool


async def handle(bus: MessageBus[OrdersUnitOfWork], command: Command[Order]) -> Settled:
    """A command that may give money back to a card, handled by the bus; once it has committed,
    each card refund of its order still asked is asked of Stripe (in the normal case the answer
    carries the refund done). Raises RefundNotMade if Stripe refused one for good."""
    order = await bus.handle(command)
    asked = await views.asked_refunds(bus.unit_of_work(), order.id)
    refunds = await finish_refunds(bus, asked)
    failed = [refund for refund in refunds if refund.status is RefundStatus.FAILED]
    if failed:
        raise RefundNotMade(failed)
    if asked:  # the order as it is answered: its refunds as Stripe left them
        order.card_refunds = await views.card_refunds(bus.unit_of_work(), order.id)
    still_asked = [refund for refund in refunds if refund.status is RefundStatus.ASKED]
    return Settled(order, refunding=bool(still_asked) or len(refunds) < len(asked))


@dataclass(frozen=True)
class AskAgain(Command["Refund"]):
    """Finance asks Stripe again for a card refund it refused (the card was replaced, the
    dispute settled): a new attempt, under a key of its own."""

    refund_id: UUID


async def ask_again(command: AskAgain, *, uow: OrdersUnitOfWork, now: datetime) -> Refund:
    """The refused refund asked again (its next attempt), audited; Stripe is asked once this
    has committed (`ask_again_and_finish`). Only a refused card refund may be; asked twice at
    once, it is asked once (the other is told it is asked already)."""
    refund = await uow.payments.refund(command.refund_id)
    must_be_refused(refund, to_be="asked again")
    if not await uow.payments.ask_again(refund, now=now):
        raise Conflict(NO_LONGER_REFUSED, field="refund_id")
    audit_after_refusal(
        uow, refund, "refund.asked_again", f"to the card, attempt {refund.attempt + 1}"
    )
    return await uow.payments.refund(refund.id)


async def ask_again_and_finish(bus: MessageBus[OrdersUnitOfWork], refund_id: UUID) -> Refund:
    """A refused refund asked again and, once that has committed, asked of Stripe: done, or
    still asked (Stripe out of reach: the worker's job asks again). Raises Conflict if Stripe
    refused it again (it is failed again, with the new reason)."""
    asked = await bus.handle(AskAgain(refund_id))
    [refund] = await finish_refunds(bus, [asked.id]) or [asked]
    if refund.status is RefundStatus.FAILED:
        raise Conflict(
            f"the card processor refused the refund of {format_pounds(refund.gross_pence)} "
            f"again ({refund.refused or 'no reason given'}): it is listed as failed",
            field="refund",
        )
    return refund


@dataclass(frozen=True)
class RecordPaidByTransfer(Command["Refund"]):
    """Finance paid a card refund Stripe refused back by bank transfer instead (the card was
    closed, say), on `paid_on`, under the bank's payment reference."""

    refund_id: UUID
    reference: str
    paid_on: date


async def record_paid_by_transfer(
    command: RecordPaidByTransfer, *, uow: OrdersUnitOfWork, today: date
) -> Refund:
    """The refused refund marked done, paid by bank transfer on the day given (not after today,
    nor before the refund was asked for) under the bank's reference, audited, and its
    refund.issued event sent, dated that day and saying so. Recorded again alike (posted twice), it is answered as it stands, nothing more;
    only a refused card refund may be (one asked of Stripe again meanwhile is refused)."""
    refuse_future(
        command.paid_on,
        today=today,
        refusal="a refund cannot have been paid by bank transfer after today",
        field="paid_on",
    )
    refund = await uow.payments.refund(command.refund_id, locked=True)
    if refund.method is RefundMethod.BANK_TRANSFER:
        if (refund.reference, refund.issued_on) == (command.reference, command.paid_on):
            return refund
        raise Conflict(
            f"this refund was paid by bank transfer already, on {long_date(refund.issued_on)} "
            f"under the reference {refund.reference!r}",
            field="reference",
        )
    must_be_refused(refund, to_be="recorded as paid by bank transfer")
    asked_on = refund.asked_on or refund.issued_on
    refuse_before(
        command.paid_on,
        earliest=asked_on,
        refusal="a refund cannot have been paid by bank transfer before it was asked for, "
        f"on {long_date(asked_on)}",
        field="paid_on",
    )
    made = events_out.refund_made(
        await uow.payments.held_news(refund.id),
        on=command.paid_on,
        transfer_reference=command.reference,
    )
    if not await uow.payments.paid_by_transfer(
        refund, reference=command.reference, paid_on=command.paid_on, news=made
    ):
        raise Conflict(NO_LONGER_REFUSED, field="refund_id")
    paid_on, reference = long_date(command.paid_on), command.reference
    paid = f"paid back by bank transfer on {paid_on}, reference {reference}"
    audit_after_refusal(uow, refund, "refund.paid_by_transfer", paid)
    uow.record_envelope(made, summary=f"bank transfer {command.reference}")
    return await uow.payments.refund(refund.id)


NO_LONGER_REFUSED = (
    "this refund is no longer refused: it was asked of the card processor again, or paid "
    "another way, meanwhile"
)


def must_be_refused(refund: Refund, *, to_be: str) -> None:
    """Only a card refund Stripe refused for good may be asked again, or paid another way."""
    if refund.kind != "card_refund" or refund.status is not RefundStatus.FAILED:
        what = "is a credit note" if refund.kind != "card_refund" else f"is {refund.status.value}"
        raise Conflict(
            f"only a card refund the card processor refused can be {to_be}; this one {what}",
            field="refund_id",
        )


def audit_after_refusal(uow: OrdersUnitOfWork, refund: Refund, action: str, what: str) -> None:
    """What finance did about a refund Stripe refused, audited with why it was refused."""
    uow.audit(
        action,
        object_type="refund",
        object_id=refund.id,
        summary=f"{format_pounds(refund.gross_pence)} {what}, after the card processor "
        f"refused: {refund.refused or 'no reason given'}",
    )


def state_before(order: Order) -> tuple[bool, bool]:
    return (
        order.status is not OrderStatus.CANCELLED,
        order.payment_status is PaymentStatus.AWAITING_PAYMENT,
    )


def what_changed(order: Order, before: tuple[bool, bool]) -> dict[str, bool]:
    """What `settle` needs to know: whether this change cancelled the order, and whether the
    card payment it was still waiting for must be cancelled with it."""
    was_open, was_awaiting = before
    cancelled = was_open and order.status is OrderStatus.CANCELLED
    return {"cancelled": cancelled, "cancel_payment": cancelled and was_awaiting}
