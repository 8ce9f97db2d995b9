"""request items: how criteria combine (correspondents any/all; kinds all/any)

Revision ID: 0002_identity
Revises: 0002_caseview
Create Date: 2026-12-07 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op


revision: str = '0002_identity'
down_revision: str | None = '0002_caseview'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('request_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'correspondents_match', sqlmodel.sql.sqltypes.AutoString(length=8),
            server_default='any', nullable=False))
        batch_op.add_column(sa.Column(
            'criteria_combine', sqlmodel.sql.sqltypes.AutoString(length=8),
            server_default='all', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('request_item', schema=None) as batch_op:
        batch_op.drop_column('criteria_combine')
        batch_op.drop_column('correspondents_match')
