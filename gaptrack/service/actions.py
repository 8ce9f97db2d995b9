"""What a person does from a face: change a known item's status, note, follow up, undo
(:mod:`gaptrack.service.undo`, reached from here too).

Each action is one unit of work that changes the data *and* appends one event saying who, when,
what and why; the event carries enough (the fields before and after) to undo the change. Undo is
itself an event pointing at the one it reverses, so the log stays append-only.

Changes to a stored record are optimistic: the action names the version it saw (or takes the
one it reads) and writes only if the record still has it (a compare-and-set ``UPDATE``), so
two people, or two processes, can never silently overwrite each other; the later one gets a
:class:`~gaptrack.errors.StaleError` naming who changed it and when. Each event's "before" is
therefore the previous event's "after".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from gaptrack.bates import parse_bates
from gaptrack.db import session_scope
from gaptrack.errors import ConflictError, NotFoundError
from gaptrack.gaps.materialise import refresh_derived
from gaptrack.models import (
    Document,
    Event,
    KnownItem,
    KnownStatus,
    Party,
    PrivilegeEntry,
    Request,
    RequestItem,
    RequestKind,
    RequestRecipient,
    Signatory,
)
from gaptrack.service.action_base import (
    FOLLOW_UP,
    KNOWN_STATUS,
    NOTE,
    NOTE_ENTITIES,
    ActionResult,
    find_known,
    known_state,
    stale_error,
    write_known,
)
from gaptrack.service.events import record
from gaptrack.service.lookup import resolve, resolve_item
from gaptrack.service.undo import last_undoable as last_undoable
from gaptrack.service.undo import undo as undo
from gaptrack.service.undo import undo_last as undo_last
from gaptrack.service.view_store import after_write

# SQLModel types table attributes as their Python values, which SQLAlchemy's typed select()
# overloads reject; these are Core selects of columns, so the call is typed loosely.
_select: Any = sa.select

class FollowUpItem(BaseModel):
    number: str
    text: str
    renews: str | None = None  # "<request>#<number>" of the earlier item
    deadline: dt.date | None = None


def _party_document(session: Session, known: KnownItem, label: str) -> Document:
    try:
        bates = parse_bates(label)
    except ValueError as exc:
        raise NotFoundError(f"{label!r} is not a Bates number: {exc}") from exc
    doc = session.exec(
        select(Document).where(
            Document.bates_prefix == bates.prefix,
            col(Document.bates_begin) <= bates.number,
            col(Document.bates_end) >= bates.number,
        )
    ).first()
    if doc is None:
        raise NotFoundError(f"no produced document {label!r}")
    if doc.party_id != known.party_id:
        party = session.get(Party, known.party_id)
        name = party.name if party else "the party"
        raise ConflictError(
            f"{doc.begin_label} was produced by another party, not by {name}: "
            "a known item is produced only by the party's own document"
        )
    return doc


@after_write
def set_known_status(
    engine: Engine,
    known: str,
    status: KnownStatus,
    *,
    actor: str,
    reason: str | None = None,
    document: str | None = None,
    privilege_entry_id: int | None = None,
    version: int | None = None,
) -> ActionResult:
    """Mark a known item produced (with the party's matching document, by Bates label),
    withheld (optionally under a privilege-log entry), disputed, withdrawn or outstanding.

    ``version``: the known item's version the caller saw (``KnownItemRow.version``); a newer
    one refuses the change (:class:`StaleError`). None: the version read here."""
    with session_scope(engine) as session:
        item = find_known(session, known)
        seen = item.version if version is None else version
        if item.version != seen:
            raise stale_error(session, item)
        before = known_state(item)
        produced_id: int | None = None
        entry_id: int | None = None
        if status is KnownStatus.PRODUCED:
            if not document:
                raise ConflictError("say which of the party's documents is the produced copy")
            produced_id = _party_document(session, item, document).id
        if status is KnownStatus.WITHHELD and privilege_entry_id is not None:
            entry = session.get(PrivilegeEntry, privilege_entry_id)
            if entry is None or entry.party_id != item.party_id:
                raise NotFoundError("that privilege-log entry is not in this party's log")
            entry_id = entry.id
        write_known(session, item, seen, {
            "status": status, "status_reason": reason, "produced_document_id": produced_id,
            "privilege_entry_id": entry_id,
        })
        event = record(
            session,
            actor=actor,
            action=KNOWN_STATUS,
            entity="known_item",
            entity_id=item.id,
            key=item.slug,
            reason=reason,
            data={"before": before, "after": known_state(item)},
        )
        assert event.id is not None
        suffix = f" as {document}" if document and status is KnownStatus.PRODUCED else ""
        return ActionResult(
            event_id=event.id, action=KNOWN_STATUS, summary=f"{item.slug}: {status}{suffix}"
        )


@after_write
def add_note(engine: Engine, *, entity: str, key: str, text: str, actor: str) -> ActionResult:
    """A note on a party, request, item (``request#n``), known item or gap (its key)."""
    if entity not in NOTE_ENTITIES:
        raise NotFoundError(f"notes attach to {', '.join(sorted(NOTE_ENTITIES))}, not {entity!r}")
    if not text.strip():
        raise ConflictError("a note needs some text")
    with session_scope(engine) as session:
        entity_id = _note_target(session, entity, key)
        event = record(
            session, actor=actor, action=NOTE, entity=entity, entity_id=entity_id, key=key,
            reason=text.strip(),
        )
        assert event.id is not None
        return ActionResult(event_id=event.id, action=NOTE, summary=f"note added to {key}")


def _note_target(session: Session, entity: str, key: str) -> int | None:
    if entity == "party":
        return resolve(session, Party, key).id
    if entity == "request":
        return resolve(session, Request, key).id
    if entity == "request_item":
        return resolve_item(session, key).id
    if entity == "known_item":
        return find_known(session, key).id
    return None  # a gap is derived: its stable key is the reference


class Note(BaseModel):
    event_id: int
    at: dt.datetime
    actor: str
    text: str


def notes(engine: Engine, *, entity: str, key: str) -> list[Note]:
    """Notes on one thing, oldest first, leaving out notes that were undone."""
    return notes_on(engine, entity, [key]).get(key, [])


def notes_on(engine: Engine, entity: str, keys: list[str] | None = None) -> dict[str, list[Note]]:
    """Every note on things of one kind (``party``, ``known_item``, ``gap``, ...) by key, oldest
    first, leaving out notes that were undone; ``keys`` narrows to those things."""
    undone = _select(Event.undoes_id).where(col(Event.undoes_id).is_not(None))
    stmt = (
        select(Event)
        .where(Event.action == NOTE, Event.entity == entity)
        .where(col(Event.id).not_in(undone))
        .order_by(col(Event.at), col(Event.id))
    )
    if keys is not None:
        stmt = stmt.where(col(Event.entity_key).in_(keys or [""]))
    out: dict[str, list[Note]] = {}
    with session_scope(engine) as session:
        for e in session.exec(stmt).all():
            out.setdefault(e.entity_key or "", []).append(
                Note(event_id=e.id or 0, at=e.at, actor=e.actor, text=e.reason or "")
            )
    return out


def record_follow_up(
    engine: Engine,
    *,
    follows_up: str,
    party: str,
    items: list[FollowUpItem],
    deadline: dt.date,
    date_sent: dt.date,
    actor: str,
    reason: str | None = None,
    kind: RequestKind = RequestKind.FOLLOW_UP,
    title: str | None = None,
) -> ActionResult:
    """A new letter following up ``follows_up``, to ``party``, with its items and deadline;
    the signatories carry over from the earlier letter."""
    if not items:
        raise ConflictError("a follow-up letter needs at least one item")
    if deadline < date_sent:
        raise ConflictError(f"the deadline {deadline} is before the letter's date {date_sent}")
    with session_scope(engine) as session:
        parent = resolve(session, Request, follows_up)
        recipient = resolve(session, Party, party)
        slug = _free_slug(session, f"{parent.slug}-{kind}-{date_sent:%Y%m%d}")
        letter = Request(
            slug=slug,
            committee_id=parent.committee_id,
            kind=kind,
            title=title or f"{str(kind).capitalize()} to {recipient.name} ({parent.title})",
            date_sent=date_sent,
            deadline=deadline,
            follows_up_id=parent.id,
            summary=reason,
        )
        session.add(letter)
        session.flush()
        assert letter.id is not None
        session.add(RequestRecipient(request_id=letter.id, party_id=recipient.id or 0))
        _copy_signatories(session, parent.id, letter.id)
        _add_items(session, letter.id, items)
        session.flush()
        event = record(
            session,
            actor=actor,
            action=FOLLOW_UP,
            entity="request",
            entity_id=letter.id,
            key=slug,
            reason=reason,
            data={
                "follows_up": parent.slug,
                "party": recipient.slug,
                "deadline": deadline.isoformat(),
                "items": [i.model_dump(mode="json") for i in items],
            },
        )
        assert event.id is not None
        result = ActionResult(
            event_id=event.id,
            action=FOLLOW_UP,
            summary=f"{slug}: {len(items)} item(s) to {recipient.name}, due {deadline}",
        )
    refresh_derived(engine)  # new items and recipients: derived facts follow the write
    return result


def _copy_signatories(session: Session, parent_id: int | None, letter_id: int) -> None:
    """The earlier letter's signatories, in order, on the new one."""
    for signatory in session.exec(
        select(Signatory).where(Signatory.request_id == parent_id)
    ).all():
        session.add(
            Signatory(
                request_id=letter_id, position=signatory.position, name=signatory.name,
                role=signatory.role, bioguide_id=signatory.bioguide_id,
            )
        )


def _add_items(session: Session, letter_id: int, items: list[FollowUpItem]) -> None:
    """The new letter's items in order (a number may appear once)."""
    numbers: set[str] = set()
    for position, spec in enumerate(items):
        if spec.number in numbers:
            raise ConflictError(f"item number {spec.number!r} appears twice")
        numbers.add(spec.number)
        renews = resolve_item(session, spec.renews).id if spec.renews else None
        session.add(
            RequestItem(
                request_id=letter_id, number=spec.number, position=position, text=spec.text,
                deadline=spec.deadline, renews_item_id=renews,
            )
        )


def _free_slug(session: Session, base: str) -> str:
    slug, n = base[:60], 2
    while session.exec(select(Request.id).where(Request.slug == slug)).first() is not None:
        slug, n = f"{base[:57]}-{n}", n + 1
    return slug


# --- findings: service.finding_decisions owns them; one entry point for the faces ---------


def promote_finding(engine: Engine, gap_key: str, *, actor: str, reason: str | None = None) -> Any:
    from gaptrack.service import finding_decisions

    return finding_decisions.promote_finding(engine, gap_key, actor=actor, reason=reason)


def dismiss_finding(engine: Engine, gap_key: str, *, actor: str, reason: str) -> Any:
    from gaptrack.service import finding_decisions

    return finding_decisions.dismiss_finding(engine, gap_key, actor=actor, reason=reason)


