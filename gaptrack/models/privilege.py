"""Privilege-log entries: documents a party withheld, as the party logged them."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel, UniqueConstraint


class PrivilegeEntryBase(SQLModel):
    party_id: int = Field(foreign_key="party.id", index=True)
    production_id: int | None = Field(default=None, foreign_key="production.id", index=True)
    source_file_id: int | None = Field(
        default=None, foreign_key="source_file.id", index=True, ondelete="CASCADE"
    )
    entry_no: str = Field(max_length=64)  # the log's own number for the entry
    doc_date: dt.date | None = None
    author: str | None = None
    recipients: str | None = None
    description: str | None = None
    privilege: str = Field(max_length=200)  # "attorney-client", "work product", ...
    doc_type: str | None = Field(default=None, max_length=24)
    bates: str | None = Field(default=None, max_length=120)  # a withholding slip-sheet, if any
    item_id: int | None = Field(default=None, foreign_key="request_item.id", index=True)
    source_line: int | None = None


class PrivilegeEntry(PrivilegeEntryBase, table=True):
    __tablename__ = "privilege_entry"
    __table_args__ = (UniqueConstraint("party_id", "entry_no"),)

    id: int | None = Field(default=None, primary_key=True)


class PrivilegeEntryRead(PrivilegeEntryBase):
    id: int
