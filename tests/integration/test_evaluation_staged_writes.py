"""Evaluation writes a batch's participations and cost postings together, when its unit of work
commits, and what it writes is what each event's own statements would have written."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from services import registry
from services.evaluation.domain.participation import Participation
from tests.support.databases import DatabaseFactory

FIRST_SCHOOL, SECOND_SCHOOL = 117083, 117084  # Abbots Langley, Ashwell: a trust's two schools


def taking_part(urn: int, service_id: UUID, order_id: UUID) -> Participation:
    return Participation(
        urn=urn,
        school_name=f"school {urn}",
        phase="Primary",
        service_id=service_id,
        service_title="Maths mastery",
        order_id=order_id,
        since=date(2026, 9, 1),
    )


async def test_a_batch_records_what_its_events_one_by_one_would_have(
    databases: DatabaseFactory,
) -> None:
    service = registry.service(
        "evaluation", database_url=await databases.new("evaluation"), environment="test"
    )
    service_id, trust_order, school_order, cancelled_order = uuid4(), uuid4(), uuid4(), uuid4()
    try:
        await service.migrate()
        async with service.unit_of_work() as uow:
            await uow.participations.withdraw(cancelled_order, cancelled_on=date(2026, 8, 31))
            await uow.commit()
        async with service.unit_of_work() as uow:
            # one event: a trust's order buys the service for two of its schools
            await uow.participations.add_all(
                [
                    taking_part(FIRST_SCHOOL, service_id, trust_order),
                    taking_part(SECOND_SCHOOL, service_id, trust_order),
                ]
            )
            # a later event of the same batch about the same order and service: already recorded
            await uow.participations.add_all([taking_part(FIRST_SCHOOL, service_id, trust_order)])
            await uow.participations.add_all([taking_part(SECOND_SCHOOL, service_id, school_order)])
            await uow.participations.add_all(
                [taking_part(FIRST_SCHOOL, service_id, cancelled_order)]
            )
            await uow.costs.add_all([_cost(service_id, 120_000), _cost(service_id, -20_000)])
            await uow.costs.add_all([_cost(service_id, 50_000)])
            await uow.commit()

        async with service.unit_of_work() as uow:
            recorded = await uow.participations.list(service_id=service_id)
            costs = await uow.costs.linked(service_ids={service_id}, contract_ids=set())
        assert sorted((p.order_id, p.urn) for p in recorded) == sorted(
            [
                (trust_order, FIRST_SCHOOL),
                (trust_order, SECOND_SCHOOL),
                (school_order, SECOND_SCHOOL),
            ]
        )
        assert sorted(cost.amount_pence for cost in costs) == [-20_000, 50_000, 120_000]
    finally:
        await service.engine.dispose()


def _cost(service_id: UUID, amount_pence: int) -> dict[str, object]:
    return {
        "transaction_id": uuid4(),
        "account": "traded:income:school-improvement",
        "amount_pence": amount_pence,
        "urn": FIRST_SCHOOL,
        "service_id": service_id,
        "contract_id": None,
        "posted_on": date(2026, 9, 1),
    }


async def test_a_programmes_buyers_include_those_staged_in_the_same_unit_of_work(
    databases: DatabaseFactory,
) -> None:
    service = registry.service(
        "evaluation", database_url=await databases.new("evaluation"), environment="test"
    )
    service_id, order_id = uuid4(), uuid4()
    try:
        await service.migrate()
        async with service.unit_of_work() as uow:
            await uow.participations.add_all([taking_part(SECOND_SCHOOL, service_id, order_id)])
            buyers = await uow.participations.buyers_of({service_id})
        assert [(buyer.urn, buyer.source) for buyer in buyers] == [(SECOND_SCHOOL, "order")]
    finally:
        await service.engine.dispose()
