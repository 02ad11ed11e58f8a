"""The migration that names, on the rest of a service credit an invoice took only in part, the
credit as earned: a rest split off before it is found by its KPI and reason (which names the
period, one actual a period), so an actual reads what became of all of its credit."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from alembic import command
from sqlalchemy import Connection, delete, insert, select

from services import registry
from services.commissioning.adapters.tables import contracts, kpi_reports, kpis, service_credits
from shared.migrations import alembic_config
from tests.support.databases import DatabaseFactory

BEFORE = "103e76ad95d6"


def _earned(connection: Connection, contract_id: UUID, kpi_id: UUID, period: str) -> UUID:
    """A miss in the period and the credit it earned; its id."""
    credit_id = uuid4()
    connection.execute(
        insert(service_credits).values(
            id=credit_id, contract_id=contract_id, kpi_id=kpi_id, net_pence=50_000,
            reason=f"Visits: 90 against a target of 95 in {period}", earned_on=date(2026, 7, 1),
        )
    )  # fmt: skip
    connection.execute(
        insert(kpi_reports).values(
            id=uuid4(), kpi_id=kpi_id, period=period, actual=90, reported_on=date(2026, 7, 1),
            met=False, service_credit_id=credit_id,
        )
    )  # fmt: skip
    return credit_id


async def test_the_rest_of_a_credit_split_before_names_the_credit_as_earned(
    databases: DatabaseFactory,
) -> None:
    service = registry.service(
        "commissioning", database_url=await databases.new("commissioning"), environment="test"
    )
    config = alembic_config(service.definition.migrations_dir)
    contract_id, kpi_id, rest_id = uuid4(), uuid4(), uuid4()

    def migrate(connection: Connection) -> tuple[UUID, UUID, dict[UUID, UUID | None]]:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")  # PostgreSQL's database may be an earlier test's, at head
        command.downgrade(config, BEFORE)
        connection.execute(
            insert(contracts).values(
                id=contract_id, reference=f"MIG-{contract_id.hex[:8]}", title="Monitoring",
                statutory_duty="Education Act 1996", funding_source="council_budget",
                value_pence=100_000, vat_rate="standard", start_on=date(2026, 4, 1),
                end_on=date(2027, 3, 31), status="active",
            )
        )  # fmt: skip
        connection.execute(
            insert(kpis).values(
                id=kpi_id, contract_id=contract_id, title="Visits", target=95,
                higher_is_better=True, service_credit_pence=50_000,
            )
        )  # fmt: skip
        first = _earned(connection, contract_id, kpi_id, "2026-Q1")
        second = _earned(connection, contract_id, kpi_id, "2026-Q2")
        connection.execute(
            insert(service_credits).values(
                id=rest_id, contract_id=contract_id, kpi_id=kpi_id, net_pence=20_000,
                reason="Visits: 90 against a target of 95 in 2026-Q1", earned_on=date(2026, 7, 1),
            )
        )  # fmt: skip
        command.upgrade(config, "head")
        rows = connection.execute(
            select(service_credits.c.id, service_credits.c.earned_as_id).where(
                service_credits.c.contract_id == contract_id
            )
        )
        found = {row.id: row.earned_as_id for row in rows}
        connection.execute(delete(kpi_reports).where(kpi_reports.c.kpi_id == kpi_id))
        connection.execute(delete(service_credits).where(service_credits.c.kpi_id == kpi_id))
        connection.execute(delete(kpis).where(kpis.c.id == kpi_id))
        connection.execute(delete(contracts).where(contracts.c.id == contract_id))
        return first, second, found

    try:
        async with service.engine.begin() as connection:
            first, second, found = await connection.run_sync(migrate)
    finally:
        await service.engine.dispose()

    assert found == {first: None, second: None, rest_id: first}
