"""lost_reference: the Message-IDs produced emails refer to that nobody had produced when
they arrived, with the date one first was (derived; read by the referenced-unproduced gaps)

Revision ID: 0008_lost_references
Revises: 0007_coverage
Create Date: 2026-12-08 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008_lost_references"
down_revision: str | None = "0007_coverage"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Empty: opening the upgraded database derives it (gaptrack.db.upgrade_and_derive).
    op.create_table(
        "lost_reference",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("mih", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("message_id", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", "mih"),
    )
    op.create_index("ix_lost_reference_mih", "lost_reference", ["mih"], unique=False)
    # No memory of rows made before (a downgrade and upgrade again): derive them afresh.
    op.execute("DELETE FROM derived_state WHERE name = 'lost_references'")


def downgrade() -> None:
    op.execute("DELETE FROM derived_state WHERE name = 'lost_references'")
    op.drop_index("ix_lost_reference_mih", table_name="lost_reference")
    op.drop_table("lost_reference")
