"""Catalogue HTTP API for services: thin routes that parse, call one handler, shape the answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field, ValidationInfo, field_validator

from services.catalogue.adapters.repository import Search
from services.catalogue.application import handlers, quoting
from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.catalogue.domain.provider import Provider
from services.catalogue.domain.service import PHASES, Service, Status
from services.catalogue.domain.tariff import Priced
from services.catalogue.entrypoints.deps import (
    CatalogueAdmin,
    SettingsDep,
    SignedIn,
    UnitOfWorkDep,
    check_may_price_for,
)
from services.catalogue.entrypoints.schemas import (
    CFR_DESCRIPTION,
    PriceVersionCreate,
    PriceVersionPublic,
    ServiceCreate,
    ServicePublic,
)
from shared.api.catalogue import PriceVersionSetPublic, ShopFiltersPublic
from shared.auth import Principal, Role
from shared.bounds import (
    AcademicYear,
    FinancialYear,
    Items,
    Label,
    Line,
    PageNumber,
    PageSize,
    Paragraph,
    Urn,
)
from shared.calendar import academic_years_overlapping, financial_years_overlapping
from shared.errors import Invalid, NotFound

router = APIRouter(prefix="/services", tags=["services"])


class ServiceRevisionCreate(BaseModel):
    """Only the fields given change. Null is no value: leave a field out to keep it as it is
    (only `provider_id` may be null, which takes the provider off the service)."""

    title: Line = Field("", min_length=1)
    description: Paragraph = ""
    category: Label = Field("", min_length=1)
    phases: Annotated[tuple[Label, ...], Items] = ()
    academic_years: Annotated[tuple[AcademicYear, ...], Items] = ()
    provider_id: UUID | None = None
    discount_percent: int = Field(0, ge=0, le=99)
    cfr_code: Label = Field("", max_length=4, description=CFR_DESCRIPTION)

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: object, info: ValidationInfo) -> object:
        if value is None and info.field_name != "provider_id":
            raise ValueError("may not be null: leave the field out to keep it as it is")
        return value


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_service(
    body: ServiceCreate, uow: UnitOfWorkDep, _: CatalogueAdmin
) -> ServicePublic:
    """Add a service to the catalogue as a draft."""
    command = handlers.CreateService(
        code=body.code,
        service_type=body.service_type,
        details=body.details(),
        prices=body.price_list(),
        vat_rate=body.vat_rate,
    )
    async with uow:
        service = await handlers.create_service(uow, command, today=date.today())
        return await _public(uow, service)


@router.post("/{service_id}/publish")
async def publish_service(service_id: UUID, uow: UnitOfWorkDep, _: CatalogueAdmin) -> ServicePublic:
    """Publish a draft: schools can order it from now on."""
    return await _change(uow, service_id, Service.publish)


@router.post("/{service_id}/retire")
async def retire_service(service_id: UUID, uow: UnitOfWorkDep, _: CatalogueAdmin) -> ServicePublic:
    """Retire a published service: it can no longer be ordered."""
    return await _change(uow, service_id, Service.retire)


@router.patch("/{service_id}")
async def revise_service(
    service_id: UUID, body: ServiceRevisionCreate, uow: UnitOfWorkDep, _: CatalogueAdmin
) -> ServicePublic:
    """Change a service's description, category, phases, years or provider."""
    given = body.model_dump(exclude_unset=True)
    return await _change(uow, service_id, lambda s: s.revise(replace(s.details, **given)))


@router.put("/{service_id}/prices")
async def reprice_service(
    service_id: UUID, body: PriceVersionCreate, uow: UnitOfWorkDep, _: CatalogueAdmin
) -> ServicePublic:
    """Set new prices: a new price version taking effect on `effective_from` (today unless
    given: next year's list is prepared while this year's is on sale). Orders already placed
    keep the prices they were quoted."""
    today = date.today()
    effective_from = body.effective_from or today

    def reprice(service: Service) -> None:
        service.reprice(body.prices, body.vat_rate, effective_from=effective_from, today=today)

    return await _change(uow, service_id, reprice)


@router.get("/{service_id}/prices")
async def price_history(
    service_id: UUID, uow: UnitOfWorkDep, _: SignedIn
) -> list[PriceVersionSetPublic]:
    """Every price version of a service, oldest first, with the day each takes effect."""
    async with uow:
        await uow.services.get(service_id)
        return [
            PriceVersionSetPublic(
                **PriceVersionPublic.of(found.version).model_dump(), created_at=found.created_at
            )
            for found in await uow.services.price_history(service_id)
        ]


