"""The commissioning API: the LA's contract register, variations, milestones and sign-off,
schools and their categories, cases and the support brokered for them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.portal.adapters.http import ApiClient, Download
from shared.api.commissioning import (
    ActualPublic,
    CasePublic,
    CategorisationPublic,
    ContractPublic,
    CreditPendingPublic,
    CurrentCategoryPublic,
    DeploymentPublic,
    InvoiceFiguresPublic,
    KpiPublic,
    LaInvoicePublic,
    MilestonePublic,
    SchoolPublic,
    SignOffPublic,
    VisitPublic,
)
from shared.calendar import long_date


class Contract(ContractPublic):
    @property
    def in_force(self) -> bool:
        return self.status.in_force

    @property
    def reads_as(self) -> str:
        """Its status as an officer reads it: one past its end date has ended, closed or not."""
        if self.ended:
            return f"Ended on {long_date(self.end_on)}, not yet closed"
        return self.status.capitalize()


class Case(CasePublic):
    @property
    def is_open(self) -> bool:
        return self.stage != "closed"


class CommissioningApi:
    def __init__(self, api: ApiClient) -> None:
        self._api = api

    async def contracts(self) -> list[Contract]:
        return await self._api.get_list(Contract, "/contracts")

    async def contract(self, contract_id: UUID) -> Contract:
        return Contract.model_validate(await self._api.get(f"/contracts/{contract_id}"))

    async def invoices(self) -> list[LaInvoicePublic]:
        return await self._api.get_list(LaInvoicePublic, "/invoices")

    async def invoice(self, invoice_id: UUID) -> LaInvoicePublic:
        return LaInvoicePublic.model_validate(await self._api.get(f"/invoices/{invoice_id}"))

    async def invoice_pdf(self, invoice_id: UUID) -> Download:
        return await self._api.download(f"/invoices/{invoice_id}/pdf")

    async def register_csv(self) -> Download:
        return await self._api.download("/contracts/register.csv")

    async def record(self, fields: dict[str, Any]) -> Contract:
        return Contract.model_validate(await self._api.post("/contracts", fields))

    async def vary(self, contract_id: UUID, fields: dict[str, Any]) -> Contract:
        return Contract.model_validate(
            await self._api.post(f"/contracts/{contract_id}/variations", fields)
        )

    async def approve_variation(self, contract_id: UUID, variation_id: UUID) -> Contract:
        return Contract.model_validate(
            await self._api.post(f"/contracts/{contract_id}/variations/{variation_id}/approve")
        )

    async def decline_variation(
        self, contract_id: UUID, variation_id: UUID, reason: str
    ) -> Contract:
        return Contract.model_validate(
            await self._api.post(
                f"/contracts/{contract_id}/variations/{variation_id}/decline", {"reason": reason}
            )
        )

    async def add_milestone(self, contract_id: UUID, fields: dict[str, Any]) -> MilestonePublic:
        return MilestonePublic.model_validate(
            await self._api.post(f"/contracts/{contract_id}/milestones", fields)
        )

    async def invoice_to_raise(self, contract_id: UUID, milestone_id: UUID) -> InvoiceFiguresPublic:
        path = f"/contracts/{contract_id}/milestones/{milestone_id}/invoice-to-raise"
        return InvoiceFiguresPublic.model_validate(await self._api.get(path))

    async def sign_off(
        self, contract_id: UUID, milestone_id: UUID, fields: dict[str, Any]
    ) -> SignOffPublic:
        path = f"/contracts/{contract_id}/milestones/{milestone_id}/complete"
        return SignOffPublic.model_validate(await self._api.post(path, fields))

    async def kpis(self, contract_id: UUID) -> list[KpiPublic]:
        return await self._api.get_list(KpiPublic, f"/contracts/{contract_id}/kpis")

    async def pending_credits(self, contract_id: UUID) -> list[CreditPendingPublic]:
        path = f"/contracts/{contract_id}/service-credits/pending"
        return await self._api.get_list(CreditPendingPublic, path)

    async def actuals(self, contract_id: UUID, kpi_id: UUID) -> list[ActualPublic]:
        return await self._api.get_list(
            ActualPublic, f"/contracts/{contract_id}/kpis/{kpi_id}/actuals"
        )

    async def report_actual(
        self, contract_id: UUID, kpi_id: UUID, fields: dict[str, Any]
    ) -> ActualPublic:
        return ActualPublic.model_validate(
            await self._api.post(f"/contracts/{contract_id}/kpis/{kpi_id}/actuals", fields)
        )

    async def schools(self) -> list[SchoolPublic]:
        return await self._api.get_list(SchoolPublic, "/schools")

    async def current_categories(self) -> list[CurrentCategoryPublic]:
        return await self._api.get_list(CurrentCategoryPublic, "/schools/categorisations/current")

    async def categorisations(self, urn: int) -> list[CategorisationPublic]:
        return await self._api.get_list(CategorisationPublic, f"/schools/{urn}/categorisations")

    async def categorise(self, urn: int, fields: dict[str, Any]) -> CategorisationPublic:
        return CategorisationPublic.model_validate(
            await self._api.post(f"/schools/{urn}/categorisations", fields)
        )

    async def cases(self) -> list[Case]:
        return await self._api.get_list(Case, "/cases")

    async def case(self, case_id: UUID) -> Case:
        return Case.model_validate(await self._api.get(f"/cases/{case_id}"))

    async def open_case(self, fields: dict[str, Any]) -> Case:
        return Case.model_validate(await self._api.post("/cases", fields))

    async def move_case(self, case_id: UUID, fields: dict[str, Any]) -> Case:
        return Case.model_validate(await self._api.post(f"/cases/{case_id}/stages", fields))

    async def note_visit(self, case_id: UUID, fields: dict[str, Any]) -> VisitPublic:
        return VisitPublic.model_validate(await self._api.post(f"/cases/{case_id}/visits", fields))

    async def deployments(
        self, *, case_id: UUID | None = None, contract_id: UUID | None = None
    ) -> list[DeploymentPublic]:
        return await self._api.get_list(
            DeploymentPublic, "/deployments", case_id=case_id, contract_id=contract_id
        )

    async def complete_deployment(
        self, deployment_id: UUID, fields: dict[str, Any]
    ) -> DeploymentPublic:
        return DeploymentPublic.model_validate(
            await self._api.post(f"/deployments/{deployment_id}/complete", fields)
        )

    async def deploy(self, case_id: UUID, fields: dict[str, Any]) -> DeploymentPublic:
        return DeploymentPublic.model_validate(
            await self._api.post(f"/cases/{case_id}/deployments", fields)
        )
