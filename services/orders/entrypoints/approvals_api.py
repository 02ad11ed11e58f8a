"""Headteacher approval: a school sets its spending limit; its approver approves or declines
each order awaiting approval."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends

from services.orders.application import approvals, views
from services.orders.domain.approval import ApprovalPolicy
from services.orders.entrypoints.deps import BusDep, UnitOfWorkDep, check_school, visible_order
from services.orders.entrypoints.schemas import OrderPublic
from shared.api.orders import ApprovalPolicyCreate, DecisionCreate
from shared.auth import Principal, Role
from shared.bounds import Urn
from shared.http import require

router = APIRouter(tags=["approvals"])

SchoolOrAdmin = Annotated[
    Principal, Depends(require(Role.SCHOOL, Role.SCHOOL_APPROVER, Role.ADMIN))
]
Approver = Annotated[Principal, Depends(require(Role.SCHOOL_APPROVER, Role.ADMIN))]


@router.get("/schools/{urn}/approval-policy")
async def approval_policy(
    urn: Urn, uow: UnitOfWorkDep, user: SchoolOrAdmin
) -> ApprovalPolicyCreate:
    """The school's rule for which orders its approver must approve."""
    await check_school(uow, user, urn)
    return ApprovalPolicyCreate(**(await views.approval_policy(uow, urn)).__dict__)


@router.put("/schools/{urn}/approval-policy")
async def set_approval_policy(
    urn: Urn, body: ApprovalPolicyCreate, uow: UnitOfWorkDep, bus: BusDep, user: SchoolOrAdmin
) -> ApprovalPolicyCreate:
    """Set the school's spending limit (or approval of every order)."""
    await check_school(uow, user, urn)
    policy = await bus.handle(approvals.SetPolicy(urn, ApprovalPolicy(**body.model_dump())))
    return ApprovalPolicyCreate(**policy.__dict__)


@router.post("/orders/{order_id}/approval")
async def decide(
    order_id: UUID, body: DecisionCreate, uow: UnitOfWorkDep, bus: BusDep, user: Approver
) -> OrderPublic:
    """Approve (the invoice is raised, or the card payment awaits) or decline (the order is
    cancelled and its held places released) an order awaiting approval."""
    await visible_order(uow, order_id, user)
    decision = approvals.Decision(body.decision)
    return OrderPublic.of(await bus.handle(approvals.Decide(order_id, decision, user.subject)))
