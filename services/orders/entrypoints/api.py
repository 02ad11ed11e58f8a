"""Orders HTTP API."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request, status
from pydantic import BaseModel, Field

from services.orders.application import handlers
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.domain.order import Order, OrderStatus, PaymentMethod, RequestedLine
from shared.auth import ANY_ROLE, Principal, Role
from shared.deps import unit_of_work
from shared.errors import Forbidden, NotFound
from shared.http import require
from shared.money import VatRate

router = APIRouter(tags=["orders"])

UnitOfWorkDep = Annotated[OrdersUnitOfWork, Depends(unit_of_work)]
Buyer = Annotated[Principal, Depends(require(Role.SCHOOL, Role.ADMIN))]
OrderReader = Annotated[Principal, Depends(require(Role.SCHOOL, Role.FINANCE, Role.ADMIN))]
SignedIn = Annotated[Principal, Depends(require(*ANY_ROLE))]


class LineCreate(BaseModel):
    service_id: UUID
    quantity: int = Field(ge=1, le=1000)


class OrderCreate(BaseModel):
    urn: int = Field(gt=0)
    lines: list[LineCreate] = Field(min_length=1, max_length=100)
    payment_method: PaymentMethod
    purchase_order: str | None = Field(default=None, max_length=60)


class LinePublic(BaseModel):
    service_id: UUID
    title: str
    category: str
    quantity: int
    unit_price_pence: int
    vat_rate: VatRate
    net_pence: int
    vat_pence: int
    gross_pence: int


class InvoicePublic(BaseModel):
    id: UUID
    number: str
    purchase_order: str
    issued_on: date
    due_on: date


class OrderPublic(BaseModel):
    id: UUID
    urn: int
    status: OrderStatus
    payment_method: PaymentMethod
    placed_on: date
    lines: list[LinePublic]
    net_pence: int
    vat_pence: int
    gross_pence: int
    invoice: InvoicePublic | None

    @classmethod
    def of(cls, order: Order) -> OrderPublic:
        amounts = order.amounts
        invoice = order.invoice
        return cls(
            id=order.id,
            urn=order.urn,
            status=order.status,
            payment_method=order.payment_method,
            placed_on=order.placed_on,
            lines=[
                LinePublic(
                    **{**line.__dict__},
                    net_pence=line.amounts.net,
                    vat_pence=line.amounts.vat,
                    gross_pence=line.amounts.gross,
                )
                for line in order.lines
            ],
            net_pence=amounts.net,
            vat_pence=amounts.vat,
            gross_pence=amounts.gross,
            invoice=InvoicePublic(**invoice.__dict__) if invoice else None,
        )


class ListingPublic(BaseModel):
    service_id: UUID
    code: str
    title: str
    service_type: str
    category: str
    unit_price_pence: int
    vat_rate: VatRate
    price_version: int


@router.post("/orders", status_code=status.HTTP_201_CREATED)
async def place_order(
    body: OrderCreate, request: Request, uow: UnitOfWorkDep, user: Buyer
) -> OrderPublic:
    """Place an order for published services; paying by invoice raises the invoice at once."""
    if not user.may_see_school(body.urn):
        raise Forbidden("a school may only order for itself", field="urn")
    command = handlers.PlaceOrder(
        urn=body.urn,
        lines=[RequestedLine(line.service_id, line.quantity) for line in body.lines],
        payment_method=body.payment_method,
        purchase_order=body.purchase_order,
    )
    async with uow:
        order = await handlers.place_order(
            uow,
            command,
            today=date.today(),
            payment_days=request.app.state.settings.invoice_payment_days,
        )
    return OrderPublic.of(order)


@router.get("/orders")
async def list_orders(
    uow: UnitOfWorkDep, user: OrderReader, urn: int | None = None
) -> list[OrderPublic]:
    """Orders: a school sees its own; finance and admin see every school's."""
    if user.is_school:
        urn = user.urn
    async with uow:
        return [OrderPublic.of(order) for order in await uow.orders.find(urn=urn)]


@router.get("/orders/{order_id}")
async def get_order(order_id: UUID, uow: UnitOfWorkDep, user: OrderReader) -> OrderPublic:
    """One order (another school's order is reported as not found)."""
    async with uow:
        order = await uow.orders.get(order_id)
    if not user.may_see_school(order.urn):
        raise NotFound(f"no order {order_id}", field="order_id")
    return OrderPublic.of(order)


@router.get("/listings")
async def list_listings(uow: UnitOfWorkDep, _: SignedIn) -> list[ListingPublic]:
    """The published services orders knows of (its read model of the catalogue)."""
    async with uow:
        return [ListingPublic(**listing.__dict__) for listing in await uow.listings.all()]
