"""published results, tracked measures and outcome matches

Revision ID: e7a3c1d95b20
Revises: bd0e5a6eaf56
Create Date: 2026-12-03 17:10:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e7a3c1d95b20"
down_revision: str | Sequence[str] | None = "bd0e5a6eaf56"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "published_results",
        sa.Column("measure", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("urn", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("cohort", sa.Integer(), nullable=True),
        sa.Column("marker", sa.String(length=10), nullable=True),
        sa.Column("mainstream", sa.Boolean(), nullable=True),
        sa.PrimaryKeyConstraint("measure", "year", "urn"),
    )
    op.create_table(
        "tracked_measures",
        sa.Column("programme_id", sa.Uuid(), nullable=False),
        sa.Column("measure", sa.String(length=40), nullable=False),
        sa.Column("baseline_year", sa.Integer(), nullable=False),
        sa.Column("outcome_year", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"]),
        sa.PrimaryKeyConstraint("programme_id", "measure"),
    )
    op.create_table(
        "outcome_matches",
        sa.Column("programme_id", sa.Uuid(), nullable=False),
        sa.Column("comparison", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("participant", sa.Integer(), nullable=False),
        sa.Column("distance", sa.Float(), nullable=False),
        sa.Column("baseline_year", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"]),
        sa.PrimaryKeyConstraint("programme_id", "comparison"),
    )


def downgrade() -> None:
    op.drop_table("outcome_matches")
    op.drop_table("tracked_measures")
    op.drop_table("published_results")
