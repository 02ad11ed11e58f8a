"""Catalogue HTTP API for services: thin routes that parse, call one handler, shape the answer."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response, status

from services.catalogue.adapters.repository import Search
from services.catalogue.application import services, views
from services.catalogue.domain.pricing import price_list
from services.catalogue.domain.service import PHASES, Details, Status
from services.catalogue.entrypoints.deps import (
    BusDep,
    CatalogueAdmin,
    SettingsDep,
    SignedIn,
    Today,
    UnitOfWorkDep,
)
from services.catalogue.entrypoints.schemas import PriceVersionPublic, ServicePublic
from shared.api.catalogue import (
    DetailsCreate,
    PriceVersionCreate,
    PriceVersionSetPublic,
    ServiceCreate,
    ServiceRevisionCreate,
    ShopFiltersPublic,
)
from shared.bounds import (
    AcademicYear,
    FinancialYear,
    Label,
    Line,
    PageNumber,
    PageSize,
    Urn,
)
from shared.calendar import academic_years_overlapping, financial_years_overlapping
from shared.errors import Invalid

router = APIRouter(prefix="/services", tags=["services"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_service(
    body: ServiceCreate, bus: BusDep, today: Today, _: CatalogueAdmin
) -> ServicePublic:
    """Add a service to the catalogue as a draft."""
    command = services.CreateService(
        code=body.code,
        service_type=body.service_type,
        details=Details(**{name: getattr(body, name) for name in DetailsCreate.model_fields}),
        prices=price_list(body.service_type, body.prices, body.unit_price_pence),
        vat_rate=body.vat_rate,
    )
    return _public(await bus.handle(command), today=today)


@router.post("/{service_id}/publish")
async def publish_service(
    service_id: UUID, bus: BusDep, today: Today, _: CatalogueAdmin
) -> ServicePublic:
    """Publish a draft: schools can order it from now on."""
    return _public(await bus.handle(services.PublishService(service_id)), today=today)


@router.post("/{service_id}/retire")
async def retire_service(
    service_id: UUID, bus: BusDep, today: Today, _: CatalogueAdmin
) -> ServicePublic:
    """Retire a published service: it can no longer be ordered."""
    return _public(await bus.handle(services.RetireService(service_id)), today=today)


@router.patch("/{service_id}")
async def revise_service(
    service_id: UUID, body: ServiceRevisionCreate, bus: BusDep, today: Today, _: CatalogueAdmin
) -> ServicePublic:
    """Change a service's description, category, phases, years or provider."""
    command = services.ReviseService(service_id, body.model_dump(exclude_unset=True))
    return _public(await bus.handle(command), today=today)


@router.put("/{service_id}/prices")
async def reprice_service(
    service_id: UUID, body: PriceVersionCreate, bus: BusDep, today: Today, _: CatalogueAdmin
) -> ServicePublic:
    """Set new prices: a new price version taking effect on `effective_from` (today unless
    given: next year's list is prepared while this year's is on sale). Orders already placed
    keep the prices they were quoted."""
    command = services.RepriceService(service_id, body.prices, body.vat_rate, body.effective_from)
    return _public(await bus.handle(command), today=today)


@router.get("/{service_id}/prices")
async def price_history(
    service_id: UUID, uow: UnitOfWorkDep, _: SignedIn
) -> list[PriceVersionSetPublic]:
    """Every price version of a service, oldest first, with the day each takes effect."""
    return [
        PriceVersionSetPublic(
            **PriceVersionPublic.of(found.version).model_dump(), created_at=found.created_at
        )
        for found in await views.price_history(uow, service_id)
    ]


@router.get("")
async def list_services(
    uow: UnitOfWorkDep,
    settings: SettingsDep,
    today: Today,
    user: SignedIn,
    response: Response,
    status: Status | None = None,
    q: Annotated[Line | None, Query(description="a word in the title, description or code")] = None,
    category: Label | None = None,
    phase: Label | None = None,
    provider_id: UUID | None = None,
    academic_year: Annotated[
        AcademicYear | None,
        Query(
            description="run in this year; a subscription (or a bundle of them) is then priced "
            "as bought for it (`for_year`)"
        ),
    ] = None,
    financial_year: Annotated[
        FinancialYear | None, Query(description="e.g. 2026-27, April to March")
    ] = None,
    urn: Annotated[Urn | None, Query(description="price each result for this school")] = None,
    page: PageNumber = 1,
    page_size: PageSize = 50,
) -> list[ServicePublic]:
    """Browse and search the catalogue, paged (total in X-Total-Count), each result priced
    for the asking school (a school's own URN, or `urn` for staff)."""
    if not views.is_staff(user):
        status = Status.PUBLISHED
    search = Search(
        keyword=q,
        category=category,
        phase=phase,
        provider_id=provider_id,
        academic_years=_years(academic_year, financial_year),
        status=status,
        page=page,
        page_size=page_size,
    )
    found = await views.services_page(
        uow,
        search,
        viewer=user,
        urn=urn,
        home_la_code=settings.home_la_code,
        today=today,
        year=academic_year,
    )
    response.headers["X-Total-Count"] = str(found.total)
    return [_public(shown, today=today, urn=urn or user.urn) for shown in found.shown]


@router.get("/filters")
async def shop_filters(uow: UnitOfWorkDep, _: SignedIn) -> ShopFiltersPublic:
    """What the shop can be searched by: the categories and years of the services on sale,
    and every phase."""
    categories, academic_years = await views.on_sale(uow)
    financial_years = {fy for year in academic_years for fy in financial_years_overlapping(year)}
    return ShopFiltersPublic(
        categories=categories,
        phases=PHASES,
        academic_years=academic_years,
        financial_years=sorted(financial_years),
    )


@router.get("/{service_id}")
async def get_service(
    service_id: UUID,
    uow: UnitOfWorkDep,
    settings: SettingsDep,
    today: Today,
    user: SignedIn,
    academic_year: Annotated[
        AcademicYear | None,
        Query(description="a subscription (or a bundle of them) priced as bought for this year"),
    ] = None,
    urn: Annotated[
        Urn | None, Query(description="priced for this school (a trust's buyer: one of its own)")
    ] = None,
) -> ServicePublic:
    """One service, with its provider, ratings and (for a school, or the school `urn`) its own
    price: as bought today, or, for a subscription, for the `academic_year` asked for."""
    shown = await views.service(
        uow,
        service_id,
        viewer=user,
        home_la_code=settings.home_la_code,
        today=today,
        year=academic_year,
        urn=urn,
    )
    return _public(shown, today=today, urn=urn or user.urn)


def _years(academic_year: str | None, financial_year: str | None) -> tuple[str, ...]:
    """The academic years a service must run in (any one of them) to be found."""
    if academic_year and financial_year:
        raise Invalid("give an academic year or a financial year, not both", field="financial_year")
    if financial_year:
        return academic_years_overlapping(financial_year)
    return (academic_year,) if academic_year else ()


def _public(
    shown: views.Shown | services.Listed, *, today: date, urn: int | None = None
) -> ServicePublic:
    if not isinstance(shown, views.Shown):
        return ServicePublic.of(
            shown.service, shown.provider, today=today, urn=urn, components=shown.components
        )
    return ServicePublic.of(
        shown.service,
        shown.provider,
        today=today,
        urn=urn,
        priced=shown.priced,
        session_on=shown.session_on,
        components=shown.components,
        sale=shown.sale,
    )
