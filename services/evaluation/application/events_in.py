"""What evaluation does with other services' events: participants (orders paid or invoiced,
not cancelled), the schools register, deliveries to rate and the ledger's postings for
programmes."""

from __future__ import annotations

import contextlib
from datetime import date
from uuid import UUID, uuid4

from services.evaluation.application.unit_of_work import EvaluationUnitOfWork
from services.evaluation.domain.matching import RegisteredSchool
from services.evaluation.domain.participation import Participation
from services.evaluation.domain.rating import Invitation
from shared.bus import Events
from shared.events import (
    CreditNoteIssuedV1,
    DeploymentCompletedV1,
    Envelope,
    InvoiceRaisedV1,
    OrderCancelledV1,
    OrderFulfilledV1,
    OrderPaidV1,
    RefundIssuedV1,
    SchoolRegisteredV1,
    TransactionPostedV1,
)
from shared.events.orders import OrderLineV1, SchoolFields


async def record_paid_participation(
    envelope: Envelope[OrderPaidV1], *, uow: EvaluationUnitOfWork
) -> None:
    """A card payment that succeeded makes the school a participant in each service bought
    (a declined card raises no such event)."""
    event = envelope.payload
    await _participate(uow, event, event.order_id, event.lines, since=event.paid_on)


async def record_invoiced_participation(
    envelope: Envelope[InvoiceRaisedV1], *, uow: EvaluationUnitOfWork
) -> None:
    """An order on invoice takes part from the day it is invoiced."""
    event = envelope.payload
    await _participate(uow, event, event.order_id, event.lines, since=event.issued_on)


async def withdraw_participation(
    envelope: Envelope[OrderCancelledV1], *, uow: EvaluationUnitOfWork
) -> None:
    """A cancelled order makes no participant."""
    event = envelope.payload
    await uow.participations.withdraw(event.order_id, cancelled_on=event.cancelled_on)


async def withdraw_given_back(
    envelope: Envelope[RefundIssuedV1] | Envelope[CreditNoteIssuedV1],
    *,
    uow: EvaluationUnitOfWork,
) -> None:
    """A line given back whole (its session called off, its offered places declined or
    lapsed) makes no participant of its school in its service, unless another line of the
    order keeps it (orders marks the line `withdrawn` only if none does)."""
    event = envelope.payload
    given_back = {
        (line.urn or event.urn, line.service_id) for line in event.lines if line.withdrawn
    }
    if given_back:
        on = event.refunded_on if isinstance(event, RefundIssuedV1) else event.issued_on
        await uow.participations.withdraw_services(event.order_id, given_back, on=on)


async def _participate(
    uow: EvaluationUnitOfWork,
    school: SchoolFields,
    order_id: UUID,
    lines: tuple[OrderLineV1, ...],
    *,
    since: date,
) -> None:
    """Each line's school takes part: the order's, or on a trust's order the line's own."""
    taking_part = {(line.urn or school.urn, line.service_id): line for line in lines}
    named = {school.urn: (school.school_name, school.phase)}
    others = {urn for urn, _ in taking_part} - {school.urn}
    if others:
        named |= {found.urn: (found.name, found.phase) for found in await uow.schools.find(others)}
    await uow.participations.add_all(
        [
            Participation(
                urn=urn,
                school_name=named.get(urn, ("", ""))[0],
                phase=named.get(urn, ("", ""))[1],
                service_id=line.service_id,
                service_title=line.title,
                order_id=order_id,
                since=since,
            )
            for (urn, _), line in taking_part.items()
        ]
    )


async def register_school(
    envelope: Envelope[SchoolRegisteredV1], *, uow: EvaluationUnitOfWork
) -> None:
    event = envelope.payload
    await uow.schools.put(
        RegisteredSchool(event.urn, event.name, event.phase, event.pupils, version=event.version)
    )


async def invite_rating_of_order(
    envelope: Envelope[OrderFulfilledV1], *, uow: EvaluationUnitOfWork
) -> None:
    """A fulfilled order: each school it served (on a trust's order, each line's own) may rate
    each service delivered to it, once."""
    event = envelope.payload
    lines = {(line.urn or event.urn, line.service_id): line for line in event.lines}
    await uow.ratings.invite(
        [
            Invitation(
                id=uuid4(),
                urn=urn,
                source="order",
                source_id=event.order_id,
                title=line.title,
                service_id=line.service_id,
                provider_id=line.provider_id,
                invited_on=event.fulfilled_on,
            )
            for (urn, _), line in lines.items()
        ]
    )


async def record_deployment(
    envelope: Envelope[DeploymentCompletedV1], *, uow: EvaluationUnitOfWork
) -> None:
    """Support delivered under a case: the school takes part, and may rate the provider."""
    event = envelope.payload
    await uow.deployments.add(
        deployment_id=event.deployment_id,
        event_id=envelope.event_id,
        case_id=event.case_id,
        contract_id=event.contract_id,
        urn=event.urn,
        provider_id=event.provider_id,
        provider_name=event.provider_name,
        completed_on=event.completed_on,
    )
    await uow.ratings.invite(
        [
            Invitation(
                id=uuid4(),
                urn=event.urn,
                source="deployment",
                source_id=event.deployment_id,
                title=f"{event.provider_name} ({event.provider_kind}), {event.half_days} half-days",
                service_id=None,
                provider_id=event.provider_id,
                invited_on=event.completed_on,
            )
        ]
    )


async def record_costs(
    envelope: Envelope[TransactionPostedV1], *, uow: EvaluationUnitOfWork
) -> None:
    """Keep the postings a programme can be linked to: those naming a service or a contract,
    with the event the ledger booked them for (a provider cost's: the deployment's completion)."""
    event = envelope.payload
    await uow.costs.add_all(
        [
            {
                "transaction_id": event.transaction_id,
                "account": posting.account,
                "amount_pence": posting.amount_pence,
                "urn": posting.urn,
                "service_id": _uuid(posting.service_id),
                "contract_id": _uuid(posting.contract_id),
                "posted_on": event.posted_on,
                "source_event_id": event.source_event_id,
            }
            for posting in event.postings
            if _uuid(posting.service_id) or _uuid(posting.contract_id)
        ]
    )


def _uuid(text: str | None) -> UUID | None:
    with contextlib.suppress(ValueError, TypeError):
        return UUID(text)
    return None


# Beside the handlers, so that each event type is named once: the bus's EVENTS table.
EVENTS: Events = {
    OrderPaidV1: record_paid_participation,
    InvoiceRaisedV1: record_invoiced_participation,
    OrderCancelledV1: withdraw_participation,
    RefundIssuedV1: withdraw_given_back,
    CreditNoteIssuedV1: withdraw_given_back,
    SchoolRegisteredV1: register_school,
    OrderFulfilledV1: invite_rating_of_order,
    DeploymentCompletedV1: record_deployment,
    TransactionPostedV1: record_costs,
}
