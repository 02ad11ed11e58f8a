"""provider names as documents: a posting's document holds 200 characters, as a provider's name
(a provider cost's document) may have; PostgreSQL refused one over 120, and the cost with it.

Revision ID: c9e2f4a6b8d0
Revises: b7d9f1a3c5e8
Create Date: 2026-12-08 12:00:00

"""

from collections.abc import Sequence

from shared.migrations import resize_text

revision: str = "c9e2f4a6b8d0"
down_revision: str | Sequence[str] | None = "b7d9f1a3c5e8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOCUMENTS = {"journal_postings": ["document"]}


def upgrade() -> None:
    resize_text(DOCUMENTS, existing=120, wanted=200)


def downgrade() -> None:
    resize_text(DOCUMENTS, existing=200, wanted=120)
