"""A school's basket, priced by the catalogue's quote for that school, and its checkout."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, status

from services.orders.application import baskets, checkout, views
from services.orders.entrypoints.deps import (
    BasketFiller,
    BusDep,
    Buyer,
    TokenDep,
    UnitOfWorkDep,
    check_school,
)
from services.orders.entrypoints.schemas import BasketPublic, CheckoutPublic
from shared.api.orders import BasketLineCreate, CheckoutCreate, LineQuantityCreate
from shared.auth import Principal
from shared.bounds import Line, Urn

router = APIRouter(prefix="/baskets/{urn}", tags=["baskets"])


def basket_of(user: Principal) -> str | None:
    """Whose basket for the school a user fills: a trust buyer the trust's, anyone else the
    school's own. Each is checked out by whoever filled it."""
    return user.trust if user.is_trust_buyer else None


RequiredKey = Annotated[
    Line,
    Header(
        min_length=8,
        max_length=100,
        description="a fresh key per checkout; a retry with the same key gets the same order",
    ),
]


@router.get("")
async def get_basket(urn: Urn, uow: UnitOfWorkDep, user: BasketFiller) -> BasketPublic:
    """The school's basket with its totals: net, VAT and gross."""
    await check_school(uow, user, urn)
    return BasketPublic.of(await views.basket(uow, urn, trust_code=basket_of(user)))


@router.post("/lines", status_code=status.HTTP_201_CREATED)
async def add_line(
    urn: Urn,
    body: BasketLineCreate,
    uow: UnitOfWorkDep,
    bus: BusDep,
    token: TokenDep,
    user: BasketFiller,
) -> BasketPublic:
    """Add a service, priced by the catalogue's quote for this school: the price it will pay."""
    await check_school(uow, user, urn)
    command = baskets.AddLine(urn=urn, token=token, trust_code=basket_of(user), **body.model_dump())
    return BasketPublic.of(await bus.handle(command))


@router.patch("/lines/{line_id}")
async def change_line(
    urn: Urn,
    line_id: UUID,
    body: LineQuantityCreate,
    uow: UnitOfWorkDep,
    bus: BusDep,
    token: TokenDep,
    user: BasketFiller,
) -> BasketPublic:
    """Change a line's quantity (quoted afresh)."""
    await check_school(uow, user, urn)
    command = baskets.ChangeLine(
        urn, line_id, quantity=body.quantity, token=token, trust_code=basket_of(user)
    )
    return BasketPublic.of(await bus.handle(command))


@router.delete("/lines/{line_id}")
async def remove_line(
    urn: Urn, line_id: UUID, uow: UnitOfWorkDep, bus: BusDep, user: BasketFiller
) -> BasketPublic:
    """Take a line out of the basket."""
    await check_school(uow, user, urn)
    return BasketPublic.of(await bus.handle(baskets.RemoveLine(urn, line_id, basket_of(user))))


@router.post("/checkout", status_code=status.HTTP_201_CREATED)
async def checkout_basket(
    urn: Urn,
    body: CheckoutCreate,
    idempotency_key: RequiredKey,
    uow: UnitOfWorkDep,
    bus: BusDep,
    user: Buyer,
) -> CheckoutPublic:
    """Turn the basket into an order at the quoted prices, once per Idempotency-Key."""
    await check_school(uow, user, urn)
    command = checkout.Checkout(
        urn=urn,
        payment_method=body.payment_method,
        purchase_order=body.purchase_order,
        idempotency_key=idempotency_key,
    )
    return CheckoutPublic.of(await checkout.handle(bus, command))
