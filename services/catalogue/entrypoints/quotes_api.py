"""Quotes: what one school pays for a quantity of one service (orders prices lines with it)."""

from __future__ import annotations

from fastapi import APIRouter

from services.catalogue.application import quoting, views
from services.catalogue.domain.quote import Quote
from services.catalogue.entrypoints.deps import SettingsDep, SignedIn, Today, UnitOfWorkDep
from shared.api.catalogue import QuoteCreate, QuotesCreate

router = APIRouter(prefix="/quotes", tags=["quotes"])


@router.post("")
async def quote(
    body: QuoteCreate, uow: UnitOfWorkDep, settings: SettingsDep, today: Today, user: SignedIn
) -> Quote:
    """Price a quantity of one published service for one school: net, VAT, gross and the rule,
    at the prices in force on the day it starts."""
    [found] = await views.quotes(
        uow,
        body.urn,
        [quoting.AskForQuote(**body.model_dump())],
        viewer=user,
        home_la_code=settings.home_la_code,
        today=today,
        one=True,
    )
    return found


@router.post("/batch")
async def quotes(
    body: QuotesCreate, uow: UnitOfWorkDep, settings: SettingsDep, today: Today, user: SignedIn
) -> list[Quote]:
    """Price several lines for one school in one go, each as `POST /quotes` would; a line
    refused is named by its place (`lines.<n>.<field>`)."""
    return await views.quotes(
        uow,
        body.urn,
        [quoting.AskForQuote(urn=body.urn, **line.model_dump()) for line in body.lines],
        viewer=user,
        home_la_code=settings.home_la_code,
        today=today,
    )
