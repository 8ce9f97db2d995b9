"""Produced documents and what is derived from them: participants, references, responsiveness.

Bates numbers are stored as prefix + integer (+ suffix) because a prefix that ends in a digit
makes splitting a label ambiguous; the label as printed is kept for display.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, Index, SQLModel, UniqueConstraint

from gaptrack.models.enums import DocType, ParticipantRole, Responsiveness


class DocumentBase(SQLModel):
    production_id: int = Field(foreign_key="production.id", ondelete="CASCADE")
    party_id: int = Field(foreign_key="party.id")  # the producing party (denormalised for joins)
    bates_prefix: str = Field(max_length=64)
    bates_begin: int = Field(sa_type=sa.BigInteger)
    bates_end: int = Field(sa_type=sa.BigInteger)
    bates_suffix: str = Field(default="", max_length=32)
    begin_label: str = Field(max_length=120)  # "KUSHNER-0000123" as printed
    end_label: str = Field(max_length=120)
    parent_id: int | None = Field(default=None, foreign_key="document.id")
    custodian: str | None = Field(default=None, max_length=300)
    doc_type: DocType = Field(default=DocType.OTHER, sa_type=sa.String(24))
    title: str | None = None
    date_sent: dt.datetime | None = None  # UTC
    date_created: dt.datetime | None = None
    sender: str | None = None  # raw From, as produced
    recipients: str | None = None  # raw To
    cc: str | None = None
    bcc: str | None = None
    subject: str | None = None
    subject_norm: str | None = Field(default=None, max_length=1000)  # RE:/FW:/Fwd: stripped
    message_id: str | None = Field(default=None, max_length=1000)
    # Outlook's Thread-Index (base64) as produced: its length tells the reply depth.
    thread_index: str | None = Field(default=None, max_length=400)
    mih: str | None = Field(default=None, max_length=32)  # EDRM MIH: md5 of <message-id>
    md5: str | None = Field(default=None, max_length=32)  # file hash as produced
    sha1: str | None = Field(default=None, max_length=40)
    body_hash: str | None = Field(default=None, max_length=64)  # sha256 of normalised text
    # sha256 of normalised sender | sorted recipients | subject_norm; matched with date_sent
    # inside a tolerance.
    fingerprint: str | None = Field(default=None, max_length=64)
    page_count: int | None = None
    text: str | None = None
    text_path: str | None = Field(default=None, max_length=1000)
    native_path: str | None = Field(default=None, max_length=1000)
    source_line: int | None = None  # line (or message number) in the source file


def _present(column: str, *, postgresql: bool = False) -> dict[str, Any]:
    """A partial index over the rows that have ``column`` (SQLite; PostgreSQL too if
    ``postgresql``).

    Matching keys, family parents and participant parties are missing from many rows (an
    attachment has no Message-ID, most participants belong to no known party). Every lookup
    through these indexes compares the column with ``=``, which SQLite knows implies IS NOT
    NULL, so leaving those rows out changes no answer; it makes the indexes a fraction of
    the size, and a large import, which rebuilds them (importers.indexes.DEFERRABLE_INDEXES),
    that much faster. PostgreSQL keeps whole indexes — it maintains them row by row, and
    an entry for a row with a key is as dear as one without — except where the rows without
    are most rows of a large load: participants of no known party.
    """
    where = sa.text(f"{column} IS NOT NULL")
    return {"sqlite_where": where, **({"postgresql_where": where} if postgresql else {})}


class Document(DocumentBase, table=True):
    __table_args__ = (
        UniqueConstraint("bates_prefix", "bates_begin", "bates_suffix", name="uq_document_bates"),
        Index("ix_document_production_bates", "production_id", "bates_begin"),
        Index("ix_document_mih_party", "mih", "party_id", **_present("mih")),
        Index(
            "ix_document_fingerprint_party", "fingerprint", "party_id", "date_sent",
            **_present("fingerprint"),
        ),
        Index("ix_document_body_hash_party", "body_hash", "party_id", **_present("body_hash")),
        Index("ix_document_party_bates", "party_id", "bates_prefix", "bates_begin"),
        Index("ix_document_parent_id", "parent_id", **_present("parent_id")),
        # Threads start from the emails with an Outlook Thread-Index (threads.graph).
        Index("ix_document_thread_index", "thread_index", **_present("thread_index")),
        # Privilege-log entries are matched to produced emails by subject (gaps.query_waiver):
        # a probe per subject instead of a scan of every document. A hash index on
        # PostgreSQL: a B-tree entry cannot hold a 1,000-character subject in every script.
        Index("ix_document_subject_norm", "subject_norm", postgresql_using="hash",
              **_present("subject_norm")),
    )

    id: int | None = Field(default=None, primary_key=True)


class DocumentRead(DocumentBase):
    id: int


class DocumentParticipant(SQLModel, table=True):
    """Someone on a document, and how: sender, to, cc, bcc, forwarded it, or quoted in it."""

    __tablename__ = "document_participant"
    __table_args__ = (
        # Only participants linked to a known party: the few the gap engine asks for by party.
        Index(
            "ix_participant_party_role", "party_id", "role", "document_id",
            **_present("party_id", postgresql=True),
        ),
        # "Is party P on document D, and how?": the gap engine's per-candidate probe. It also
        # serves every lookup by document alone (and the cascade on delete), so document_id
        # has no index of its own; nothing looks participants up by address, so neither has
        # that (each would cost a sort of millions of rows on every large import).
        Index("ix_participant_document_party", "document_id", "party_id", "role"),
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", ondelete="CASCADE")
    role: ParticipantRole = Field(sa_type=sa.String(16))
    address: str | None = Field(default=None, max_length=320)  # lower-cased email address
    name: str | None = Field(default=None, max_length=300)  # display name, as written
    name_norm: str | None = Field(default=None, max_length=300)
    party_id: int | None = Field(default=None, foreign_key="party.id")  # resolved, if known


class DocumentReference(SQLModel, table=True):
    """A Message-ID that a document replies to or quotes (In-Reply-To / References)."""

    __tablename__ = "document_reference"
    __table_args__ = (Index("ix_reference_mih", "mih"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    message_id: str = Field(max_length=1000)
    mih: str = Field(max_length=32)


class DocumentItem(SQLModel, table=True):
    """The document answers a request item."""

    __tablename__ = "document_item"
    __table_args__ = (
        UniqueConstraint("document_id", "item_id"),
        Index("ix_document_item_item", "item_id", "document_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", ondelete="CASCADE")
    item_id: int = Field(foreign_key="request_item.id", ondelete="CASCADE")
    source: Responsiveness = Field(default=Responsiveness.TAGGED, sa_type=sa.String(16))
