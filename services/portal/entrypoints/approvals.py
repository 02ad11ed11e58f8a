"""The school approver's desk: the school's orders awaiting approval, and each one's page where
it is approved (the checkout goes on: the invoice, or the card payment) or declined."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.domain.forms import FormErrors
from services.portal.entrypoints.forms import Wording, submit
from services.portal.entrypoints.rendering import (
    form_of,
    form_page,
    render,
    see_other,
    tell_next_page,
)
from services.portal.entrypoints.roles import Approver

router = APIRouter()

ANSWERS = {"approve": "Order approved", "decline": "Order declined"}


@router.get("/approvals")
async def approvals(request: Request, you: Approver) -> Response:
    waiting = [o for o in await you.apis.orders.orders() if o.status == "awaiting_approval"]
    return render(request, "orders/approvals.html", orders=waiting)


@router.get("/orders/{order_id:uuid}/approval")
async def approval_page(request: Request, order_id: UUID, you: Approver) -> Response:
    order = await you.apis.orders.order(order_id)
    return form_page(request, "orders/approval.html", form={}, errors=FormErrors(), order=order)


@router.post("/orders/{order_id:uuid}/approval")
async def decide(request: Request, order_id: UUID, you: Approver) -> Response:
    form = await form_of(request)
    errors = FormErrors()
    decision = form.get("decision", "")
    if decision not in ANSWERS:
        errors.add("decision", "Approve or decline the order")
    else:
        await submit(
            errors,
            lambda: you.apis.orders.decide(order_id, decision),
            Wording({}, {"status": "decision"}),
        )
        if not errors:
            tell_next_page(request, ANSWERS[decision])
            return see_other(f"/orders/{order_id}/approval")
    order = await you.apis.orders.order(order_id)
    return form_page(request, "orders/approval.html", form=form, errors=errors, order=order)
