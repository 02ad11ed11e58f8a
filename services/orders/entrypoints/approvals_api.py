"""Headteacher approval: a school sets its spending limit; its approver approves or declines
each order awaiting approval."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from services.orders.application import approvals
from services.orders.domain.approval import ApprovalPolicy
from services.orders.entrypoints.api import visible_order
from services.orders.entrypoints.deps import (
    GatewayDep,
    SettingsDep,
    TodayDep,
    UnitOfWorkDep,
    check_school,
)
from services.orders.entrypoints.schemas import OrderPublic
from shared.auth import Principal, Role
from shared.bounds import Pence, Urn
from shared.http import require

router = APIRouter(tags=["approvals"])

SchoolOrAdmin = Annotated[
    Principal, Depends(require(Role.SCHOOL, Role.SCHOOL_APPROVER, Role.ADMIN))
]
Approver = Annotated[Principal, Depends(require(Role.SCHOOL_APPROVER, Role.ADMIN))]


class ApprovalPolicyCreate(BaseModel):
    spending_limit_pence: Pence | None = Field(
        default=None, description="orders above this (gross) await the approver; none: no limit"
    )
    every_order: bool = Field(default=False, description="every order awaits the approver")
    approval_days: int = Field(default=5, ge=1, le=60, description="then an order lapses")


class DecisionCreate(BaseModel):
    decision: Literal["approve", "decline"]


@router.get("/schools/{urn}/approval-policy")
async def approval_policy(
    urn: Urn, uow: UnitOfWorkDep, user: SchoolOrAdmin
) -> ApprovalPolicyCreate:
    """The school's rule for which orders its approver must approve."""
    await check_school(uow, user, urn)
    async with uow:
        policy = await uow.approval_policies.of(urn)
    return ApprovalPolicyCreate(**policy.__dict__)


@router.put("/schools/{urn}/approval-policy")
async def set_approval_policy(
    urn: Urn, body: ApprovalPolicyCreate, uow: UnitOfWorkDep, user: SchoolOrAdmin
) -> ApprovalPolicyCreate:
    """Set the school's spending limit (or approval of every order)."""
    await check_school(uow, user, urn)
    async with uow:
        await approvals.set_policy(uow, urn, ApprovalPolicy(**body.model_dump()))
    return body


@router.post("/orders/{order_id}/approval")
async def decide(
    order_id: UUID,
    body: DecisionCreate,
    uow: UnitOfWorkDep,
    gateway: GatewayDep,
    settings: SettingsDep,
    today: TodayDep,
    user: Approver,
) -> OrderPublic:
    """Approve (the invoice is raised, or the card payment awaits) or decline (the order is
    cancelled and its held places released) an order awaiting approval."""
    await visible_order(uow, order_id, user)
    async with uow:
        order = await approvals.decide(
            uow,
            approvals.Decide(order_id, approvals.Decision(body.decision), approver=user.subject),
            gateway=gateway,
            today=today,
            payment_days=settings.invoice_payment_days,
        )
    return OrderPublic.of(order)
