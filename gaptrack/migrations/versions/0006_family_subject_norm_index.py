"""document.subject_norm indexed (rows that have one): privilege-log entries are matched to
produced emails by subject

Revision ID: 0006_family
Revises: 0005_threads
Create Date: 2026-12-07 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_family"
down_revision: str | None = "0005_threads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_document_subject_norm", "document", ["subject_norm"], postgresql_using="hash",
        sqlite_where=sa.text("subject_norm IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_document_subject_norm", table_name="document")
