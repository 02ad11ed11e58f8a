"""The migration that keeps each subscription term with its service keeps the terms kept
already, each standing for some service (renewed by any term bought for the year, as before),
and a downgrade and upgrade again leave the same."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Connection, select, text

from services import registry
from services.notifications.adapters.tables import subscription_terms
from services.notifications.domain.renewals import SOME_SERVICE
from shared.migrations import alembic_config
from tests.support.databases import DatabaseFactory

BEFORE = "0f5061728394"
ORDER = "6c0a8f3e-2b1d-4e5f-9a7b-1c2d3e4f5a6b"


def _terms(connection: Connection) -> list[tuple[int, str | None, object]]:
    terms = subscription_terms.c
    rows = connection.execute(select(terms.urn, terms.trust_code, terms.service_id))
    return sorted((urn, trust, service) for urn, trust, service in rows)


async def test_the_terms_kept_already_stand_for_some_service(databases: DatabaseFactory) -> None:
    service = registry.service(
        "notifications", database_url=await databases.new("notifications"), environment="test"
    )
    config = alembic_config(service.definition.migrations_dir)

    def migrate(connection: Connection) -> tuple[list[object], list[object]]:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")  # PostgreSQL's database may be an earlier test's, at head
        command.downgrade(config, BEFORE)
        connection.execute(text("DELETE FROM subscription_terms"))
        order = ORDER if connection.dialect.name == "postgresql" else ORDER.replace("-", "")
        for urn, trust in ((117083, None), (117084, "TR0042")):
            connection.execute(
                text(
                    "INSERT INTO subscription_terms (order_id, term_start, urn, trust_code) "
                    "VALUES (:order_id, '2026-09-01', :urn, :trust)"
                ),
                {"order_id": order, "urn": urn, "trust": trust},
            )
        command.upgrade(config, "head")
        kept = _terms(connection)
        command.downgrade(config, BEFORE)
        command.upgrade(config, "head")
        return list(kept), list(_terms(connection))

    async with service.engine.begin() as connection:
        kept, again = await connection.run_sync(migrate)
    await service.engine.dispose()

    assert kept == [(117083, None, SOME_SERVICE), (117084, "TR0042", SOME_SERVICE)]
    assert again == kept
