"""Contracts with their milestones and variations."""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any
from uuid import UUID

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.commissioning.adapters.tables import (
    contracts,
    milestones,
    pending_variations,
    variations,
)
from services.commissioning.domain.contract import Contract, ContractStatus
from services.commissioning.domain.milestone import Milestone
from services.commissioning.domain.particulars import FundingSource, Particulars, ProcurementRoute
from services.commissioning.domain.terms import Terms, Variation, VariationKind
from shared.errors import Conflict, NotFound
from shared.money import VatRate
from shared.unique import taken_as

PARTICULARS = [f.name for f in fields(Particulars)]


def _reference_taken(reference: str, *, taken_by: str | None = None) -> Conflict:
    if taken_by is None or taken_by == reference:
        return Conflict(f"contract reference {reference!r} is in use", field="reference")
    return Conflict(
        f"contract reference {reference!r} reads as {taken_by!r}, another contract's, but for "
        "case and punctuation: the ledger would keep both contracts' income in one account",
        field="reference",
    )


class ContractRepository:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def add(self, contract: Contract) -> None:
        alike = select(contracts.c.reference).where(contracts.c.account_key == contract.account_key)
        taken_by = (await self._session.execute(alike)).scalar()
        if taken_by is not None:
            raise _reference_taken(contract.reference, taken_by=taken_by)
        # The keys are the check on one taken a moment ago.
        async with taken_as(lambda: _reference_taken(contract.reference)):
            await self._session.execute(
                insert(contracts).values(
                    id=contract.id,
                    reference=contract.reference,
                    account_key=contract.account_key,
                    title=contract.title,
                    statutory_duty=contract.statutory_duty,
                    funding_source=contract.funding_source.value,
                    value_pence=contract.original.value_pence,
                    end_on=contract.original.end_on,
                    description=contract.original.scope,
                    vat_rate=contract.vat_rate.value,
                    start_on=contract.start_on,
                    status=contract.status.value,
                    **asdict(contract.particulars),
                )
            )
        await self.save(contract)

    async def get(self, contract_id: UUID, *, for_update: bool = False) -> Contract:
        query = select(contracts).where(contracts.c.id == contract_id)
        if for_update:  # serialises changes to one contract (SQLite: BEGIN IMMEDIATE does it)
            query = query.with_for_update()
        row = (await self._session.execute(query)).first()
        if row is None:
            raise NotFound(f"no contract {contract_id}", field="contract_id")
        return await self._contract(dict(row._mapping))

    async def list(self) -> list[Contract]:
        rows = await self._session.execute(select(contracts).order_by(contracts.c.reference))
        return [await self._contract(dict(row._mapping)) for row in rows.all()]

    async def save(self, contract: Contract) -> None:
        """Store the contract's state, its milestones (new or changed) and new variations."""
        await self._session.execute(
            update(contracts)
            .where(contracts.c.id == contract.id)
            .values(
                status=contract.status.value,
                signed_on=contract.signed_on,
                closed_on=contract.closed_on,
            )
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
        stored = await self._session.scalar(
            select(func.count()).where(variations.c.contract_id == contract.id)
        )
        for position, variation in enumerate(contract.variations[stored or 0 :], start=stored or 0):
            await self._session.execute(
                insert(variations).values(
                    contract_id=contract.id,
                    position=position,
                    **{**asdict(variation), "kind": variation.kind.value},
                )
            )
        await self._save_pending(contract)

    async def _save_pending(self, contract: Contract) -> None:
        waiting = {variation.id for variation in contract.pending}
        await self._session.execute(
            delete(pending_variations).where(
                pending_variations.c.contract_id == contract.id,
                pending_variations.c.id.not_in(waiting),
            )
        )
        stored = set(
            (
                await self._session.scalars(
                    select(pending_variations.c.id).where(
                        pending_variations.c.contract_id == contract.id
                    )
                )
            ).all()
        )
        for variation in contract.pending:
            if variation.id not in stored:
                values = {**asdict(variation), "kind": variation.kind.value}
                del values["approved_by"]
                await self._session.execute(
                    insert(pending_variations).values(contract_id=contract.id, **values)
                )

    async def _contract(self, values: dict[str, Any]) -> Contract:
        schedule = await self._session.execute(
            select(milestones)
            .where(milestones.c.contract_id == values["id"])
            .order_by(milestones.c.due_on, milestones.c.title)
        )
        history = await self._session.execute(
            select(variations)
            .where(variations.c.contract_id == values["id"])
            .order_by(variations.c.position)
        )
        waiting = await self._session.execute(
            select(pending_variations)
            .where(pending_variations.c.contract_id == values["id"])
            .order_by(pending_variations.c.approved_on, pending_variations.c.id)
        )
        return Contract(
            id=values["id"],
            reference=values["reference"],
            title=values["title"],
            statutory_duty=values["statutory_duty"],
            funding_source=FundingSource(values["funding_source"]),
            original=Terms(
                value_pence=values["value_pence"],
                end_on=values["end_on"],
                scope=values["description"],
            ),
            vat_rate=VatRate(values["vat_rate"]),
            start_on=values["start_on"],
            particulars=Particulars(
                **{
                    **{name: values[name] for name in PARTICULARS},
                    "procurement_route": ProcurementRoute(values["procurement_route"]),
                }
            ),
            status=ContractStatus(values["status"]),
            signed_on=values["signed_on"],
            closed_on=values["closed_on"],
            milestones=[_milestone(row._mapping) for row in schedule],
            variations=[_variation(row._mapping) for row in history],
            pending=[_variation({**row._mapping, "approved_by": ""}) for row in waiting],
        )


def _milestone(row: Any) -> Milestone:
    return Milestone(
        **{
            key: row[key]
            for key in (
                "id",
                "title",
                "due_on",
                "payment_pence",
                "completed_on",
                "signed_off_by",
                "signed_off_at",
                "evidence",
            )
        }
    )


def _variation(row: Any) -> Variation:
    fields_ = {
        key: row[key] for key in ("id", "reason", "approved_by", "approved_on", "proposed_by")
    }
    return Variation(
        kind=VariationKind(row["kind"]),
        value_pence=row["value_pence"],
        end_on=row["end_on"],
        scope=row["scope"],
        **fields_,
    )
