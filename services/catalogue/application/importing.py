"""Loading and saving the whole catalogue as the admins' spreadsheet, in one transaction:
a bad row stops the import and nothing of the file is kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from services.catalogue.adapters.catalogue_csv import CatalogueRow, cell_list
from services.catalogue.adapters.tariff_columns import cells_from_prices
from services.catalogue.application import services
from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.catalogue.domain.service import Details, Service, ServiceType, Status
from shared.bus import Command
from shared.errors import Conflict, Invalid


@dataclass(frozen=True)
class ImportCatalogue(Command["ImportResult"]):
    rows: list[CatalogueRow]


@dataclass(frozen=True)
class ImportResult:
    created: int
    changed: int
    unchanged: int


async def import_catalogue(
    command: ImportCatalogue, *, uow: CatalogueUnitOfWork, today: date, now: datetime
) -> ImportResult:
    rows = command.rows
    providers = {provider.name: provider.id for provider in await uow.providers.all()}
    known = await uow.services.by_code()
    created = changed = 0
    # bundles last, so that a bundle may name services added earlier in the same file
    for row in sorted(rows, key=lambda row: row.service_type is ServiceType.BUNDLE):
        with row.reporting():
            details = _details(row, providers, known)
            service = known.get(row.code)
            if service is None:
                service = await _create(uow, row, details, today=today)
                known[row.code] = service
                created += 1
            elif await _update(uow, service, row, details, today=today, now=now):
                changed += 1
    return ImportResult(created=created, changed=changed, unchanged=len(rows) - created - changed)


async def _create(
    uow: CatalogueUnitOfWork, row: CatalogueRow, details: Details, *, today: date
) -> Service:
    if row.status is Status.RETIRED:
        raise Invalid("a new service cannot start retired", field="status")
    service = await services.add_service(
        uow,
        services.CreateService(
            code=row.code,
            service_type=row.service_type,
            details=details,
            prices=row.prices,
            vat_rate=row.vat_rate,
        ),
        today=today,
    )
    if row.status is Status.PUBLISHED:
        await services.apply_change(uow, service, Service.publish, today=today)
    return service


async def _update(
    uow: CatalogueUnitOfWork,
    service: Service,
    row: CatalogueRow,
    details: Details,
    *,
    today: date,
    now: datetime,
) -> bool:
    if row.service_type is not service.service_type:
        raise Invalid(f"{row.code} is a {service.service_type}", field="service_type")
    if row.status is Status.DRAFT and service.status is not Status.DRAFT:
        raise Conflict(
            f"{row.code} is {service.status}: it cannot go back to draft", field="status"
        )

    def update(target: Service) -> None:
        if target.status is not Status.RETIRED:
            target.revise(details, at=now)
            target.reprice(row.prices, row.vat_rate, effective_from=today, today=today)
        if row.status is Status.PUBLISHED and target.status is Status.DRAFT:
            target.publish()
        if row.status is Status.RETIRED and target.status is not Status.RETIRED:
            target.retire(at=now)

    update(service)
    if not service.changes:
        return False
    await services.apply_change(uow, service, lambda _: None, today=today)
    return True


def _details(row: CatalogueRow, providers: dict[str, UUID], known: dict[str, Service]) -> Details:
    if row.provider and row.provider not in providers:
        raise Invalid(f"no provider named {row.provider!r}", field="provider_id")
    unknown = [code for code in row.components if code not in known]
    if unknown:
        raise Invalid(f"no service {', '.join(unknown)} to bundle", field="components")
    return Details(
        title=row.title,
        description=row.description,
        category=row.category,
        phases=row.phases,
        academic_years=row.academic_years,
        provider_id=providers.get(row.provider),
        term=row.term,
        components=tuple(known[code].id for code in row.components),
        discount_percent=row.discount_percent,
        renews_every=row.renews_every,
        notice_days=row.notice_days,
        cfr_code=row.cfr_code,
    )


async def export_catalogue(uow: CatalogueUnitOfWork, *, today: date) -> list[dict[str, str]]:
    """Each service with the prices in force today."""
    services = await uow.services.all()
    names = {provider.id: provider.name for provider in await uow.providers.all()}
    codes = {service.id: service.code for service in services}
    rows = []
    for service in services:
        details = service.details
        current = service.prices_on(today)
        rows.append(
            {
                "code": service.code,
                "title": details.title,
                "service_type": service.service_type.value,
                "category": details.category,
                "description": details.description,
                "phases": cell_list(details.phases),
                "academic_years": cell_list(details.academic_years),
                "term": details.term.value if details.term else "",
                "provider": names.get(details.provider_id, "") if details.provider_id else "",
                "vat_rate": current.vat_rate.value,
                "components": cell_list(tuple(codes[part] for part in details.components)),
                "discount_percent": str(details.discount_percent),
                "cfr_code": details.cfr_code,
                "status": service.status.value,
                "renews_every": details.renews_every.value if details.renews_every else "",
                "notice_days": str(details.notice_days) if details.renews_every else "",
                **cells_from_prices(current.prices),
            }
        )
    return rows
