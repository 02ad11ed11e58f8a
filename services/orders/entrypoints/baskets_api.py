"""A school's basket, priced by the catalogue's quote for that school, and its checkout."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, status

from services.orders.application import baskets
from services.orders.application.checkout import Checkout, checkout
from services.orders.entrypoints.deps import (
    BasketFiller,
    Buyer,
    GatewayDep,
    QuotesDep,
    SettingsDep,
    TodayDep,
    UnitOfWorkDep,
    UnitsOfWorkDep,
    check_school,
)
from services.orders.entrypoints.schemas import (
    BasketLineCreate,
    BasketPublic,
    CheckoutCreate,
    CheckoutPublic,
    LineQuantityCreate,
)
from shared.bounds import Line, Urn

router = APIRouter(prefix="/baskets/{urn}", tags=["baskets"])
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
    async with uow:
        await uow.schools.get(urn)
        return BasketPublic.of(await uow.baskets.get(urn))


@router.post("/lines", status_code=status.HTTP_201_CREATED)
async def add_line(
    urn: Urn,
    body: BasketLineCreate,
    uow: UnitOfWorkDep,
    quotes: QuotesDep,
    today: TodayDep,
    user: BasketFiller,
) -> BasketPublic:
    """Add a service, priced by the catalogue's quote for this school: the price it will pay."""
    await check_school(uow, user, urn)
    async with uow:
        basket = await baskets.add_line(
            uow, baskets.AddLine(urn=urn, **body.model_dump()), quotes=quotes, today=today
        )
    return BasketPublic.of(basket)


@router.patch("/lines/{line_id}")
async def change_line(
    urn: Urn,
    line_id: UUID,
    body: LineQuantityCreate,
    uow: UnitOfWorkDep,
    quotes: QuotesDep,
    today: TodayDep,
    user: BasketFiller,
) -> BasketPublic:
    """Change a line's quantity (quoted afresh)."""
    await check_school(uow, user, urn)
    async with uow:
        basket = await baskets.change_line(
            uow, urn, line_id, quantity=body.quantity, quotes=quotes, today=today
        )
    return BasketPublic.of(basket)


@router.delete("/lines/{line_id}")
async def remove_line(
    urn: Urn, line_id: UUID, uow: UnitOfWorkDep, user: BasketFiller
) -> BasketPublic:
    """Take a line out of the basket."""
    await check_school(uow, user, urn)
    async with uow:
        return BasketPublic.of(await baskets.remove_line(uow, urn, line_id))


@router.post("/checkout", status_code=status.HTTP_201_CREATED)
async def checkout_basket(
    urn: Urn,
    body: CheckoutCreate,
    idempotency_key: RequiredKey,
    uows: UnitsOfWorkDep,
    settings: SettingsDep,
    gateway: GatewayDep,
    today: TodayDep,
    user: Buyer,
) -> CheckoutPublic:
    """Turn the basket into an order at the quoted prices, once per Idempotency-Key."""
    await check_school(uows(), user, urn)
    checked_out = await checkout(
        uows,
        Checkout(
            urn=urn,
            payment_method=body.payment_method,
            purchase_order=body.purchase_order,
            idempotency_key=idempotency_key,
        ),
        gateway=gateway,
        today=today,
        payment_days=settings.invoice_payment_days,
    )
    return CheckoutPublic.of_checkout(checked_out)
