"""Catalogue HTTP API: thin routes that parse, call one handler and shape the answer."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, Field

from services.catalogue.application import handlers
from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.catalogue.domain.service import Service, ServiceType, Status
from shared.auth import ANY_ROLE, Principal, Role
from shared.deps import unit_of_work
from shared.http import require
from shared.money import VatRate

router = APIRouter(prefix="/services", tags=["services"])

UnitOfWorkDep = Annotated[CatalogueUnitOfWork, Depends(unit_of_work)]
CatalogueAdmin = Annotated[Principal, Depends(require(Role.CATALOGUE_ADMIN, Role.ADMIN))]
SignedIn = Annotated[Principal, Depends(require(*ANY_ROLE))]


class ServiceCreate(BaseModel):
    code: str = Field(min_length=2, max_length=40, pattern=r"^[A-Z0-9][A-Z0-9-]*$")
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    service_type: ServiceType
    category: str = Field(min_length=1, max_length=60)
    unit_price_pence: int = Field(ge=0)
    vat_rate: VatRate = VatRate.STANDARD


class ServicePublic(BaseModel):
    id: UUID
    code: str
    title: str
    description: str
    service_type: ServiceType
    category: str
    unit_price_pence: int
    vat_rate: VatRate
    price_version: int
    status: Status

    @classmethod
    def of(cls, service: Service) -> ServicePublic:
        return cls.model_validate(service.__dict__)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_service(
    body: ServiceCreate, uow: UnitOfWorkDep, _: CatalogueAdmin
) -> ServicePublic:
    """Add a service to the catalogue as a draft."""
    async with uow:
        service = await handlers.create_service(uow, handlers.CreateService(**body.model_dump()))
    return ServicePublic.of(service)


@router.post("/{service_id}/publish")
async def publish_service(service_id: UUID, uow: UnitOfWorkDep, _: CatalogueAdmin) -> ServicePublic:
    """Publish a draft: schools can order it from now on."""
    async with uow:
        service = await handlers.publish_service(uow, service_id)
    return ServicePublic.of(service)


@router.get("")
async def list_services(
    uow: UnitOfWorkDep, _: SignedIn, status: Status | None = None
) -> list[ServicePublic]:
    """Browse the catalogue."""
    async with uow:
        return [ServicePublic.of(service) for service in await uow.services.list(status=status)]


@router.get("/{service_id}")
async def get_service(service_id: UUID, uow: UnitOfWorkDep, _: SignedIn) -> ServicePublic:
    """One service."""
    async with uow:
        return ServicePublic.of(await uow.services.get(service_id))
