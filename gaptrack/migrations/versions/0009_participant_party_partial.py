"""ix_participant_party_role partial on PostgreSQL too: only participants linked to a party

SQLite's index always left out the participants of no known party (most of them, and every
one a load writes before the identity resolver runs); PostgreSQL's held them all, so a large
import maintained an index entry per participant that no query looks up (a fifth of the
participants' ``COPY``).

Revision ID: 0009_participant_partial
Revises: 0008_lost_references
Create Date: 2026-12-08 01:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_participant_partial"
down_revision: str | None = "0008_lost_references"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ["party_id", "role", "document_id"]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite's was partial from the start
    op.drop_index("ix_participant_party_role", table_name="document_participant")
    op.create_index("ix_participant_party_role", "document_participant", _COLUMNS,
                    postgresql_where=sa.text("party_id IS NOT NULL"))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_participant_party_role", table_name="document_participant")
    op.create_index("ix_participant_party_role", "document_participant", _COLUMNS)
