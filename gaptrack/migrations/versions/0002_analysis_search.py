"""search index: FTS5 (SQLite) / tsvector + GIN (PostgreSQL); document.thread_index

Revision ID: 0002_analysis
Revises: 0001
Create Date: 2026-12-07 15:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from gaptrack.search.schema import drop_schema, ensure_schema

revision: str = "0002_analysis"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("document") as batch_op:
        batch_op.add_column(sa.Column("thread_index", sa.String(length=400), nullable=True))
    # The index is filled by gaptrack.search.ensure_index on first use (and by each import).
    ensure_schema(op.get_bind())


def downgrade() -> None:
    drop_schema(op.get_bind())
    with op.batch_alter_table("document") as batch_op:
        batch_op.drop_column("thread_index")
