"""A school's approver approves or declines an order awaiting approval: approval goes on with
the checkout (the invoice, or the card payment to make); a decline, or no answer in time,
cancels it and releases its held places."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from services.orders.application import events_out
from services.orders.application.checkout import (
    PaidAhead,
    ask_for_card_payment,
    card_payment_for,
    invoice_order,
)
from services.orders.application.payments import CancelOrder, cancel_order, give_back_withdrawn
from services.orders.application.ports import PaymentGateway
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.config import Settings
from services.orders.domain.approval import ApprovalPolicy
from services.orders.domain.order import Order, PaymentMethod
from services.orders.domain.states import OrderStatus
from shared.bus import Command
from shared.calendar import long_date
from shared.errors import Conflict


class Decision(StrEnum):
    APPROVE = "approve"
    DECLINE = "decline"


@dataclass(frozen=True)
class Decide(Command["Order"]):
    order_id: UUID
    decision: Decision
    approver: str


@dataclass(frozen=True)
class SetPolicy(Command["ApprovalPolicy"]):
    urn: int
    policy: ApprovalPolicy


@dataclass(frozen=True)
class LapseUnapproved(Command["bool"]):
    """One order whose approval was not given by its last day (the worker's job finds them)."""

    order_id: UUID


async def decide(
    command: Decide,
    *,
    uow: OrdersUnitOfWork,
    gateway: PaymentGateway,
    today: date,
    now: datetime,
    settings: Settings,
) -> Order:
    paid_ahead = await pay_ahead_on_approval(uow, command, gateway=gateway)
    order = await uow.orders.get(command.order_id, locked=True)
    if order.status is not OrderStatus.AWAITING_APPROVAL:
        raise Conflict(f"the order is {order.status.value}, not awaiting approval", field="status")
    if command.decision is Decision.DECLINE:
        reason = f"declined by the school's approver ({command.approver})"
        declined = CancelOrder(order.id, reason=reason)
        return await cancel_order(declined, uow=uow, gateway=gateway, today=today, now=now)
    order.approve(by=command.approver, today=today)
    school = await uow.schools.get(order.urn)
    uow.record(events_out.order_approved(order, school))
    if order.payment_method is PaymentMethod.CARD:
        card_payment_for(order, paid_ahead)  # the browser asks for it by order
        await uow.orders.save(order)
        return order
    payment_days = settings.invoice_payment_days
    await invoice_order(uow, order, school, today=today, payment_days=payment_days)
    await uow.orders.add_invoice(order)
    await give_back_withdrawn(uow, order, today=today, now=now)
    await uow.orders.save(order)
    return order


async def pay_ahead_on_approval(
    uow: OrdersUnitOfWork, command: Decide, *, gateway: PaymentGateway
) -> PaidAhead | None:
    """Approving a card order asks Stripe for its payment before the transaction begins, as a
    checkout does; None if the decision takes no payment."""
    if command.decision is not Decision.APPROVE:
        return None
    async with uow.first_look():
        order = await uow.orders.get(command.order_id)
    if order.status is not OrderStatus.AWAITING_APPROVAL:
        return None
    if order.payment_method is not PaymentMethod.CARD:
        return None
    return await ask_for_card_payment(
        uow, gateway, order_id=order.id, urn=order.urn, amount_pence=order.amounts.gross
    )


async def set_policy(command: SetPolicy, *, uow: OrdersUnitOfWork) -> ApprovalPolicy:
    await uow.schools.get(command.urn)  # an unknown school is refused
    await uow.approval_policies.put(command.urn, command.policy)
    return command.policy


async def lapse_unapproved(
    command: LapseUnapproved,
    *,
    uow: OrdersUnitOfWork,
    gateway: PaymentGateway,
    today: date,
    now: datetime,
) -> bool:
    """Cancel the order if it still awaits approval (under its row's lock, so two workers
    cancel it once); whether it did."""
    order = await uow.orders.get(command.order_id, locked=True)
    if order.status is not OrderStatus.AWAITING_APPROVAL:
        return False
    reason = f"not approved by {long_date(order.approve_by or today)}"
    cancel = CancelOrder(order.id, reason=reason)
    await cancel_order(cancel, uow=uow, gateway=gateway, today=today, now=now)
    return True
