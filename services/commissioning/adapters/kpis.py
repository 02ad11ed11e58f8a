"""KPIs, the actuals reported against them, and the service credits they earned."""

from __future__ import annotations

from dataclasses import asdict
from uuid import UUID

from sqlalchemy import insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.commissioning.adapters.tables import (
    kpi_reports,
    kpis,
    la_invoices,
    service_credits,
)
from services.commissioning.domain.kpi import EarnedCredit, Kpi, KpiReport, ServiceCredit
from shared.errors import NotFound


class KpiRepository:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def add(self, kpi: Kpi) -> None:
        await self._session.execute(insert(kpis).values(**asdict(kpi)))

    async def get(self, contract_id: UUID, kpi_id: UUID) -> Kpi:
        row = (
            await self._session.execute(
                select(kpis).where(kpis.c.id == kpi_id, kpis.c.contract_id == contract_id)
            )
        ).first()
        if row is None:
            raise NotFound(f"no KPI {kpi_id} on contract {contract_id}", field="kpi_id")
        return Kpi(**row._mapping)

    async def of_contract(self, contract_id: UUID) -> list[Kpi]:
        rows = await self._session.execute(
            select(kpis).where(kpis.c.contract_id == contract_id).order_by(kpis.c.title)
        )
        return [Kpi(**row._mapping) for row in rows]

    async def reports(self, kpi_id: UUID) -> list[KpiReport]:
        rows = await self._session.execute(
            select(kpi_reports).where(kpi_reports.c.kpi_id == kpi_id).order_by(kpi_reports.c.period)
        )
        return [KpiReport(**row._mapping) for row in rows]

    async def add_report(self, report: KpiReport, credit: ServiceCredit | None) -> None:
        if credit:
            await self.add_credit(credit)
        await self._session.execute(insert(kpi_reports).values(**asdict(report)))

    async def add_credit(self, credit: ServiceCredit) -> None:
        await self._session.execute(insert(service_credits).values(**asdict(credit)))

    async def credits(
        self, *, contract_id: UUID | None = None, invoice_id: UUID | None = None
    ) -> list[ServiceCredit]:
        """Credits on an invoice, or a contract's credits not yet applied (oldest first)."""
        query = select(service_credits).order_by(service_credits.c.earned_on, service_credits.c.id)
        if invoice_id:
            query = query.where(service_credits.c.invoice_id == invoice_id)
        else:
            query = query.where(
                service_credits.c.contract_id == contract_id,
                service_credits.c.invoice_id.is_(None),
            )
        return [ServiceCredit(**row._mapping) for row in await self._session.execute(query)]

    async def earned(self, credit_ids: list[UUID]) -> dict[UUID, EarnedCredit]:
        """Each credit as earned, by its id, in all its parts: those invoices took, in the order
        of the invoices, then the part still waiting."""
        taken_by = la_invoices.c.number
        query = (
            select(service_credits)
            .outerjoin(la_invoices, la_invoices.c.id == service_credits.c.invoice_id)
            .where(
                or_(
                    service_credits.c.id.in_(credit_ids),
                    service_credits.c.earned_as_id.in_(credit_ids),
                )
            )
            .order_by(taken_by.is_(None), taken_by)
        )
        parts: dict[UUID, list[ServiceCredit]] = {}
        for row in await self._session.execute(query):
            credit = ServiceCredit(**row._mapping)
            parts.setdefault(credit.earned_as, []).append(credit)
        return {credit_id: EarnedCredit(found) for credit_id, found in parts.items()}

    async def save_credit(self, credit: ServiceCredit) -> None:
        await self._session.execute(
            update(service_credits)
            .where(service_credits.c.id == credit.id)
            .values(
                net_pence=credit.net_pence,  # less than earned when only part was applied
                invoice_id=credit.invoice_id,
                applied_on=credit.applied_on,
            )
        )
