"""What commissioning's routes read: each view opens the unit of work it reads in (reads
commit nothing) and returns domain objects for the route to shape."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from services.commissioning.application.unit_of_work import CommissioningUnitOfWork
from services.commissioning.domain.case import Case
from services.commissioning.domain.categorisation import Categorisation, Standing, standings
from services.commissioning.domain.contract import Contract
from services.commissioning.domain.deployment import Deployment
from services.commissioning.domain.kpi import (
    EarnedCredit,
    Kpi,
    KpiReport,
    ServiceCredit,
    to_take_off,
)
from services.commissioning.domain.milestone import LaInvoice
from services.commissioning.domain.school import School
from shared.errors import Conflict
from shared.money import Amounts, VatRate


@dataclass(frozen=True)
class Invoiced:
    """An invoice to the LA with the contract it is under and the credits applied to it."""

    invoice: LaInvoice
    contract: Contract
    credits: list[ServiceCredit]


@dataclass(frozen=True)
class Actual:
    """An actual reported, with the service credit it earned as it now stands, and the numbers
    of the invoices that took it."""

    report: KpiReport
    credit: EarnedCredit | None
    invoice_numbers: dict[UUID, str]


@dataclass(frozen=True)
class InvoiceToRaise:
    """The invoice a milestone's sign-off would raise now: its amounts and the pending service
    credits that would come off it."""

    amounts: Amounts
    credits: list[ServiceCredit]
    vat_rate: VatRate


async def contracts(uow: CommissioningUnitOfWork) -> list[Contract]:
    async with uow:
        return await uow.contracts.list()


async def contract(uow: CommissioningUnitOfWork, contract_id: UUID) -> Contract:
    async with uow:
        return await uow.contracts.get(contract_id)


async def invoice_to_raise(
    uow: CommissioningUnitOfWork, contract_id: UUID, milestone_id: UUID
) -> InvoiceToRaise:
    async with uow:
        contract = await uow.contracts.get(contract_id)
        pending = await uow.kpis.credits(contract_id=contract_id)
    milestone = contract.milestone(milestone_id)
    if milestone.completed:
        raise Conflict(f"milestone {milestone.title!r} is signed off and invoiced already")
    taken = to_take_off(pending, invoice_net_pence=milestone.payment_pence)
    amounts = contract.amounts_for(milestone.payment_pence)
    return InvoiceToRaise(amounts, taken.applied, contract.vat_rate)


async def cases(uow: CommissioningUnitOfWork, *, urn: int | None, open_only: bool) -> list[Case]:
    async with uow:
        return await uow.cases.find(urn=urn, open_only=open_only)


async def case(uow: CommissioningUnitOfWork, case_id: UUID) -> Case:
    async with uow:
        return await uow.cases.get(case_id)


async def deployments(
    uow: CommissioningUnitOfWork, *, contract_id: UUID | None, case_id: UUID | None
) -> list[Deployment]:
    async with uow:
        return await uow.deployments.find(contract_id=contract_id, case_id=case_id)


async def deployment(uow: CommissioningUnitOfWork, deployment_id: UUID) -> Deployment:
    async with uow:
        return await uow.deployments.get(deployment_id)


async def invoices(uow: CommissioningUnitOfWork, contract_id: UUID | None) -> list[Invoiced]:
    async with uow:
        return [await _invoiced(uow, found) for found in await uow.invoices.list(contract_id)]


async def invoice(uow: CommissioningUnitOfWork, invoice_id: UUID) -> Invoiced:
    async with uow:
        return await _invoiced(uow, await uow.invoices.get(invoice_id))


async def kpis(uow: CommissioningUnitOfWork, contract_id: UUID) -> list[Kpi]:
    async with uow:
        return await uow.kpis.of_contract(contract_id)


async def actuals(uow: CommissioningUnitOfWork, contract_id: UUID, kpi_id: UUID) -> list[Actual]:
    async with uow:
        await uow.kpis.get(contract_id, kpi_id)
        reports = await uow.kpis.reports(kpi_id)
        earned = await uow.kpis.earned(
            [r.service_credit_id for r in reports if r.service_credit_id]
        )
        invoice_ids = {p.invoice_id for c in earned.values() for p in c.parts if p.invoice_id}
        numbers = await uow.invoices.numbers(invoice_ids)
    return [
        Actual(r, earned.get(r.service_credit_id) if r.service_credit_id else None, numbers)
        for r in reports
    ]


async def pending_credits(uow: CommissioningUnitOfWork, contract_id: UUID) -> list[ServiceCredit]:
    async with uow:
        await uow.contracts.get(contract_id)
        return await uow.kpis.credits(contract_id=contract_id)


async def schools(uow: CommissioningUnitOfWork) -> list[School]:
    async with uow:
        return await uow.schools.all()


async def categorisation_history(uow: CommissioningUnitOfWork, urn: int) -> list[Categorisation]:
    async with uow:
        await uow.schools.get(urn)
        return await uow.categorisations.history(urn)


async def current_categories(uow: CommissioningUnitOfWork) -> list[Standing]:
    async with uow:
        return standings(await uow.categorisations.every())


async def _invoiced(uow: CommissioningUnitOfWork, found: LaInvoice) -> Invoiced:
    return Invoiced(
        found,
        await uow.contracts.get(found.contract_id),
        await uow.kpis.credits(invoice_id=found.id),
    )
