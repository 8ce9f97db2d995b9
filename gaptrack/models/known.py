"""Items known to exist, and the decisions staff take on inferred findings."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field, SQLModel, UniqueConstraint

from gaptrack.models.enums import (
    FindingDecisionKind,
    KnownBasis,
    KnownStatus,
    ParticipantRole,
)


class KnownItemBase(SQLModel):
    slug: str = Field(max_length=120, unique=True, index=True)
    party_id: int = Field(foreign_key="party.id", index=True)  # who is expected to hold it
    item_id: int | None = Field(default=None, foreign_key="request_item.id", index=True)
    description: str
    basis: KnownBasis = Field(sa_type=sa.String(24))
    # basis = other-production: the other party's document, and this party's role on it.
    basis_document_id: int | None = Field(default=None, foreign_key="document.id", index=True)
    basis_role: ParticipantRole | None = Field(default=None, sa_type=sa.String(16))
    citation: str | None = None  # testimony / press report / letter that says it exists
    doc_date: dt.date | None = None
    status: KnownStatus = Field(default=KnownStatus.OUTSTANDING, sa_type=sa.String(16))
    status_reason: str | None = None
    produced_document_id: int | None = Field(default=None, foreign_key="document.id")
    privilege_entry_id: int | None = Field(default=None, foreign_key="privilege_entry.id")
    # Raised by every change of status: an action names the version it saw, and a write
    # over a newer one is refused (optimistic concurrency, service.actions).
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})


class KnownItem(KnownItemBase, table=True):
    __tablename__ = "known_item"

    id: int | None = Field(default=None, primary_key=True)


class KnownItemRead(KnownItemBase):
    id: int


class FindingDecision(SQLModel, table=True):
    """Staff promoted an inferred finding to a known item, or dismissed it with a reason."""

    __tablename__ = "finding_decision"
    __table_args__ = (UniqueConstraint("party_id", "document_id", "item_id"),)

    id: int | None = Field(default=None, primary_key=True)
    party_id: int = Field(foreign_key="party.id", index=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    item_id: int = Field(foreign_key="request_item.id", ondelete="CASCADE")
    decision: FindingDecisionKind = Field(sa_type=sa.String(16))
    reason: str | None = None
    known_item_id: int | None = Field(default=None, foreign_key="known_item.id")
    decided_at: dt.datetime
    actor: str = Field(max_length=120)
