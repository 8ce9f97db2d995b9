"""event hash chain: seq, prev_hash, hash on every event (existing events sealed in id order);
known_item.version for optimistic concurrency

Revision ID: 0002_reliability
Revises: 0003_integrations
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_reliability"
down_revision: str | None = "0003_integrations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_event_seq"), ["seq"], unique=True)
    with op.batch_alter_table("known_item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("version", sa.Integer(), server_default="1", nullable=False)
        )
    from gaptrack.audit import seal

    seal(op.get_bind())  # the events already recorded join the chain, in id order


def downgrade() -> None:
    with op.batch_alter_table("known_item", schema=None) as batch_op:
        batch_op.drop_column("version")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_seq"))
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("seq")
