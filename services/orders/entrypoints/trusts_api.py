"""An academy trust's buying: its schools, their baskets together, and one checkout into the
trust's order on one consolidated invoice."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, status

from services.orders.application import renewals, views
from services.orders.application.checkout import CheckedOut
from services.orders.application.trust_orders import CheckoutTrust
from services.orders.entrypoints.deps import BusDep, TokenDep, UnitOfWorkDep
from services.orders.entrypoints.renewals_api import Year
from services.orders.entrypoints.schemas import BasketPublic, CheckoutPublic
from shared.api.orders import (
    RenewalLinePublic,
    TrustBasketPublic,
    TrustCheckoutCreate,
    TrustRenewalOfferPublic,
    TrustSchoolPublic,
    TrustSchoolRenewalPublic,
)
from shared.auth import Principal, Role
from shared.bounds import Line
from shared.errors import Forbidden
from shared.http import require
from shared.money import total

router = APIRouter(prefix="/trusts/{trust_code}", tags=["trusts"])
TrustCode = Annotated[str, Path(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9-]+$")]
TrustBuyer = Annotated[Principal, Depends(require(Role.TRUST_BUYER, Role.ADMIN))]
TrustReader = Annotated[Principal, Depends(require(Role.TRUST_BUYER, Role.FINANCE, Role.ADMIN))]
IdempotencyKey = Annotated[Line, Header(min_length=8, max_length=100)]


def check_trust(user: Principal, trust_code: str) -> None:
    if user.is_trust_buyer and user.trust != trust_code:
        raise Forbidden("a trust buyer acts only for its own trust", field="trust_code")


@router.get("/basket")
async def trust_basket(
    trust_code: TrustCode, uow: UnitOfWorkDep, user: TrustReader
) -> TrustBasketPublic:
    """The trust's schools, each with its basket, and the total the trust's checkout invoices."""
    check_trust(user, trust_code)
    found = await views.trust_baskets(uow, trust_code)
    amounts = total([basket.amounts for _, basket in found])
    return TrustBasketPublic(
        trust_code=trust_code,
        trust_name=found[0][0].trust_name or trust_code,
        schools=[
            TrustSchoolPublic(
                urn=school.urn,
                name=school.name,
                phase=school.phase,
                pupils=school.pupils,
                basket=BasketPublic.of(basket),
            )
            for school, basket in found
        ],
        net_pence=amounts.net,
        vat_pence=amounts.vat,
        gross_pence=amounts.gross,
    )


@router.post("/checkout", status_code=status.HTTP_201_CREATED)
async def checkout(
    trust_code: TrustCode,
    body: TrustCheckoutCreate,
    idempotency_key: IdempotencyKey,
    bus: BusDep,
    user: TrustBuyer,
) -> CheckoutPublic:
    """Every basket of the trust's schools becomes the trust's order, on one invoice to the
    trust with a line per school's purchase; once per Idempotency-Key."""
    check_trust(user, trust_code)
    order = await bus.handle(CheckoutTrust(trust_code, body.purchase_order, idempotency_key))
    return CheckoutPublic.of(CheckedOut(order))  # a trust pays by invoice


@router.get("/renewal")
async def trust_renewal_offer(
    trust_code: TrustCode, year: Year, bus: BusDep, token: TokenDep, user: TrustBuyer
) -> TrustRenewalOfferPublic:
    """What the trust bought for its schools the year before `year`, school by school, at
    `year`'s prices (the trust's price list applied), with what renewing it invoices."""
    check_trust(user, trust_code)
    offer = await bus.handle(renewals.OfferTrustRenewal(trust_code, year, token))
    amounts = total([line.amounts for line in offer.lines()])
    return TrustRenewalOfferPublic(
        trust_code=trust_code,
        trust_name=offer.trust_name,
        year=year,
        schools=[
            TrustSchoolRenewalPublic(
                urn=found.school.urn,
                name=found.school.name,
                lines=[RenewalLinePublic(**quote.__dict__) for quote in found.quotes],
                not_offered=found.not_offered,
                not_yet_priced=found.not_yet_priced,
                already_bought=found.already_bought,
            )
            for found in offer.schools
        ],
        net_pence=amounts.net,
        vat_pence=amounts.vat,
        gross_pence=amounts.gross,
        renewed_by=offer.renewed_by,
    )


@router.post("/renewal", status_code=status.HTTP_201_CREATED)
async def renew_trust(
    trust_code: TrustCode,
    year: Year,
    body: TrustCheckoutCreate,
    idempotency_key: IdempotencyKey,
    bus: BusDep,
    token: TokenDep,
    user: TrustBuyer,
) -> CheckoutPublic:
    """Renew what the trust bought for its schools last year, at `year`'s prices, as the
    trust's order on one invoice to the trust; once per Idempotency-Key."""
    check_trust(user, trust_code)
    command = renewals.RenewTrust(
        trust_code, year, body.purchase_order, idempotency_key, token=token
    )
    return CheckoutPublic.of(CheckedOut(await bus.handle(command)))
