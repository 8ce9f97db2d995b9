"""The append-only event log. Every change a person makes goes through ``record``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session

from gaptrack.audit import seal
from gaptrack.models import Event


def utcnow() -> dt.datetime:
    """Aware UTC, whole seconds: the one place the event log reads the clock (gaps take
    ``as_of``). SQLModel's datetime columns refuse naive values."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str | None = None,
    entity_id: int | None = None,
    key: str | None = None,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
    undoes_id: int | None = None,
    at: dt.datetime | None = None,
) -> Event:
    event = Event(
        at=at or utcnow(),
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        entity_key=key,
        reason=reason,
        data=data,
        undoes_id=undoes_id,
    )
    session.add(event)
    session.flush()
    assert event.id is not None
    seal(session.connection(), [event.id])  # its place in the tamper-evident chain
    session.refresh(event)
    return event
