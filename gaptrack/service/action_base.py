"""What a person's actions and their undo share: the action names, the result a face shows,
and a known item's stored state with its compare-and-set write."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Session, col, select

from gaptrack.errors import NotFoundError, StaleError
from gaptrack.models import (
    Event,
    KnownItem,
)

NOTE = "note"
KNOWN_STATUS = "known.status"
FOLLOW_UP = "request.follow-up"
UNDO = "undo"
# Actions (some recorded by other modules) that service.undo knows how to reverse.
UNDOABLE = {NOTE, KNOWN_STATUS, FOLLOW_UP, "finding.promote", "finding.dismiss"}
NOTE_ENTITIES = {"party", "request", "request_item", "known_item", "gap"}


class ActionResult(BaseModel):
    event_id: int
    action: str
    summary: str  # one line for a notification


def find_known(session: Session, slug: str) -> KnownItem:
    known = session.exec(select(KnownItem).where(KnownItem.slug == slug)).first()
    if known is None:
        raise NotFoundError(f"unknown known item {slug!r}")
    return known


def known_state(known: KnownItem) -> dict[str, Any]:
    return {
        "status": str(known.status),
        "status_reason": known.status_reason,
        "produced_document_id": known.produced_document_id,
        "privilege_entry_id": known.privilege_entry_id,
    }


def stale_error(session: Session, item: KnownItem) -> StaleError:
    """The refusal of a write over a newer version, naming the change the writer missed."""
    last = session.exec(
        select(Event).where(Event.entity == "known_item", Event.entity_id == item.id)
        .order_by(col(Event.id).desc()).limit(1)
    ).first()
    who = f" by {last.actor} at {last.at:%Y-%m-%d %H:%M:%S} UTC" if last is not None else ""
    return StaleError(f"{item.slug} was changed{who} — reload and try again")


def write_known(session: Session, item: KnownItem, seen: int, values: dict[str, Any]) -> None:
    """Store ``values`` on ``item`` only if it is still at version ``seen`` (compare-and-set:
    atomic on both backends); otherwise refuse with who changed it."""
    table: Any = KnownItem.__table__  # type: ignore[attr-defined]
    done = session.execute(
        sa.update(table).where(table.c.id == item.id, table.c.version == seen)
        .values(**values, version=seen + 1)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise stale_error(session, item)
    session.expire(item)