@router.get("")
async def list_services(
    uow: UnitOfWorkDep,
    settings: SettingsDep,
    user: SignedIn,
    response: Response,
    status: Status | None = None,
    q: Annotated[Line | None, Query(description="a word in the title, description or code")] = None,
    category: Label | None = None,
    phase: Label | None = None,
    provider_id: UUID | None = None,
    academic_year: AcademicYear | None = None,
    financial_year: Annotated[
        FinancialYear | None, Query(description="e.g. 2026-27, April to March")
    ] = None,
    urn: Annotated[Urn | None, Query(description="price each result for this school")] = None,
    page: PageNumber = 1,
    page_size: PageSize = 50,
) -> list[ServicePublic]:
    """Browse and search the catalogue, paged (total in X-Total-Count), each result priced
    for the asking school (a school's own URN, or `urn` for staff)."""
    if not _is_staff(user):
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
    async with uow:
        found, total = await uow.services.search(search)
        response.headers["X-Total-Count"] = str(total)
        prices = await _prices_for(uow, user, urn, found, home_la_code=settings.home_la_code)
        providers = {provider.id: provider for provider in await uow.providers.all()}
        school_urn = urn or user.urn
        return [
            ServicePublic.of(
                service,
                _provider_of(service, providers),
                today=date.today(),
                urn=school_urn,
                priced=prices.get(service.id),
            )
            for service in found
        ]


@router.get("/filters")
async def shop_filters(uow: UnitOfWorkDep, _: SignedIn) -> ShopFiltersPublic:
    """What the shop can be searched by: the categories and years of the services on sale,
    and every phase."""
    async with uow:
        categories, academic_years = await uow.services.on_sale()
    financial_years = {fy for year in academic_years for fy in financial_years_overlapping(year)}
    return ShopFiltersPublic(
        categories=categories,
        phases=PHASES,
        academic_years=academic_years,
        financial_years=sorted(financial_years),
    )


@router.get("/{service_id}")
async def get_service(
    service_id: UUID, uow: UnitOfWorkDep, settings: SettingsDep, user: SignedIn
) -> ServicePublic:
    """One service, with its provider, ratings and (for a school) its own price."""
    async with uow:
        service = await uow.services.get(service_id)
        if service.status is Status.DRAFT and not _is_staff(user):
            raise NotFound(f"no service {service_id}", field="service_id")
        prices = await _prices_for(uow, user, None, [service], home_la_code=settings.home_la_code)
        return await _public(uow, service, urn=user.urn, priced=prices.get(service.id))


def _years(academic_year: str | None, financial_year: str | None) -> tuple[str, ...]:
    """The academic years a service must run in (any one of them) to be found."""
    if academic_year and financial_year:
        raise Invalid("give an academic year or a financial year, not both", field="financial_year")
    if financial_year:
        return academic_years_overlapping(financial_year)
    return (academic_year,) if academic_year else ()


def _is_staff(user: Principal) -> bool:
    """Catalogue staff see drafts and retired services; everyone else sees the shop window."""
    return user.role in (Role.CATALOGUE_ADMIN, Role.ADMIN)


def _provider_of(service: Service, providers: dict[UUID, Provider]) -> Provider | None:
    provider_id = service.details.provider_id
    return providers.get(provider_id) if provider_id else None


async def _change(
    uow: CatalogueUnitOfWork, service_id: UUID, change: Callable[[Service], None]
) -> ServicePublic:
    async with uow:
        service = await handlers.change_service(uow, service_id, change, today=date.today())
        return await _public(uow, service)


async def _public(uow: CatalogueUnitOfWork, service: Service, **priced: Any) -> ServicePublic:
    provider = await uow.providers.find(service.details.provider_id)
    return ServicePublic.of(service, provider, today=date.today(), **priced)


async def _prices_for(
    uow: CatalogueUnitOfWork,
    user: Principal,
    urn: int | None,
    services: list[Service],
    *,
    home_la_code: str,
) -> dict[UUID, Priced | None]:
    if urn is not None:
        await check_may_price_for(uow, user, urn)
        school = await uow.schools.get(urn)
    elif user.urn is not None:
        try:
            school = await uow.schools.get(user.urn)
        except NotFound:  # not on the catalogue's register yet: browse without prices
            return {}
    else:
        return {}
    return await quoting.prices_for(
        uow, services, school, on=date.today(), home_la_code=home_la_code
    )
