from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.commissioning.adapters.tables import contracts, la_invoices, milestones, sequences
from services.commissioning.domain.contract import (
    Contract,
    ContractStatus,
    FundingSource,
    LaInvoice,
    Milestone,
)
from shared.errors import Conflict, NotFound
from shared.money import VatRate
from shared.sequences import take_number


class ContractRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, contract: Contract) -> None:
        taken = await self._session.execute(
            select(contracts.c.id).where(contracts.c.reference == contract.reference)
        )
        if taken.first():
            raise Conflict(
                f"contract reference {contract.reference!r} is in use", field="reference"
            )
        values = asdict(contract)
        values.pop("milestones")
        await self._session.execute(insert(contracts).values(**values))

    async def get(self, contract_id: UUID, *, for_update: bool = False) -> Contract:
        query = select(contracts).where(contracts.c.id == contract_id)
        if for_update:  # serialises changes to one contract's schedule (a no-op on SQLite)
            query = query.with_for_update()
        row = (await self._session.execute(query)).first()
        if row is None:
            raise NotFound(f"no contract {contract_id}", field="contract_id")
        return await self._contract(dict(row._mapping))

    async def list(self) -> list[Contract]:
        rows = await self._session.execute(select(contracts).order_by(contracts.c.reference))
        return [await self._contract(dict(row._mapping)) for row in rows.all()]

    async def save(self, contract: Contract) -> None:
        """Store the contract's status and its milestones (new ones added, existing updated)."""
        await self._session.execute(
            update(contracts)
            .where(contracts.c.id == contract.id)
            .values(status=contract.status.value)
        )
        known = set(
            (
                await self._session.scalars(
                    select(milestones.c.id).where(milestones.c.contract_id == contract.id)
                )
            ).all()
        )
        for milestone in contract.milestones:
            values = asdict(milestone)
            if milestone.id in known:
                await self._session.execute(
                    update(milestones).where(milestones.c.id == milestone.id).values(**values)
                )
            else:
                await self._session.execute(
                    insert(milestones).values(contract_id=contract.id, **values)
                )

    async def _contract(self, values: dict[str, Any]) -> Contract:
        rows = await self._session.execute(
            select(milestones)
            .where(milestones.c.contract_id == values["id"])
            .order_by(milestones.c.due_on, milestones.c.title)
        )
        schedule = []
        for row in rows:
            fields = dict(row._mapping)
            fields.pop("contract_id")
            schedule.append(Milestone(**fields))
        return Contract(
            **{
                **values,
                "funding_source": FundingSource(values["funding_source"]),
                "vat_rate": VatRate(values["vat_rate"]),
                "status": ContractStatus(values["status"]),
                "milestones": schedule,
            }
        )


class LaInvoiceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def next_number(self) -> str:
        return f"LA-{await take_number(self._session, sequences, 'la_invoice'):06d}"

    async def add(self, invoice: LaInvoice) -> None:
        await self._session.execute(
            insert(la_invoices).values(
                id=invoice.id,
                number=invoice.number,
                contract_id=invoice.contract_id,
                milestone_id=invoice.milestone_id,
                issued_on=invoice.issued_on,
                due_on=invoice.due_on,
                net_pence=invoice.amounts.net,
                vat_pence=invoice.amounts.vat,
            )
        )
