"""Undo: the newest undoable action of a person, or any by its event id, reversed as a new
event pointing at the one it reverses (the log stays append-only)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from gaptrack.db import session_scope
from gaptrack.errors import ConflictError, GaptrackError, NotFoundError
from gaptrack.gaps.materialise import refresh_derived
from gaptrack.models import (
    DocumentItem,
    Event,
    EventRead,
    ItemCertification,
    KnownItem,
    KnownStatus,
    ProductionRequest,
    Request,
    RequestItem,
    RequestRecipient,
    Signatory,
)
from gaptrack.service.action_base import (
    FOLLOW_UP,
    KNOWN_STATUS,
    UNDO,
    UNDOABLE,
    ActionResult,
    known_state,
    write_known,
)
from gaptrack.service.events import record

# SQLModel types table attributes as their Python values, which SQLAlchemy's typed select()
# overloads reject; these are Core selects of columns, so the call is typed loosely.
_select: Any = sa.select


def last_undoable(engine: Engine, *, actor: str) -> EventRead | None:
    """The newest event by ``actor`` that can be undone and has not been."""
    with session_scope(engine) as session:
        event = _last_undoable(session, actor)
        return EventRead.model_validate(event) if event is not None else None


def _last_undoable(session: Session, actor: str) -> Event | None:
    # Only the actor's own actions: undo never reverses a colleague's change (or a loaded
    # case's history) behind their back; ``undo`` by event id can, deliberately.
    undone = _select(Event.undoes_id).where(col(Event.undoes_id).is_not(None))
    return session.exec(
        select(Event)
        .where(col(Event.action).in_(sorted(UNDOABLE)), Event.actor == actor)
        .where(col(Event.id).not_in(undone))
        .order_by(col(Event.id).desc())
        .limit(1)
    ).first()


def undo_last(engine: Engine, *, actor: str, reason: str | None = None) -> ActionResult:
    with session_scope(engine) as session:
        event = _last_undoable(session, actor)
        if event is None:
            raise NotFoundError(f"{actor} has nothing to undo")
        result = _undo(session, event, actor=actor, reason=reason)
    refresh_derived(engine)
    return result


def undo(engine: Engine, event_id: int, *, actor: str, reason: str | None = None) -> ActionResult:
    with session_scope(engine) as session:
        event = session.get(Event, event_id)
        if event is None:
            raise NotFoundError(f"no event {event_id}")
        if event.action not in UNDOABLE:
            raise ConflictError(f"a {event.action!r} event cannot be undone")
        already = session.exec(select(Event.id).where(Event.undoes_id == event_id)).first()
        if already is not None:
            raise ConflictError(f"event {event_id} was already undone (by event {already})")
        result = _undo(session, event, actor=actor, reason=reason)
    refresh_derived(engine)
    return result


def _undo(session: Session, event: Event, *, actor: str, reason: str | None) -> ActionResult:
    if event.action == KNOWN_STATUS:
        _undo_known_status(session, event)
    elif event.action == FOLLOW_UP:
        _undo_follow_up(session, event)
    elif event.action in ("finding.promote", "finding.dismiss"):
        _undo_finding(session, event)
    # a note needs no data change: the undo event hides it
    data: dict[str, Any] = {"undone_action": event.action}
    if event.action == KNOWN_STATUS:  # the state chain goes on through the undo
        data.update(before=(event.data or {}).get("after"), after=(event.data or {}).get("before"))
    undo_event = record(
        session, actor=actor, action=UNDO, entity=event.entity, entity_id=event.entity_id,
        key=event.entity_key, reason=reason, undoes_id=event.id, data=data,
    )
    assert undo_event.id is not None
    return ActionResult(
        event_id=undo_event.id,
        action=UNDO,
        summary=f"undid {event.action} on {event.entity_key or event.entity}",
    )


def _undo_known_status(session: Session, event: Event) -> None:
    data = event.data or {}
    known = session.get(KnownItem, event.entity_id)
    if known is None:
        raise ConflictError(f"known item {event.entity_key!r} no longer exists")
    if known_state(known) != data.get("after"):
        raise ConflictError(
            f"{known.slug} has changed since event {event.id}; undo the later change first"
        )
    before = data["before"]
    write_known(session, known, known.version, {
        "status": KnownStatus(before["status"]), "status_reason": before["status_reason"],
        "produced_document_id": before["produced_document_id"],
        "privilege_entry_id": before["privilege_entry_id"],
    })


def _undo_follow_up(session: Session, event: Event) -> None:
    letter = session.get(Request, event.entity_id)
    if letter is None:
        raise ConflictError(f"letter {event.entity_key!r} no longer exists")
    item_ids = list(session.exec(select(RequestItem.id).where(RequestItem.request_id == letter.id)))
    blockers = [
        ("a later letter follows it up",
         select(Request.id).where(Request.follows_up_id == letter.id)),
        ("a production answers it",
         select(ProductionRequest.id).where(ProductionRequest.request_id == letter.id)),
        ("documents are tagged to its items",
         select(DocumentItem.id).where(col(DocumentItem.item_id).in_(item_ids))),
        ("known items cite its items",
         select(KnownItem.id).where(col(KnownItem.item_id).in_(item_ids))),
        ("a party certified its items",
         select(ItemCertification.id).where(col(ItemCertification.item_id).in_(item_ids))),
        ("later items renew its items",
         select(RequestItem.id).where(col(RequestItem.renews_item_id).in_(item_ids))),
    ]
    for why, stmt in blockers:
        if session.exec(stmt).first() is not None:
            raise ConflictError(f"cannot undo the letter {letter.slug}: {why}")
    for model in (RequestItem, RequestRecipient, Signatory):
        table: Any = model
        session.execute(sa.delete(table).where(table.request_id == letter.id))
    session.delete(letter)


def _undo_finding(session: Session, event: Event) -> None:
    from gaptrack.service.finding_decisions import undo_finding_decision as reverse

    try:
        reverse(session, event)
    except GaptrackError:
        raise
