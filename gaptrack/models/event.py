"""The append-only event log: who did what, when, and why."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import JSON, Field, Index, SQLModel


class EventBase(SQLModel):
    at: dt.datetime  # UTC (aware; SQLModel stores datetimes as UTC)
    actor: str = Field(max_length=120)
    action: str = Field(max_length=64)  # "load", "import", "known.status", "note", "undo"...
    entity: str | None = Field(default=None, max_length=64)  # table name
    entity_id: int | None = None
    entity_key: str | None = Field(default=None, max_length=200)  # slug or label, for people
    reason: str | None = None
    # Enough to undo the change: the fields before and after.
    data: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    undoes_id: int | None = Field(default=None, foreign_key="event.id")
    # The tamper-evident chain (gaptrack.audit): the event's place in it, the previous
    # event's hash and this one's: SHA-256 over the previous hash and this event's content.
    seq: int | None = Field(default=None, unique=True, index=True)
    prev_hash: str | None = Field(default=None, max_length=64)
    hash: str | None = Field(default=None, max_length=64)


class Event(EventBase, table=True):
    __table_args__ = (Index("ix_event_entity", "entity", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)


class EventRead(EventBase):
    id: int
