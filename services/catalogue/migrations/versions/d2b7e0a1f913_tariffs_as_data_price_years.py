"""tariffs as data, price versions by date: each price version keeps its tariffs as JSON
(shared.tariffs.Prices) and the date it takes effect and the year it belongs to; the old price
texts are converted (a consultancy's fixed price becomes a day rate) and dropped

Revision ID: d2b7e0a1f913
Revises: e9a3c4d5e6f7
Create Date: 2026-12-03 20:10:00

"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "d2b7e0a1f913"
down_revision: str | Sequence[str] | None = "e9a3c4d5e6f7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_COLUMNS = ("maintained_price", "academy_price", "out_of_area_price")


def upgrade() -> None:
    with op.batch_alter_table("price_versions") as batch:
        batch.add_column(sa.Column("prices", sa.Text(), nullable=True))
        batch.add_column(sa.Column("effective_from", sa.Date(), nullable=True))
        batch.add_column(sa.Column("year", sa.String(length=7), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT v.service_id, v.version, v.maintained_price, v.academy_price,"
            " v.out_of_area_price, v.created_at, s.service_type, s.term"
            " FROM price_versions v JOIN services s ON s.id = v.service_id"
        )
    ).mappings()
    for row in list(rows):
        day = _day(row["created_at"])
        day_rate = row["service_type"] == "consultancy"
        prices = {
            name: _tariff(row[f"{name}_price"], day_rate=day_rate)
            for name in ("maintained", "academy", "out_of_area")
        }
        connection.execute(
            sa.text(
                "UPDATE price_versions SET prices = :prices, effective_from = :day, year = :year"
                " WHERE service_id = :service_id AND version = :version"
            ),
            {
                "prices": json.dumps(prices),
                "day": day,
                "year": _year(day, academic=row["term"] == "academic_year"),
                "service_id": row["service_id"],
                "version": row["version"],
            },
        )
    with op.batch_alter_table("price_versions") as batch:
        batch.alter_column("prices", existing_type=sa.Text(), nullable=False)
        batch.alter_column("effective_from", existing_type=sa.Date(), nullable=False)
        batch.alter_column("year", existing_type=sa.String(length=7), nullable=False)
        for column in OLD_COLUMNS:
            batch.drop_column(column)


def downgrade() -> None:
    with op.batch_alter_table("price_versions") as batch:
        for column in OLD_COLUMNS:
            batch.add_column(sa.Column(column, sa.String(400), nullable=False, server_default=""))
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT service_id, version, prices FROM price_versions"))
    for service_id, version, prices in list(rows):
        texts = {f"{k}_price": _text(v) for k, v in json.loads(prices).items()}
        connection.execute(
            sa.text(
                "UPDATE price_versions SET maintained_price = :maintained_price,"
                " academy_price = :academy_price, out_of_area_price = :out_of_area_price"
                " WHERE service_id = :service_id AND version = :version"
            ),
            {**texts, "service_id": service_id, "version": version},
        )
    with op.batch_alter_table("price_versions") as batch:
        batch.drop_column("year")
        batch.drop_column("effective_from")
        batch.drop_column("prices")


def _tariff(text: str, *, day_rate: bool) -> dict[str, Any] | None:
    """The old texts: '325000', 'bands 0-200:250000 201+:325000' or
    'per-pupil 1200 min 150000 max 600000' (all pence)."""
    words = text.split()
    if not words:
        return None
    if len(words) == 1:
        return {"kind": "day_rate" if day_rate else "flat", "pence": int(words[0])}
    if words[0] == "bands":
        bands = []
        for word in words[1:]:
            span, _, pence = word.partition(":")
            low = span.rstrip("+").partition("-")[0]
            bands.append({"from_pupils": int(low), "pence": int(pence)})
        return {"kind": "banded_by_pupils", "bands": bands}
    maximum = int(words[5]) if len(words) == 6 else None
    return {
        "kind": "per_pupil",
        "per_pupil_pence": int(words[1]),
        "minimum_pence": int(words[3]),
        "maximum_pence": maximum,
    }


def _text(tariff: dict[str, Any] | None) -> str:
    """Back to the old texts; the kinds they could not say become their fixed part."""
    if tariff is None:
        return ""
    if tariff["kind"] == "banded_by_pupils":
        bands = tariff["bands"]
        spans = [
            f"{band['from_pupils']}-{after['from_pupils'] - 1}"
            for band, after in zip(bands, bands[1:], strict=False)
        ] + [f"{bands[-1]['from_pupils']}+"]
        return "bands " + " ".join(f"{s}:{b['pence']}" for s, b in zip(spans, bands, strict=True))
    if tariff["kind"] == "per_pupil":
        maximum = tariff.get("maximum_pence")
        text = f"per-pupil {tariff['per_pupil_pence']} min {tariff.get('minimum_pence', 0)}"
        return text + (f" max {maximum}" if maximum is not None else "")
    return str(tariff.get("pence", tariff.get("minimum_pence", 0)))


def _day(created_at: Any) -> date:
    if isinstance(created_at, datetime):
        return created_at.date()
    if isinstance(created_at, date):
        return created_at
    return date.fromisoformat(str(created_at)[:10])


def _year(day: date, *, academic: bool) -> str:
    start = day.year if day.month >= (9 if academic else 4) else day.year - 1
    return f"{start}{'/' if academic else '-'}{(start + 1) % 100:02d}"
