"""contract account keys: each contract's reference as the ledger names its income account,
unique, so that no two contracts (LA/2026/1 and LA-2026-1) share one

Revision ID: f7d3b9e1c5a2
Revises: e5c9a2f4b7d1
Create Date: 2026-12-06 14:10:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.account_codes import code_part

revision: str = "f7d3b9e1c5a2"
down_revision: str | Sequence[str] | None = "e5c9a2f4b7d1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

contracts = sa.table(
    "contracts",
    sa.column("id", sa.Uuid),
    sa.column("reference", sa.String),
    sa.column("account_key", sa.String),
)


def upgrade() -> None:
    with op.batch_alter_table("contracts") as table:
        table.add_column(sa.Column("account_key", sa.String(40), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.select(contracts.c.id, contracts.c.reference)).all()
    taken: set[str] = set()
    # Of references recorded before that already read alike, the first in order keeps the key
    # and the others none: their income already shares the account, and nothing is renamed.
    for row in sorted(rows, key=lambda r: r.reference):
        key = code_part(row.reference)
        if key and key not in taken:
            taken.add(key)
            connection.execute(
                contracts.update().where(contracts.c.id == row.id).values(account_key=key)
            )
    with op.batch_alter_table("contracts") as table:
        table.create_unique_constraint("uq_contracts_account_key", ["account_key"])


def downgrade() -> None:
    with op.batch_alter_table("contracts") as table:
        table.drop_constraint("uq_contracts_account_key", type_="unique")
        table.drop_column("account_key")
