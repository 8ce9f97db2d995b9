"""Productions (what a party delivered on a date) and the source files they were loaded from."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Field, SQLModel, UniqueConstraint

from gaptrack.models.enums import SourceKind


class ProductionBase(SQLModel):
    slug: str = Field(max_length=64, unique=True, index=True)
    party_id: int = Field(foreign_key="party.id", index=True)
    volume: str = Field(max_length=120)
    date_received: dt.date
    bates_prefix: str | None = Field(default=None, max_length=64)
    bates_first: int | None = None
    bates_last: int | None = None
    page_count: int | None = None
    doc_count: int | None = None
    certified_complete: bool = False
    certification: str | None = None  # the certification text, as given
    load_format: str = Field(default="casefile", max_length=16)
    # DAT field names in file order, to compare volumes of a rolling production.
    field_names: list[str] | None = Field(default=None, sa_type=JSON)
    notes: str | None = None


class Production(ProductionBase, table=True):
    id: int | None = Field(default=None, primary_key=True)


class ProductionRead(ProductionBase):
    id: int


class ProductionRequest(SQLModel, table=True):
    """A production answers one or more request letters."""

    __tablename__ = "production_request"
    __table_args__ = (UniqueConstraint("production_id", "request_id"),)

    id: int | None = Field(default=None, primary_key=True)
    production_id: int = Field(foreign_key="production.id", index=True, ondelete="CASCADE")
    request_id: int = Field(foreign_key="request.id", index=True)


class SourceFile(SQLModel, table=True):
    """A file loaded into the database; its SHA-256 makes loads idempotent."""

    __tablename__ = "source_file"
    __table_args__ = (UniqueConstraint("sha256", "kind", "party_id"),)

    id: int | None = Field(default=None, primary_key=True)
    production_id: int | None = Field(
        default=None, foreign_key="production.id", index=True, ondelete="CASCADE"
    )
    party_id: int | None = Field(default=None, foreign_key="party.id", index=True)
    kind: SourceKind = Field(sa_type=sa.String(16))
    path: str = Field(max_length=1000)
    sha256: str = Field(max_length=64, index=True)
    size: int = 0
    encoding: str | None = Field(default=None, max_length=32)
    records: int = 0
    loaded_at: dt.datetime
    details: dict[str, Any] | None = Field(default=None, sa_type=JSON)  # e.g. the QC report
