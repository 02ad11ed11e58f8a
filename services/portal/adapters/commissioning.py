"""The commissioning API: the LA's contract register, variations, milestones and sign-off,
schools and their categories, cases and the support brokered for them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from services.portal.adapters.http import ApiClient, Download


class Milestone(BaseModel):
    id: UUID
    title: str
    due_on: date
    payment_pence: int
    completed_on: date | None
    signed_off_by: str | None = None
    signed_off_at: datetime | None = None
    evidence: str = ""


class Variation(BaseModel):
    id: UUID
    kind: str
    reason: str
    approved_by: str
    approved_on: date
    proposed_by: str = ""
    value_pence: int | None
    end_on: date | None
    scope: str | None


class Contract(BaseModel):
    id: UUID
    reference: str
    title: str
    description: str = ""
    statutory_duty: str
    funding_source: str
    value_pence: int
    original_value_pence: int
    vat_rate: str
    start_on: date
    end_on: date
    original_end_on: date
    status: str
    scheduled_pence: int
    milestones: list[Milestone]
    variations: list[Variation] = []
    pending_variations: list[Variation] = []

    @property
    def in_force(self) -> bool:
        return self.status in ("active", "varied")


class LaInvoice(BaseModel):
    id: UUID
    number: str
    contract_id: UUID
    milestone_id: UUID
    issued_on: date
    due_on: date
    net_pence: int
    vat_pence: int
    gross_pence: int
    payable_gross_pence: int


class SignOff(BaseModel):
    milestone: Milestone
    invoice: LaInvoice


class School(BaseModel):
    urn: int
    name: str
    phase: str
    establishment_type: str
    town: str


class Categorisation(BaseModel):
    id: UUID
    urn: int
    category: int
    label: str
    previous_category: int | None
    categorised_on: date
    reasons: str
    recorded_by: str


class Stage(BaseModel):
    stage: str
    entered_on: date
    grounds: str
    required_action: str
    compliance_by: date | None
    outcome: str


class Visit(BaseModel):
    id: UUID
    visited_on: date
    note: str
    author: str


class Case(BaseModel):
    id: UUID
    contract_id: UUID
    urn: int
    opened_on: date
    summary: str
    stage: str
    stages: list[Stage]
    visits: list[Visit]

    @property
    def is_open(self) -> bool:
        return self.stage != "closed"


class Provider(BaseModel):
    name: str
    kind: str


class Deployment(BaseModel):
    id: UUID
    case_id: UUID
    provider: Provider
    half_days: int
    day_rate_pence: int
    objectives: str
    starts_on: date
    status: str
    committed_pence: int
    delivered_half_days: int | None


class Kpi(BaseModel):
    id: UUID
    title: str
    target: float
    higher_is_better: bool
    service_credit_pence: int


class Actual(BaseModel):
    id: UUID
    period: str
    actual: float
    reported_on: date
    met: bool


class CommissioningApi:
    def __init__(self, api: ApiClient) -> None:
        self._api = api

    async def contracts(self) -> list[Contract]:
        return [Contract.model_validate(row) for row in await self._api.get("/contracts")]

    async def contract(self, contract_id: UUID) -> Contract:
        return Contract.model_validate(await self._api.get(f"/contracts/{contract_id}"))

    async def invoices(self) -> list[LaInvoice]:
        return [LaInvoice.model_validate(row) for row in await self._api.get("/invoices")]

    async def invoice_pdf(self, invoice_id: UUID) -> Download:
        return await self._api.download(f"/invoices/{invoice_id}/pdf")

    async def register_csv(self) -> Download:
        return await self._api.download("/contracts/register.csv")

    async def record(self, fields: dict[str, Any]) -> Contract:
        return Contract.model_validate(await self._api.post("/contracts", fields))

    async def vary(self, contract_id: UUID, fields: dict[str, Any]) -> Contract:
        answer = await self._api.post(f"/contracts/{contract_id}/variations", fields)
        return Contract.model_validate(answer)

    async def approve_variation(self, contract_id: UUID, variation_id: UUID) -> Contract:
        answer = await self._api.post(f"/contracts/{contract_id}/variations/{variation_id}/approve")
        return Contract.model_validate(answer)

    async def add_milestone(self, contract_id: UUID, fields: dict[str, Any]) -> Milestone:
        answer = await self._api.post(f"/contracts/{contract_id}/milestones", fields)
        return Milestone.model_validate(answer)

    async def sign_off(self, contract_id: UUID, milestone_id: UUID, evidence: str) -> SignOff:
        path = f"/contracts/{contract_id}/milestones/{milestone_id}/complete"
        return SignOff.model_validate(await self._api.post(path, {"evidence": evidence}))

    async def kpis(self, contract_id: UUID) -> list[Kpi]:
        return [
            Kpi.model_validate(row) for row in await self._api.get(f"/contracts/{contract_id}/kpis")
        ]

    async def actuals(self, contract_id: UUID, kpi_id: UUID) -> list[Actual]:
        rows = await self._api.get(f"/contracts/{contract_id}/kpis/{kpi_id}/actuals")
        return [Actual.model_validate(row) for row in rows]

    async def report_actual(
        self, contract_id: UUID, kpi_id: UUID, fields: dict[str, Any]
    ) -> Actual:
        answer = await self._api.post(f"/contracts/{contract_id}/kpis/{kpi_id}/actuals", fields)
        return Actual.model_validate(answer)

    async def schools(self) -> list[School]:
        return [School.model_validate(row) for row in await self._api.get("/schools")]

    async def current_categories(self) -> list[Categorisation]:
        rows = await self._api.get("/schools/categorisations/current")
        return [Categorisation.model_validate(row) for row in rows]

    async def categorisations(self, urn: int) -> list[Categorisation]:
        rows = await self._api.get(f"/schools/{urn}/categorisations")
        return [Categorisation.model_validate(row) for row in rows]

    async def categorise(self, urn: int, fields: dict[str, Any]) -> Categorisation:
        answer = await self._api.post(f"/schools/{urn}/categorisations", fields)
        return Categorisation.model_validate(answer)

    async def cases(self) -> list[Case]:
        return [Case.model_validate(row) for row in await self._api.get("/cases")]

    async def case(self, case_id: UUID) -> Case:
        return Case.model_validate(await self._api.get(f"/cases/{case_id}"))

    async def open_case(self, fields: dict[str, Any]) -> Case:
        return Case.model_validate(await self._api.post("/cases", fields))

    async def move_case(self, case_id: UUID, fields: dict[str, Any]) -> Case:
        return Case.model_validate(await self._api.post(f"/cases/{case_id}/stages", fields))

    async def note_visit(self, case_id: UUID, fields: dict[str, Any]) -> Visit:
        return Visit.model_validate(await self._api.post(f"/cases/{case_id}/visits", fields))

    async def deployments(
        self, *, case_id: UUID | None = None, contract_id: UUID | None = None
    ) -> list[Deployment]:
        rows = await self._api.get("/deployments", case_id=case_id, contract_id=contract_id)
        return [Deployment.model_validate(row) for row in rows]

    async def complete_deployment(self, deployment_id: UUID, fields: dict[str, Any]) -> Deployment:
        answer = await self._api.post(f"/deployments/{deployment_id}/complete", fields)
        return Deployment.model_validate(answer)

    async def deploy(self, case_id: UUID, fields: dict[str, Any]) -> Deployment:
        answer = await self._api.post(f"/cases/{case_id}/deployments", fields)
        return Deployment.model_validate(answer)
