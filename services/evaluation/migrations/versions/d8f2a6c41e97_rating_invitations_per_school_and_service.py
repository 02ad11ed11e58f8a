"""a rating invitation for each school and service of a delivered order, not one per title: a
trust's order serves several schools with one service, and an order may hold two services of
one title

Revision ID: d8f2a6c41e97
Revises: c6e1f4a9b530
Create Date: 2026-12-06 16:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "d8f2a6c41e97"
down_revision: str | Sequence[str] | None = "c6e1f4a9b530"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "rating_invitations"
PER_SCHOOL_AND_SERVICE = "uq_rating_invitations"
# The first revision left this one unnamed: PostgreSQL named it so, and the convention gives
# SQLite's (reflected without a name) the same name, so that either can be dropped.
PER_TITLE = "rating_invitations_source_source_id_title_key"
NAMING = {"uq": "%(table_name)s_%(column_0_N_name)s_key"}


def upgrade() -> None:
    with op.batch_alter_table(TABLE, naming_convention=NAMING) as table:
        table.drop_constraint(PER_TITLE, type_="unique")
        table.create_unique_constraint(
            PER_SCHOOL_AND_SERVICE, ["source", "source_id", "urn", "service_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table(TABLE, naming_convention=NAMING) as table:
        table.drop_constraint(PER_SCHOOL_AND_SERVICE, type_="unique")
        table.create_unique_constraint(PER_TITLE, ["source", "source_id", "title"])
