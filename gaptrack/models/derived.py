"""Facts the gap engine derives and keeps, so its queries need not rescan the corpus.

Rebuilt by :func:`gaptrack.gaps.materialise.refresh_derived`; never edited by hand.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import JSON, Field, Index, SQLModel, UniqueConstraint


class InferredCandidate(SQLModel, table=True):
    """Party P is on a document another party produced, and it answers an item asked of P.

    The document's matching keys are copied here so the search for P's own copy is a
    narrow-table scan plus index probes, never a walk through the wide ``document`` rows.
    """

    __tablename__ = "inferred_candidate"
    __table_args__ = (
        UniqueConstraint("party_id", "document_id", "item_id"),
        Index("ix_inferred_candidate_item", "item_id", "party_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    party_id: int = Field(foreign_key="party.id", ondelete="CASCADE")
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    item_id: int = Field(foreign_key="request_item.id", ondelete="CASCADE")
    producer_id: int = Field(foreign_key="party.id")
    role_rank: int  # P's most telling role on it (1 forwarded ... 6 quoted)
    received: dt.date  # when the other party's production arrived (for as_of)
    mih: str | None = Field(default=None, max_length=32)
    body_hash: str | None = Field(default=None, max_length=64)
    fingerprint: str | None = Field(default=None, max_length=64)
    date_sent: dt.datetime | None = None
    # P's own copy, once one is found (a shortcut: a copy received by ``as_of`` settles it;
    # otherwise the gap query probes live). Which key found it, for the audit view.
    copy_document_id: int | None = Field(
        default=None, foreign_key="document.id", ondelete="SET NULL"
    )
    copy_key: str | None = Field(default=None, max_length=16)
    copy_received: dt.date | None = None


class LostReference(SQLModel, table=True):
    """A Message-ID a produced email replies to or quotes that was, for a while or for good,
    produced by nobody: no document with its MIH arrived before the referring one did.

    ``answered_on`` is when the first document with that MIH arrived (NULL: none yet), so the
    reference is unanswered as of any date before it; a reference answered no later than its
    referring email arrived is never lost and has no row. Kept by
    :mod:`gaptrack.gaps.lost_references`; read by the referenced-unproduced query.
    """

    __tablename__ = "lost_reference"
    __table_args__ = (Index("ix_lost_reference_mih", "mih"),)

    document_id: int = Field(foreign_key="document.id", primary_key=True, ondelete="CASCADE")
    mih: str = Field(max_length=32, primary_key=True)
    message_id: str = Field(max_length=1000)  # the lowest of the Message-IDs with this MIH
    answered_on: dt.date | None = None


class CoverageCount(SQLModel, table=True):
    """Documents per (party P, producing party, production, custodian, day): P's own
    documents (``subject_party_id == producer_party_id``, per custodian) and the documents
    other parties produced that P is on (custodian ``""``), so coverage of a party is a
    range read, not a scan of its documents and participants (:mod:`gaptrack.coverage`).

    Kept by :mod:`gaptrack.gaps.coverage_counts`; a production's rows go with it.
    """

    __tablename__ = "coverage_count"

    subject_party_id: int = Field(primary_key=True)
    producer_party_id: int = Field(primary_key=True)
    production_id: int = Field(
        foreign_key="production.id", primary_key=True, index=True, ondelete="CASCADE"
    )
    custodian: str = Field(primary_key=True, max_length=300)  # "" when none (or others')
    day: dt.date = Field(primary_key=True)  # sent, else created (UTC)
    documents: int


class DerivedState(SQLModel, table=True):
    """Where a derivation got to (a watermark and a signature of its inputs), by name.

    Kept out of the event log on purpose: it records no one's decision, only work done.
    """

    __tablename__ = "derived_state"

    name: str = Field(primary_key=True, max_length=64)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    updated_at: dt.datetime
