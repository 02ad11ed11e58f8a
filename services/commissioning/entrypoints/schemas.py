"""The commissioning API's answers (declared in shared.api.commissioning), built from its
domain."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from services.commissioning.domain.case import Case
from services.commissioning.domain.categorisation import Categorisation, Standing
from services.commissioning.domain.contract import Contract
from services.commissioning.domain.deployment import Deployment, cost_of
from services.commissioning.domain.kpi import (
    EarnedCredit,
    Kpi,
    KpiReport,
    ServiceCredit,
    credited_amounts,
)
from services.commissioning.domain.milestone import LaInvoice, Milestone, less_credits
from shared.api import commissioning as contract
from shared.api.commissioning import (
    CreditPartPublic,
    CreditPublic,
    ProviderCreate,
    StageCreate,
    VariationPublic,
    VisitPublic,
)
from shared.money import Amounts, VatRate


class CasePublic(contract.CasePublic):
    @classmethod
    def of(cls, case: Case, *, with_notes: bool = True) -> CasePublic:
        return cls(
            id=case.id,
            contract_id=case.contract_id,
            urn=case.urn,
            opened_on=case.opened_on,
            summary=case.summary,
            stage=case.stage,
            stages=[StageCreate.model_validate(entry.__dict__) for entry in case.stages],
            visits=[VisitPublic.model_validate(v.__dict__) for v in case.visits]
            if with_notes
            else [],
        )


class MilestonePublic(contract.MilestonePublic):
    @classmethod
    def of(cls, milestone: Milestone) -> MilestonePublic:
        return cls.model_validate(milestone.__dict__)


class ContractPublic(contract.ContractPublic):
    @classmethod
    def of(cls, contract: Contract, *, today: date) -> ContractPublic:
        return cls(
            **{**contract.particulars.__dict__, "annual_value_pence": contract.annual_value_pence},
            original_annual_value_pence=contract.particulars.annual_value_pence,
            id=contract.id,
            reference=contract.reference,
            title=contract.title,
            description=contract.terms.scope,
            statutory_duty=contract.statutory_duty,
            funding_source=contract.funding_source,
            value_pence=contract.value_pence,
            original_value_pence=contract.original.value_pence,
            vat_rate=contract.vat_rate,
            start_on=contract.start_on,
            end_on=contract.end_on,
            original_end_on=contract.original.end_on,
            status=contract.status,
            ended=contract.has_ended(today),
            signed_on=contract.signed_on,
            closed_on=contract.closed_on,
            scheduled_pence=contract.scheduled_pence,
            milestones=[MilestonePublic.of(m) for m in contract.milestones],
            variations=[VariationPublic.model_validate(v.__dict__) for v in contract.variations],
            pending_variations=[
                VariationPublic.model_validate(v.__dict__) for v in contract.pending
            ],
        )


class DeploymentPublic(contract.DeploymentPublic):
    @classmethod
    def of(cls, deployment: Deployment) -> DeploymentPublic:
        delivered = deployment.delivered_half_days
        return cls(
            **{**deployment.__dict__, "provider": ProviderCreate(**deployment.provider.__dict__)},
            committed_pence=deployment.committed_pence,
            delivered_cost_pence=cost_of(delivered, deployment.day_rate_pence)
            if delivered
            else None,
        )


class InvoiceFiguresPublic(contract.InvoiceFiguresPublic):
    @classmethod
    def of(
        cls, amounts: Amounts, credits: list[ServiceCredit], vat_rate: VatRate
    ) -> InvoiceFiguresPublic:
        credited = credited_amounts(credits, vat_rate)
        payable = less_credits(amounts, list(credited.values()))
        return cls(
            net_pence=amounts.net,
            vat_pence=amounts.vat,
            gross_pence=amounts.gross,
            credits=[
                CreditPublic(
                    id=c.id,
                    kpi_id=c.kpi_id,
                    reason=c.reason,
                    net_pence=credited[c.id].net,
                    vat_pence=credited[c.id].vat,
                    gross_pence=credited[c.id].gross,
                )
                for c in credits
            ],
            payable_net_pence=payable.net,
            payable_vat_pence=payable.vat,
            payable_gross_pence=payable.gross,
        )


class LaInvoicePublic(contract.LaInvoicePublic):
    @classmethod
    def of(
        cls, invoice: LaInvoice, credits: list[ServiceCredit], vat_rate: VatRate
    ) -> LaInvoicePublic:
        figures = InvoiceFiguresPublic.of(invoice.amounts, credits, vat_rate)
        return cls(
            **figures.model_dump(),
            id=invoice.id,
            number=invoice.number,
            contract_id=invoice.contract_id,
            milestone_id=invoice.milestone_id,
            issued_on=invoice.issued_on,
            due_on=invoice.due_on,
        )


class KpiPublic(contract.KpiPublic):
    @classmethod
    def of(cls, kpi: Kpi) -> KpiPublic:
        return cls.model_validate(kpi.__dict__)


class CreditPendingPublic(contract.CreditPendingPublic):
    @classmethod
    def of(cls, credit: ServiceCredit) -> CreditPendingPublic:
        return cls.model_validate(credit.__dict__)


class CreditEarnedPublic(contract.CreditEarnedPublic):
    @classmethod
    def of(cls, credit: EarnedCredit, invoice_numbers: dict[UUID, str]) -> CreditEarnedPublic:
        return cls(
            id=credit.id,
            net_pence=credit.net_pence,
            reason=credit.reason,
            earned_on=credit.earned_on,
            waiting_pence=credit.waiting_pence,
            parts=[
                CreditPartPublic(
                    net_pence=part.net_pence,
                    invoice_id=part.invoice_id,
                    invoice_number=invoice_numbers.get(part.invoice_id)
                    if part.invoice_id
                    else None,
                    applied_on=part.applied_on,
                )
                for part in credit.parts
            ],
        )


class ActualPublic(contract.ActualPublic):
    @classmethod
    def of(
        cls, report: KpiReport, credit: EarnedCredit | None, invoice_numbers: dict[UUID, str]
    ) -> ActualPublic:
        earned = CreditEarnedPublic.of(credit, invoice_numbers) if credit else None
        return cls(**report.__dict__, service_credit=earned)


class CategorisationPublic(contract.CategorisationPublic):
    @classmethod
    def of(cls, categorisation: Categorisation) -> CategorisationPublic:
        return cls(**categorisation.__dict__, label=categorisation.category.label)


class CurrentCategoryPublic(contract.CurrentCategoryPublic):
    @classmethod
    def of(cls, standing: Standing) -> CurrentCategoryPublic:
        latest = CategorisationPublic.of(standing.latest)
        return cls(**latest.model_dump(), in_category_since=standing.since)
