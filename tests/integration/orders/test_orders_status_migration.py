"""Orders placed before the order's status and its payment's were kept apart come through the
migration with both, read off what each row and its invoice recorded; a downgrade gives the
single old status back."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from alembic import command
from sqlalchemy import Column, Connection, insert, select

from services import registry
from services.orders.adapters.tables import invoices, orders, schools
from shared.migrations import alembic_config
from tests.support.databases import DatabaseFactory
from tests.support.schools import ABBOTS_LANGLEY_AS_REGISTERED

BEFORE = "08436bb73296"
GROSS = 120_000  # £1,000.00 + VAT on every invoice below
# old status, method, paid, refunded, cancelled?, fulfilled?, invoice paid, invoice credited
# → the order's status, the payment's status
ORDERS: list[tuple[tuple[Any, ...], tuple[str, str]]] = [
    (("awaiting_payment", "card", 0, 0, False, False, None, None), ("placed", "awaiting_payment")),
    (("paid", "card", GROSS, 0, False, False, None, None), ("placed", "paid")),
    (("fulfilled", "card", GROSS, 0, False, True, None, None), ("fulfilled", "paid")),
    (
        ("partly_refunded", "card", GROSS, 100, False, True, None, None),
        ("fulfilled", "partly_refunded"),
    ),
    (("refunded", "card", GROSS, GROSS, True, False, None, None), ("cancelled", "refunded")),
    (("cancelled", "card", 0, 0, True, False, None, None), ("cancelled", "void")),
    (("cancelled", "card", GROSS, 0, True, False, None, None), ("cancelled", "paid")),
    (("invoiced", "invoice", 0, 0, False, False, 0, 0), ("placed", "invoiced")),
    (("invoiced", "invoice", 30_000, 0, False, False, 30_000, 0), ("placed", "partly_paid")),
    (("paid", "invoice", GROSS, 0, False, False, GROSS, 0), ("placed", "paid")),
    (("cancelled", "invoice", 0, 0, True, False, 0, GROSS), ("cancelled", "credited")),
    (("cancelled", "invoice", 0, 0, True, False, 0, 80_000), ("cancelled", "invoiced")),
]


def _old_row(connection: Connection, number: int, old: tuple[Any, ...]) -> UUID:
    status, method, paid, refunded, cancelled, fulfilled, invoice_paid, credited = old
    order_id = uuid4()
    connection.execute(
        insert(orders).values(
            id=order_id,
            urn=117083,
            payment_method=method,
            placed_on=date(2026, 10, 1),
            status=status,
            paid_pence=paid,
            refunded_pence=refunded,
            cancelled_on=date(2026, 11, 1) if cancelled else None,
            fulfilled_on=date(2026, 10, 20) if fulfilled else None,
        )
    )
    if invoice_paid is not None:
        connection.execute(
            insert(invoices).values(
                id=uuid4(),
                number=f"INV-{number:06d}",
                order_id=order_id,
                purchase_order="PO-1",
                issued_on=date(2026, 10, 1),
                due_on=date(2026, 10, 31),
                net_pence=100_000,
                vat_pence=20_000,
                paid_pence=invoice_paid,
                credited_pence=credited,
            )
        )
    return order_id


def _statuses(connection: Connection, *columns: Column[Any]) -> dict[UUID, tuple[str, ...]]:
    rows = connection.execute(select(orders.c.id, *columns))
    return {row[0]: tuple(row[1:]) for row in rows}


async def test_each_old_status_becomes_an_order_status_and_a_payment_status_and_back(
    databases: DatabaseFactory,
) -> None:
    service = registry.service(
        "orders", database_url=await databases.new("orders"), environment="test"
    )
    config = alembic_config(service.definition.migrations_dir)

    def migrate(connection: Connection) -> tuple[dict[UUID, Any], dict[UUID, Any]]:
        config.attributes["connection"] = connection
        # A PostgreSQL test database is kept for the session (emptied, at the newest schema):
        # bring it to the old schema either way.
        command.upgrade(config, BEFORE)
        command.downgrade(config, BEFORE)
        connection.execute(insert(schools).values(**ABBOTS_LANGLEY_AS_REGISTERED))
        ids = [_old_row(connection, number, old) for number, (old, _) in enumerate(ORDERS)]
        command.upgrade(config, "head")
        split = _statuses(connection, orders.c.status, orders.c.payment_status)
        command.downgrade(config, BEFORE)
        joined = _statuses(connection, orders.c.status)
        return (
            {order_id: split[order_id] for order_id in ids},
            {order_id: joined[order_id] for order_id in ids},
        )

    try:
        async with service.engine.begin() as connection:
            split, joined = await connection.run_sync(migrate)
    finally:
        await service.engine.dispose()

    assert list(split.values()) == [expected for _, expected in ORDERS]
    assert [status for (status,) in joined.values()] == [old[0] for old, _ in ORDERS]
