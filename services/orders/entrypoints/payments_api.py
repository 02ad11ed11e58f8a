"""Stripe's webhook, refunds, remittances and invoices (with their PDF)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Request, Response, status
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

from services.orders.adapters.invoice_pdf import render_invoice
from services.orders.adapters.stripe_gateway import ForgedWebhook
from services.orders.application import payments, views
from services.orders.domain.order import Order
from services.orders.domain.states import RefundStatus
from services.orders.entrypoints.deps import (
    STILL_REFUNDING,
    BusDep,
    Finance,
    OrderReader,
    OrderViewer,
    SettingsDep,
    UnitOfWorkDep,
    may_see_order,
    orders_in_view,
    settled,
)
from services.orders.entrypoints.orders_api import IdempotencyKey
from services.orders.entrypoints.schemas import (
    InvoicePublic,
    OrderPublic,
    RefundPublic,
    RemittancePublic,
)
from shared.api.orders import PaidByTransferCreate, RefundCreate
from shared.api.remittances import RemittanceCreate
from shared.auth import Principal
from shared.deps import settings_of
from shared.errors import NotFound
from shared.http_rate_limit import limited

router = APIRouter(tags=["payments"])


WEBHOOK_LIMIT = limited("webhook", lambda request: settings_of(request).webhook_requests_per_minute)


@router.post("/stripe/webhook", include_in_schema=False, dependencies=[Depends(WEBHOOK_LIMIT)])
async def stripe_webhook(
    request: Request, bus: BusDep, stripe_signature: Annotated[str, Header()] = ""
) -> JSONResponse:
    """Stripe's signed events; a card order is paid only on a verified `payment_intent.succeeded`."""
    try:
        outcome = await bus.handle(payments.ApplyWebhook(await request.body(), stripe_signature))
    except ForgedWebhook as error:
        return JSONResponse({"detail": f"signature refused: {error}"}, status_code=400)
    except IntegrityError:  # the same event, delivered twice at once: the other one applied it
        outcome = "already applied"
    return JSONResponse({"result": outcome})


@router.post(
    "/orders/{order_id}/refunds", status_code=status.HTTP_201_CREATED, responses=STILL_REFUNDING
)
async def refund_order(
    order_id: UUID,
    body: RefundCreate,
    bus: BusDep,
    response: Response,
    _: Finance,
    idempotency_key: IdempotencyKey = None,
) -> OrderPublic:
    """Refund part or all of a card payment through Stripe; never more than was paid. A retry
    with the same Idempotency-Key refunds nothing more (and asks Stripe again for a refund it
    has not yet made). 409 if Stripe refused the refund: it is listed as failed."""
    command = payments.RefundOrder(order_id, idempotency_key=idempotency_key, **body.model_dump())
    return OrderPublic.of(await settled(bus, command, response))


@router.get("/refunds")
async def list_refunds(
    uow: UnitOfWorkDep, user: OrderReader, order_id: UUID | None = None
) -> list[RefundPublic]:
    """Card refunds and credit notes: a school sees its own, finance every school's. A card
    refund is `asked` until Stripe has made it (`done`); `failed`, with why, if Stripe refused
    it: finance then asks again (POST /refunds/{refund_id}/ask-again) or pays it back by bank
    transfer (POST /refunds/{refund_id}/paid-by-transfer)."""
    urn = user.urn if user.is_school else None
    return [
        RefundPublic.of(refund) for refund in await views.refunds(uow, urn=urn, order_id=order_id)
    ]


@router.post(
    "/refunds/{refund_id}/ask-again",
    responses={
        202: {
            "description": "Asked again, but not yet made: the card processor did not answer. "
            "The refund is listed as asked, and asked again until made."
        }
    },
)
async def ask_again(refund_id: UUID, bus: BusDep, response: Response, _: Finance) -> RefundPublic:
    """Ask the card processor again for a card refund it refused (the school's card replaced,
    say): a new attempt under an idempotency key of its own, audited. Made, the refund is done
    and its refund.issued event sent, once; refused again, it stays failed with the new reason
    (409, as for a refund that is not a refused card refund)."""
    refund = await payments.ask_again_and_finish(bus, refund_id)
    if refund.status is RefundStatus.ASKED:
        response.status_code = status.HTTP_202_ACCEPTED
    return RefundPublic.of(refund)


@router.post("/refunds/{refund_id}/paid-by-transfer")
async def paid_by_transfer(
    refund_id: UUID, body: PaidByTransferCreate, bus: BusDep, _: Finance
) -> RefundPublic:
    """Record a card refund the card processor refused as paid back by bank transfer instead
    (the card closed, say), with the bank's reference and the day it was paid: it is done, and
    its refund.issued event sent once, dated that day, by bank transfer. Recorded again alike,
    it is answered as it stands; 409 for a refund that is not a refused card refund."""
    command = payments.RecordPaidByTransfer(refund_id=refund_id, **body.model_dump())
    return RefundPublic.of(await bus.handle(command))


@router.get("/invoices")
async def list_invoices(uow: UnitOfWorkDep, user: OrderViewer) -> list[InvoicePublic]:
    """Invoices: a school sees its own, a trust buyer its trust's, finance every school's."""
    orders = await views.orders(uow, **orders_in_view(user, None))
    found = [InvoicePublic.of(order) for order in orders if order.invoice]
    return sorted(found, key=lambda invoice: invoice.number)


async def visible_invoice_order(uow: UnitOfWorkDep, invoice_id: UUID, user: Principal) -> Order:
    order = await views.invoiced_order(uow, invoice_id)
    if not may_see_order(user, order):
        raise NotFound(f"no invoice {invoice_id}", field="invoice_id")
    return order


@router.get("/invoices/{invoice_id}")
async def get_invoice(invoice_id: UUID, uow: UnitOfWorkDep, user: OrderViewer) -> InvoicePublic:
    """One invoice with what has been paid and credited against it."""
    return InvoicePublic.of(await visible_invoice_order(uow, invoice_id, user))


@router.get("/invoices/{invoice_id}/pdf", response_class=Response)
async def invoice_pdf(
    invoice_id: UUID, uow: UnitOfWorkDep, settings: SettingsDep, user: OrderViewer
) -> Response:
    """The VAT invoice as a PDF to download (a trust's: to the trust, each school's lines)."""
    order = await visible_invoice_order(uow, invoice_id, user)
    schools = await views.invoiced_schools(uow, order)
    assert order.invoice is not None
    return Response(
        render_invoice(order, schools, settings.supplier),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{order.invoice.number}.pdf"'},
    )


@router.post("/invoices/{invoice_id}/remittances", status_code=status.HTTP_201_CREATED)
async def record_remittance(
    invoice_id: UUID, body: RemittanceCreate, bus: BusDep, user: Finance
) -> InvoicePublic:
    """Finance records money received by BACS against an invoice; part payments allowed."""
    command = payments.RecordRemittance(
        invoice_id=invoice_id, recorded_by=user.subject, **body.model_dump()
    )
    return InvoicePublic.of(await bus.handle(command))


@router.get("/remittances")
async def list_remittances(uow: UnitOfWorkDep, user: OrderReader) -> list[RemittancePublic]:
    """Remittances received: a school sees its own, finance every school's."""
    found = await views.remittances(uow, urn=user.urn if user.is_school else None)
    return [RemittancePublic.of(remittance) for remittance in found]
