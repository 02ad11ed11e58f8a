"""Price versions stored as texts before tariffs were data come through the migration as
structured tariffs, each with the day it took effect and its year; a downgrade gives the texts
back."""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

from alembic import command
from sqlalchemy import Connection, TextClause, Uuid, bindparam, text

from services import registry
from shared.migrations import alembic_config
from tests.support.databases import DatabaseFactory

BEFORE = "c1a0de11e701"
# service type, term, (maintained, academy, out_of_area) as the old texts
OLD = [
    ("subscription", "academic_year",
     ("bands 0-150:265000 151-300:325000 301+:385000", "310000", "")),
    ("subscription", "financial_year", ("per-pupil 350 min 45000 max 240000", "per-pupil 400 min 50000", "")),
    ("consultancy", None, ("62500", "67500", "72500")),
]  # fmt: skip
NEW = [
    ({"kind": "banded_by_pupils", "bands": [{"from_pupils": 0, "pence": 265000},
      {"from_pupils": 151, "pence": 325000}, {"from_pupils": 301, "pence": 385000}]},
     {"kind": "flat", "pence": 310000}, None, "2026/27"),
    ({"kind": "per_pupil", "per_pupil_pence": 350, "minimum_pence": 45000, "maximum_pence": 240000},
     {"kind": "per_pupil", "per_pupil_pence": 400, "minimum_pence": 50000, "maximum_pence": None},
     None, "2026-27"),
    ({"kind": "day_rate", "pence": 62500}, {"kind": "day_rate", "pence": 67500},
     {"kind": "day_rate", "pence": 72500}, "2026-27"),
]  # fmt: skip


def _with_id(sql: str) -> TextClause:
    return text(sql).bindparams(bindparam("id", type_=Uuid))


def _old_service(connection: Connection, number: int, old: tuple[Any, ...]) -> str:
    service_type, term, (maintained, academy, out_of_area) = old
    service_id = uuid4()
    connection.execute(
        _with_id(
            "INSERT INTO services (id, code, title, description, service_type, category,"
            " unit_price_pence, vat_rate, price_version, status, term)"
            " VALUES (:id, :code, 'A service', '', :type, 'General', 0, 'standard', 1,"
            " 'published', :term)"
        ),
        {"id": service_id, "code": f"OLD-{number}", "type": service_type, "term": term},
    )
    connection.execute(
        _with_id(
            "INSERT INTO price_versions (service_id, version, maintained_price, academy_price,"
            " out_of_area_price, vat_rate, created_at)"
            " VALUES (:id, 1, :maintained, :academy, :out_of_area, 'standard',"
            " '2026-10-01 09:00:00+00:00')"
        ),
        {"id": service_id, "maintained": maintained, "academy": academy,
         "out_of_area": out_of_area},
    )  # fmt: skip
    return f"OLD-{number}"


async def test_old_price_texts_become_tariffs_with_their_day_and_year_and_back(
    databases: DatabaseFactory,
) -> None:
    service = registry.service(
        "catalogue", database_url=await databases.new("catalogue"), environment="test"
    )
    config = alembic_config(service.definition.migrations_dir)
    order = "SELECT s.code, v.* FROM price_versions v JOIN services s ON s.id = v.service_id"

    def migrate(connection: Connection) -> tuple[list[Any], list[Any]]:
        config.attributes["connection"] = connection
        command.upgrade(config, BEFORE)
        command.downgrade(config, BEFORE)
        for number, old in enumerate(OLD):
            _old_service(connection, number, old)
        command.upgrade(config, "head")
        new = list(connection.execute(text(f"{order} ORDER BY s.code")).mappings())
        command.downgrade(config, BEFORE)
        back = list(connection.execute(text(f"{order} ORDER BY s.code")).mappings())
        command.upgrade(config, "head")
        return [dict(row) for row in new], [dict(row) for row in back]

    try:
        async with service.engine.begin() as connection:
            new, back = await connection.run_sync(migrate)
    finally:
        await service.engine.dispose()

    for row, (maintained, academy, out_of_area, year) in zip(new, NEW, strict=True):
        assert json.loads(row["prices"]) == {
            "maintained": maintained,
            "academy": academy,
            "out_of_area": out_of_area,
        }
        assert (str(row["effective_from"]), row["year"]) == ("2026-10-01", year)
    assert [
        (row["maintained_price"], row["academy_price"], row["out_of_area_price"]) for row in back
    ] == [old[2] for old in OLD]
