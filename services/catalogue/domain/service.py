"""A sellable service and its lifecycle: draft → published → retired."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID, uuid4

from shared.errors import Conflict, Invalid
from shared.money import VatRate


class ServiceType(StrEnum):
    SUBSCRIPTION = "subscription"
    COURSE = "course"
    CONSULTANCY = "consultancy"
    BUNDLE = "bundle"


class Status(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


@dataclass
class Service:
    id: UUID
    code: str
    title: str
    description: str
    service_type: ServiceType
    category: str
    unit_price_pence: int
    vat_rate: VatRate
    price_version: int = 1
    status: Status = Status.DRAFT

    @classmethod
    def draft(
        cls,
        *,
        code: str,
        title: str,
        description: str,
        service_type: ServiceType,
        category: str,
        unit_price_pence: int,
        vat_rate: VatRate,
    ) -> Service:
        if unit_price_pence < 0:
            raise Invalid("a price cannot be negative", field="unit_price_pence")
        if not title.strip():
            raise Invalid("a service needs a title", field="title")
        return cls(
            id=uuid4(),
            code=code,
            title=title.strip(),
            description=description,
            service_type=service_type,
            category=category,
            unit_price_pence=unit_price_pence,
            vat_rate=vat_rate,
        )

    def publish(self) -> None:
        if self.status is not Status.DRAFT:
            raise Conflict(f"only a draft can be published; this service is {self.status}")
        self.status = Status.PUBLISHED
