"""Quotes: what one school pays for a quantity of one service (orders prices lines with it)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter

from services.catalogue.application import quoting
from services.catalogue.domain.quote import Quote
from services.catalogue.entrypoints.deps import (
    SettingsDep,
    SignedIn,
    UnitOfWorkDep,
    check_may_price_for,
)
from services.catalogue.entrypoints.schemas import QuoteCreate, QuotesCreate

router = APIRouter(prefix="/quotes", tags=["quotes"])


@router.post("")
async def quote(
    body: QuoteCreate, uow: UnitOfWorkDep, settings: SettingsDep, user: SignedIn
) -> Quote:
    """Price a quantity of one published service for one school: net, VAT, gross and the rule,
    at the prices in force on the day it starts."""
    async with uow:
        await check_may_price_for(uow, user, body.urn)
        return await quoting.quote_for(
            uow,
            quoting.AskForQuote(**body.model_dump()),
            home_la_code=settings.home_la_code,
            today=date.today(),
        )


@router.post("/batch")
async def quotes(
    body: QuotesCreate, uow: UnitOfWorkDep, settings: SettingsDep, user: SignedIn
) -> list[Quote]:
    """Price several lines for one school in one go, each as `POST /quotes` would; a line
    refused is named by its place (`lines.<n>.<field>`)."""
    async with uow:
        await check_may_price_for(uow, user, body.urn)
        return await quoting.quotes_for(
            uow,
            [quoting.AskForQuote(urn=body.urn, **line.model_dump()) for line in body.lines],
            home_la_code=settings.home_la_code,
            today=date.today(),
        )
