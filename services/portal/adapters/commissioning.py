"""The commissioning API: the LA's contract register, milestones and their sign-off."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from services.portal.adapters.http import ApiClient


class Milestone(BaseModel):
    id: UUID
    title: str
    due_on: date
    payment_pence: int
    completed_on: date | None


class Contract(BaseModel):
    id: UUID
    reference: str
    title: str
    statutory_duty: str
    funding_source: str
    value_pence: int
    vat_rate: str
    start_on: date
    end_on: date
    status: str
    scheduled_pence: int
    milestones: list[Milestone]


class LaInvoice(BaseModel):
    number: str
    issued_on: date
    due_on: date
    net_pence: int
    vat_pence: int
    gross_pence: int


class SignOff(BaseModel):
    milestone: Milestone
    invoice: LaInvoice


class CommissioningApi:
    def __init__(self, api: ApiClient) -> None:
        self._api = api

    async def contracts(self) -> list[Contract]:
        return [Contract.model_validate(row) for row in await self._api.get("/contracts")]

    async def contract(self, contract_id: UUID) -> Contract:
        return Contract.model_validate(await self._api.get(f"/contracts/{contract_id}"))

    async def record(self, fields: dict[str, Any]) -> Contract:
        return Contract.model_validate(await self._api.post("/contracts", fields))

    async def add_milestone(self, contract_id: UUID, fields: dict[str, Any]) -> Milestone:
        answer = await self._api.post(f"/contracts/{contract_id}/milestones", fields)
        return Milestone.model_validate(answer)

    async def sign_off(self, contract_id: UUID, milestone_id: UUID) -> SignOff:
        path = f"/contracts/{contract_id}/milestones/{milestone_id}/complete"
        return SignOff.model_validate(await self._api.post(path))
