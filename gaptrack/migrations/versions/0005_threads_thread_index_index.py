"""document.thread_index indexed (rows that have one): threads start from them

Revision ID: 0005_threads
Revises: 0004_analysis
Create Date: 2026-12-07 19:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_threads"
down_revision: str | None = "0004_analysis"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_document_thread_index", "document", ["thread_index"],
        sqlite_where=sa.text("thread_index IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_document_thread_index", table_name="document")
