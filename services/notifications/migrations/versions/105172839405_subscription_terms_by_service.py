"""each subscription term kept with its service, so that a school (or trust) is renewed once every
service it subscribed to last year is bought for the year, not once any one is

Revision ID: 105172839405
Revises: 0f5061728394
Create Date: 2026-12-06 08:25:00

Terms kept before this have no service: each stands for "some service", renewed by any term
bought for the year, as it was.
"""

from collections.abc import Sequence
from uuid import UUID

import sqlalchemy as sa
from alembic import op

revision: str = "105172839405"
down_revision: str | Sequence[str] | None = "0f5061728394"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SOME_SERVICE = UUID(int=0)


def upgrade() -> None:
    _rekey(("order_id", "term_start", "urn", "service_id"), with_service=True)


def downgrade() -> None:
    op.execute(
        "DELETE FROM subscription_terms WHERE CAST(service_id AS TEXT) <> (SELECT"
        " min(CAST(kept.service_id AS TEXT)) FROM subscription_terms AS kept"
        " WHERE kept.order_id = subscription_terms.order_id"
        " AND kept.term_start = subscription_terms.term_start"
        " AND kept.urn = subscription_terms.urn)"
    )
    _rekey(("order_id", "term_start", "urn"), with_service=False)


def _rekey(key: tuple[str, ...], *, with_service: bool) -> None:
    """The table again with this primary key (its constraint is unnamed, which SQLite and
    PostgreSQL name differently): a copy, then the copy in its place."""
    service = [sa.Column("service_id", sa.Uuid(), nullable=False)] if with_service else []
    op.create_table(
        "subscription_terms_rekeyed",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("term_start", sa.Date(), nullable=False),
        sa.Column("urn", sa.Integer(), nullable=False),
        sa.Column("trust_code", sa.String(length=20), nullable=True),
        *service,
        sa.PrimaryKeyConstraint(*key),
    )
    columns = "order_id, term_start, urn, trust_code"
    if with_service:
        postgres = op.get_bind().dialect.name == "postgresql"
        some = f"'{SOME_SERVICE}'" if postgres else f"'{SOME_SERVICE.hex}'"
        op.execute(
            f"INSERT INTO subscription_terms_rekeyed ({columns}, service_id)"
            f" SELECT {columns}, {some} FROM subscription_terms"
        )
    else:
        op.execute(
            f"INSERT INTO subscription_terms_rekeyed ({columns})"
            f" SELECT {columns} FROM subscription_terms"
        )
    op.drop_index("ix_subscription_terms_urn", table_name="subscription_terms")
    op.drop_table("subscription_terms")
    op.rename_table("subscription_terms_rekeyed", "subscription_terms")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE subscription_terms"
            " RENAME CONSTRAINT subscription_terms_rekeyed_pkey TO subscription_terms_pkey"
        )
    op.create_index("ix_subscription_terms_urn", "subscription_terms", ["urn"], unique=False)
