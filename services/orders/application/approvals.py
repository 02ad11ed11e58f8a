"""A school's approver approves or declines an order awaiting approval: approval goes on with
the checkout (the invoice, or the card payment to make); a decline, or no answer in time,
cancels it and releases its held places."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID

from services.orders.application import events_out
from services.orders.application.checkout import invoice_order, take_card_payment
from services.orders.application.payments import cancel_order
from services.orders.application.ports import PaymentGateway
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.domain.approval import ApprovalPolicy
from services.orders.domain.order import Order, PaymentMethod
from services.orders.domain.states import OrderStatus
from shared.errors import Conflict


class Decision(StrEnum):
    APPROVE = "approve"
    DECLINE = "decline"


@dataclass(frozen=True)
class Decide:
    order_id: UUID
    decision: Decision
    approver: str


async def decide(
    uow: OrdersUnitOfWork,
    command: Decide,
    *,
    gateway: PaymentGateway,
    today: date,
    payment_days: int,
) -> Order:
    order = await uow.orders.get(command.order_id, locked=True)
    if order.status is not OrderStatus.AWAITING_APPROVAL:
        raise Conflict(f"the order is {order.status.value}, not awaiting approval", field="status")
    if command.decision is Decision.DECLINE:
        reason = f"declined by the school's approver ({command.approver})"
        return await cancel_order(uow, order.id, reason=reason, gateway=gateway, today=today)
    order.approve(by=command.approver, today=today)
    school = await uow.schools.get(order.urn)
    uow.record(events_out.order_approved(order, school))
    if order.payment_method is PaymentMethod.CARD:
        await take_card_payment(uow, order, gateway=gateway)  # the browser asks for it by order
        return order
    await invoice_order(uow, order, school, today=today, payment_days=payment_days)
    await uow.orders.add_invoice(order)
    await uow.orders.save(order)
    await uow.commit()
    return order


async def set_policy(uow: OrdersUnitOfWork, urn: int, policy: ApprovalPolicy) -> None:
    await uow.schools.get(urn)  # an unknown school is refused
    await uow.approval_policies.put(urn, policy)
    await uow.commit()


async def lapse_unapproved(
    uows: Callable[[], OrdersUnitOfWork], *, gateway: PaymentGateway, today: date
) -> int:
    """Cancel every order whose approval was not given by its last day; how many. Each is
    cancelled under its row's lock and only if still awaiting, so two workers cancel it once."""
    async with uows() as uow:
        lapsed = await uow.approval_policies.lapsed(today)
    cancelled = 0
    for order_id in lapsed:
        async with uows() as uow:
            order = await uow.orders.get(order_id, locked=True)
            if order.status is OrderStatus.AWAITING_APPROVAL:
                reason = f"not approved by {order.approve_by:%d %B %Y}"
                await cancel_order(uow, order_id, reason=reason, gateway=gateway, today=today)
                cancelled += 1
    return cancelled
