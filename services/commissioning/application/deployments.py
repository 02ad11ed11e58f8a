"""Use cases of brokered support: deploy a provider to a case, record what was delivered.

What remains of a contract's value for support is its current value less what every deployment
under it holds (planned days until delivered, then the days delivered); milestones are the LA's
payments for the contract and do not use it up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.commissioning.application import events_out
from services.commissioning.application.unit_of_work import CommissioningUnitOfWork
from services.commissioning.domain.deployment import Deployment, Provider
from shared.bus import Command
from shared.errors import Conflict
from shared.money import VatRate


@dataclass(frozen=True)
class Deploy(Command["Deployment"]):
    case_id: UUID
    provider: Provider
    half_days: int
    day_rate_pence: int
    vat_rate: VatRate
    objectives: str
    expected_impact: str
    starts_on: date


@dataclass(frozen=True)
class CompleteDeployment(Command["Deployment"]):
    """The provider is owed for the half days delivered: a statutory cost for the ledger."""

    deployment_id: UUID
    delivered_half_days: int
    completed_on: date


async def deploy(command: Deploy, *, uow: CommissioningUnitOfWork) -> Deployment:
    case = await uow.cases.get(command.case_id)
    contract = await uow.contracts.get(case.contract_id, for_update=True)
    if not case.is_open:
        raise Conflict("the case is closed", field="case_id")
    if not contract.status.in_force:
        raise Conflict(f"contract {contract.reference} is {contract.status}, not in force")
    committed = await uow.deployments.committed_pence(contract.id)
    deployment = Deployment.plan(
        **command.__dict__,
        contract_id=contract.id,
        urn=case.urn,
        uncommitted_pence=contract.value_pence - committed,
        contract_runs=(contract.start_on, contract.end_on),
        case_opened_on=case.opened_on,
    )
    await uow.deployments.add(deployment)
    uow.audit(
        "deployment.planned",
        object_type="deployment",
        object_id=deployment.id,
        summary=f"{command.provider.name}, {command.half_days} half days from {command.starts_on}",
    )
    return deployment


async def complete_deployment(
    command: CompleteDeployment, *, uow: CommissioningUnitOfWork, today: date
) -> Deployment:
    deployment_id = command.deployment_id
    found = await uow.deployments.get(deployment_id)
    contract = await uow.contracts.get(found.contract_id, for_update=True)
    deployment = await uow.deployments.get(deployment_id)  # again, now that we hold the lock
    amounts = deployment.complete(
        delivered_half_days=command.delivered_half_days, on=command.completed_on, today=today
    )
    await uow.deployments.save(deployment)
    uow.record(events_out.deployment_completed(contract, deployment, amounts))
    return deployment
