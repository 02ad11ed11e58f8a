"""Services and their price versions, stored and found again."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Select, bindparam, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.catalogue.adapters.tables import price_versions, services, unwords, words
from services.catalogue.domain.pricing import PriceVersion
from services.catalogue.domain.service import (
    CodeTaken,
    Details,
    Renewal,
    Service,
    ServiceType,
    Status,
    Term,
)
from shared.clock import in_utc
from shared.errors import NotFound
from shared.money import VatRate
from shared.tariffs import Prices
from shared.unique import taken_as

# Built once, not per call: SQLAlchemy then reuses their cache keys and compiled SQL.
BY_IDS = select(services).where(services.c.id.in_(bindparam("ids", expanding=True)))
VERSIONS = (
    select(price_versions)
    .where(price_versions.c.service_id.in_(bindparam("ids", expanding=True)))
    .order_by(price_versions.c.version)
)


@dataclass(frozen=True)
class Search:
    keyword: str | None = None
    category: str | None = None
    phase: str | None = None
    provider_id: UUID | None = None
    academic_years: tuple[str, ...] = ()  # available in any of these
    status: Status | None = None
    page: int = 1
    page_size: int = 1000


@dataclass(frozen=True)
class PriceVersionSet:
    """A price version and when it was set."""

    version: PriceVersion
    created_at: datetime


class ServiceRepository:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def add(self, service: Service) -> None:
        async with taken_as(lambda: CodeTaken(service.code)):  # by a service created meanwhile
            await self._session.execute(insert(services).values(**_row(service)))
        await self._add_price_versions(service, after=0)

    async def save(self, service: Service) -> None:
        known = await self._session.scalar(
            select(services.c.price_version).where(services.c.id == service.id)
        )
        await self._session.execute(
            update(services).where(services.c.id == service.id).values(**_row(service))
        )
        await self._add_price_versions(service, after=known or 0)

    async def get(self, service_id: UUID, *, locked: bool = False) -> Service:
        """`locked` holds the row until commit, so two writers cannot lose each other's change."""
        return one_of(await self.by_ids([service_id], locked=locked), service_id)

    async def by_ids(self, service_ids: list[UUID], *, locked: bool = False) -> dict[UUID, Service]:
        query = BY_IDS.with_for_update() if locked else BY_IDS
        rows = list(await self._session.execute(query, {"ids": service_ids}))
        versions = await self._versions([row.id for row in rows])
        return {row.id: _service(row, versions[row.id]) for row in rows}

    async def by_code(self) -> dict[str, Service]:
        return {service.code: service for service in await self.all()}

    async def code_taken(self, code: str) -> bool:
        found = await self._session.execute(select(services.c.id).where(services.c.code == code))
        return found.first() is not None

    async def all(self, *, status: Status | None = None) -> list[Service]:
        found, _ = await self.search(Search(status=status))
        return found

    async def search(self, search: Search) -> tuple[list[Service], int]:
        query = _filtered(select(services), search)
        total = await self._session.scalar(
            _filtered(select(func.count()).select_from(services), search)
        )
        page = query.order_by(services.c.code).limit(search.page_size)
        rows = list(await self._session.execute(page.offset((search.page - 1) * search.page_size)))
        versions = await self._versions([row.id for row in rows])
        return [_service(row, versions[row.id]) for row in rows], int(total or 0)

    async def on_sale(self) -> tuple[list[str], list[str]]:
        """The categories and academic years of the published services, each once, sorted."""
        rows = await self._session.execute(
            select(services.c.category, services.c.academic_years).where(
                services.c.status == Status.PUBLISHED.value
            )
        )
        categories: set[str] = set()
        years: set[str] = set()
        for row in rows:
            categories.add(row.category)
            years.update(unwords(row.academic_years))
        return sorted(categories), sorted(years)

    async def price_history(self, service_id: UUID) -> list[PriceVersionSet]:
        rows = await self._session.execute(
            select(price_versions)
            .where(price_versions.c.service_id == service_id)
            .order_by(price_versions.c.version)
        )
        return [PriceVersionSet(_version(row), row.created_at) for row in rows]

    async def _versions(self, service_ids: list[UUID]) -> dict[UUID, list[PriceVersion]]:
        found: dict[UUID, list[PriceVersion]] = {service_id: [] for service_id in service_ids}
        for row in await self._session.execute(VERSIONS, {"ids": service_ids}):
            found[row.service_id].append(_version(row))
        return found

    async def _add_price_versions(self, service: Service, *, after: int) -> None:
        """Versions are only ever added: a placed order may name any of them."""
        for version in service.versions:
            if version.version > after:
                await self._session.execute(
                    insert(price_versions).values(
                        service_id=service.id,
                        version=version.version,
                        prices=version.prices.model_dump_json(),
                        vat_rate=version.vat_rate.value,
                        effective_from=version.effective_from,
                        year=version.year,
                        created_at=datetime.now(UTC),
                    )
                )


