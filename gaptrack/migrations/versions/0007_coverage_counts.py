"""coverage_count: documents per (party, producing party, production, custodian, day), kept
after writes so a party's coverage is read from a few rows, not counted over its documents

Revision ID: 0007_coverage
Revises: 0006_family
Create Date: 2026-12-07 22:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007_coverage"
down_revision: str | None = "0006_family"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Empty: the next refresh of derived facts (every open upgrades, then refreshes) fills it.
    op.create_table(
        "coverage_count",
        sa.Column("subject_party_id", sa.Integer(), nullable=False),
        sa.Column("producer_party_id", sa.Integer(), nullable=False),
        sa.Column("production_id", sa.Integer(), nullable=False),
        sa.Column("custodian", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["production_id"], ["production.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint(
            "subject_party_id", "producer_party_id", "production_id", "custodian", "day"
        ),
    )
    op.create_index(
        "ix_coverage_count_production_id", "coverage_count", ["production_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_coverage_count_production_id", table_name="coverage_count")
    op.drop_table("coverage_count")
