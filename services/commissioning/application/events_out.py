"""The events commissioning publishes, built from its aggregates."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.commissioning.domain.case import Case, StageEntry
from services.commissioning.domain.categorisation import Categorisation
from services.commissioning.domain.contract import Contract
from services.commissioning.domain.deployment import Deployment
from services.commissioning.domain.kpi import ServiceCredit
from services.commissioning.domain.milestone import LaInvoice, Milestone
from services.commissioning.domain.terms import Variation
from shared.calendar import financial_year
from shared.events import (
    CaseMovedV1,
    ContractSignedV1,
    ContractVariedV1,
    DeploymentCompletedV1,
    LaInvoiceRaisedV1,
    MilestoneCompletedV1,
    SchoolCategorisedV1,
    ServiceCreditAppliedV1,
    WarningNoticeIssuedV1,
)
from shared.money import Amounts, Strand


def _money(amounts: Amounts, on: date) -> dict[str, Any]:
    """Every commissioning money event is statutory, dated to its financial year."""
    return {
        "strand": Strand.STATUTORY,
        "net_pence": amounts.net,
        "vat_pence": amounts.vat,
        "gross_pence": amounts.gross,
        "financial_year": financial_year(on),
    }


def contract_signed(contract: Contract) -> ContractSignedV1:
    return ContractSignedV1(
        contract_id=contract.id,
        reference=contract.reference,
        title=contract.title,
        statutory_duty=contract.statutory_duty,
        funding_source=contract.funding_source.value,
        value_pence=contract.value_pence,
        start_on=contract.start_on,
        end_on=contract.end_on,
    )


def contract_varied(contract: Contract, variation: Variation) -> ContractVariedV1:
    return ContractVariedV1(
        contract_id=contract.id,
        reference=contract.reference,
        variation_id=variation.id,
        kind=variation.kind.value,
        reason=variation.reason,
        approved_by=variation.approved_by,
        approved_on=variation.approved_on,
        value_pence=contract.value_pence,
        end_on=contract.end_on,
    )


def milestone_completed(contract: Contract, milestone: Milestone) -> MilestoneCompletedV1:
    completed_on = milestone.completed_on or milestone.due_on
    return MilestoneCompletedV1(
        contract_id=contract.id,
        contract_reference=contract.reference,
        milestone_id=milestone.id,
        title=milestone.title,
        funding_source=contract.funding_source.value,
        completed_on=completed_on,
        **_money(contract.amounts_for(milestone.payment_pence), completed_on),
    )


def la_invoice_raised(contract: Contract, invoice: LaInvoice) -> LaInvoiceRaisedV1:
    return LaInvoiceRaisedV1(
        invoice_id=invoice.id,
        invoice_number=invoice.number,
        contract_id=contract.id,
        contract_reference=contract.reference,
        milestone_id=invoice.milestone_id,
        funding_source=contract.funding_source.value,
        issued_on=invoice.issued_on,
        due_on=invoice.due_on,
        **_money(invoice.amounts, invoice.issued_on),
    )


def service_credit_applied(
    contract: Contract, credit: ServiceCredit, invoice: LaInvoice, amounts: Amounts
) -> ServiceCreditAppliedV1:
    """`amounts` as the invoice shows the credit (`credited_amounts`), so the book is the
    document to the penny."""
    return ServiceCreditAppliedV1(
        service_credit_id=credit.id,
        contract_id=contract.id,
        contract_reference=contract.reference,
        kpi_id=credit.kpi_id,
        invoice_id=invoice.id,
        invoice_number=invoice.number,
        applied_on=invoice.issued_on,
        reason=credit.reason,
        funding_source=contract.funding_source.value,
        **_money(amounts, invoice.issued_on),
    )


def school_categorised(categorisation: Categorisation) -> SchoolCategorisedV1:
    previous = categorisation.previous_category
    return SchoolCategorisedV1(
        urn=categorisation.urn,
        category=int(categorisation.category),
        previous_category=int(previous) if previous is not None else None,
        categorised_on=categorisation.categorised_on,
        reasons=categorisation.reasons,
    )


def deployment_completed(
    contract: Contract, deployment: Deployment, amounts: Amounts
) -> DeploymentCompletedV1:
    completed_on = deployment.completed_on or deployment.starts_on
    return DeploymentCompletedV1(
        deployment_id=deployment.id,
        case_id=deployment.case_id,
        contract_id=contract.id,
        contract_reference=contract.reference,
        provider_id=deployment.provider.catalogue_id,
        provider_name=deployment.provider.name,
        provider_kind=deployment.provider.kind.value,
        urn=deployment.urn,
        half_days=deployment.delivered_half_days or 0,
        day_rate_pence=deployment.day_rate_pence,
        completed_on=completed_on,
        **_money(amounts, completed_on),
    )


def case_moved(case: Case, entry: StageEntry) -> CaseMovedV1:
    return CaseMovedV1(case_id=case.id, urn=case.urn, stage=entry.stage, moved_on=entry.entered_on)


def warning_notice_issued(
    case: Case, entry: StageEntry, *, school_name: str
) -> WarningNoticeIssuedV1:
    assert entry.compliance_by is not None  # a warning notice always has one (Case.move_to)
    return WarningNoticeIssuedV1(
        case_id=case.id,
        urn=case.urn,
        school_name=school_name,
        issued_on=entry.entered_on,
        grounds=entry.grounds,
        required_action=entry.required_action,
        compliance_by=entry.compliance_by,
    )