def one_of(found: dict[UUID, Service], service_id: UUID) -> Service:
    """The service `by_ids` found with this id; NotFound if it found none."""
    if service_id not in found:
        raise NotFound(f"no service {service_id}", field="service_id")
    return found[service_id]


def _filtered(query: Select[Any], search: Search) -> Select[Any]:
    conditions = []
    if search.keyword:
        pattern = f"%{search.keyword.lower()}%"
        conditions.append(
            or_(
                func.lower(services.c.title).like(pattern),
                func.lower(services.c.description).like(pattern),
                func.lower(services.c.code).like(pattern),
            )
        )
    if search.category:
        conditions.append(func.lower(services.c.category) == search.category.lower())
    if search.phase:
        # a service with no phases listed suits every phase
        conditions.append(
            or_(services.c.phases == "", services.c.phases.like(f"%,{search.phase},%"))
        )
    if search.provider_id:
        conditions.append(services.c.provider_id == search.provider_id)
    if search.academic_years:
        # a service with no years listed is available in every year
        conditions.append(
            or_(
                services.c.academic_years == "",
                *(services.c.academic_years.like(f"%,{year},%") for year in search.academic_years),
            )
        )
    if search.status:
        conditions.append(services.c.status == search.status.value)
    return query.where(*conditions)


def _row(service: Service) -> dict[str, Any]:
    details = service.details
    return {
        "id": service.id,
        "code": service.code,
        "title": details.title,
        "description": details.description,
        "service_type": service.service_type.value,
        "category": details.category,
        "unit_price_pence": service.latest.headline_pence,
        "vat_rate": service.latest.vat_rate.value,
        "price_version": service.price_version,
        "status": service.status.value,
        "phases": words(details.phases),
        "academic_years": words(details.academic_years),
        "provider_id": details.provider_id,
        "term": details.term.value if details.term else None,
        "components": words(details.components),
        "discount_percent": details.discount_percent,
        "renews_every": details.renews_every.value if details.renews_every else None,
        "notice_days": details.notice_days,
        "cfr_code": details.cfr_code,
        "rating_average": service.rating_average,
        "ratings": service.ratings,
        "revision": service.revision,
        "years_changed_at": service.years_changed_at,
        "retired_at": service.retired_at,
    }


def _version(row: Any) -> PriceVersion:
    return PriceVersion(
        version=row.version,
        prices=_prices(row.prices),
        vat_rate=VatRate(row.vat_rate),
        effective_from=row.effective_from,
        year=row.year,
    )


@functools.lru_cache(maxsize=4096)
def _prices(stored: str) -> Prices:
    """A tariff as stored, read once per process: every quote reads each service's versions,
    and a version, once written, never changes (`Prices` is frozen)."""
    return Prices.model_validate_json(stored)


def _service(row: Any, versions: list[PriceVersion]) -> Service:
    return Service(
        id=row.id,
        code=row.code,
        service_type=ServiceType(row.service_type),
        details=Details(
            title=row.title,
            description=row.description,
            category=row.category,
            phases=unwords(row.phases),
            academic_years=unwords(row.academic_years),
            provider_id=row.provider_id,
            term=Term(row.term) if row.term else None,
            components=tuple(UUID(word) for word in unwords(row.components)),
            discount_percent=row.discount_percent,
            renews_every=Renewal(row.renews_every) if row.renews_every else None,
            notice_days=row.notice_days,
            cfr_code=row.cfr_code or "",
        ),
        versions=tuple(versions),
        status=Status(row.status),
        rating_average=row.rating_average,
        ratings=row.ratings,
        revision=row.revision,
        years_changed_at=row.years_changed_at and in_utc(row.years_changed_at),
        retired_at=row.retired_at and in_utc(row.retired_at),
    )
