"""search index: FTS5 (SQLite) / tsvector + GIN (PostgreSQL)

Revision ID: 0002_analysis
Revises: 0001
Create Date: 2026-12-07 15:50:00
"""

from collections.abc import Sequence

from alembic import op

from gaptrack.search.schema import drop_schema, ensure_schema

revision: str = "0002_analysis"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The index is filled by gaptrack.search.ensure_index on first use (and by each import).
    ensure_schema(op.get_bind())


def downgrade() -> None:
    drop_schema(op.get_bind())
