"""Decisions on inferred findings: promote one to a known item, or dismiss it. A decision is
on the email (any copy of it) and the party, whichever item it was reported under, so it
holds across renewed items and later imports; each is an event that ``undo`` reverses."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from gaptrack.errors import ConflictError, InputError, NotFoundError
from gaptrack.gaps import sql as t
from gaptrack.gaps.model import GapKind
from gaptrack.gaps.query_inferred import RANK_ROLE, ROLE_RANK
from gaptrack.models import (
    Document,
    DocumentParticipant,
    Event,
    FindingDecision,
    FindingDecisionKind,
    KnownBasis,
    KnownItem,
    Party,
    RequestItem,
)
from gaptrack.service.events import record, utcnow
from gaptrack.service.lookup import resolve, resolve_item
from gaptrack.service.view_store import after_write

PROMOTE = "finding.promote"
DISMISS = "finding.dismiss"


class FindingResult(BaseModel):
    """What a promote / dismiss did (the faces show ``summary``)."""

    event_id: int
    action: str
    summary: str
    known_item: str | None = None



# --- findings: promote to a known item, or dismiss ------------------------------------------


def _finding(session: Session, gap_key: str) -> tuple[Party, RequestItem, Document]:
    """``inferred:<party>:<request>#<item>:<bates>`` to its rows."""
    parts = gap_key.split(":", 3)
    if len(parts) != 4 or parts[0] != GapKind.INFERRED.value:
        raise InputError(
            f"{gap_key!r} is not an inferred finding "
            "(expected inferred:<party>:<request>#<item>:<bates>)"
        )
    _, party_text, item_ref, bates = parts
    owner = resolve(session, Party, party_text)
    item = resolve_item(session, item_ref)
    document = session.exec(
        select(Document).where(Document.begin_label == bates, Document.party_id != owner.id)
    ).first()
    if document is None:
        raise NotFoundError(f"no document {bates!r} produced by another party")
    return owner, item, document


def _decided(session: Session, owner: Party, document: Document) -> None:
    """A decision is on the email and the party, not on one item: one per document."""
    existing = session.exec(
        select(FindingDecision).where(
            FindingDecision.party_id == owner.id,
            FindingDecision.document_id == document.id,
        )
    ).first()
    if existing is not None:
        raise ConflictError(
            f"this finding was already {existing.decision} by {existing.actor}"
            + (f": {existing.reason}" if existing.reason else "")
        )


def _decide(
    session: Session,
    finding: tuple[Party, RequestItem, Document],
    kind: FindingDecisionKind,
    *,
    actor: str,
    reason: str | None,
    gap_key: str,
    known: KnownItem | None = None,
) -> Event:
    """Store the decision on a finding and the event that records (and can undo) it."""
    owner, item, document = finding
    decision = FindingDecision(
        party_id=owner.id,  # type: ignore[arg-type]
        document_id=document.id,  # type: ignore[arg-type]
        item_id=item.id,  # type: ignore[arg-type]
        decision=kind,
        reason=reason,
        known_item_id=known.id if known else None,
        decided_at=utcnow(),
        actor=actor,
    )
    session.add(decision)
    session.flush()
    data: dict[str, Any] = {"decision_id": decision.id}
    if known is not None:
        data |= {"known_item_id": known.id, "known_item": known.slug}
    return record(
        session,
        actor=actor,
        action=PROMOTE if kind is FindingDecisionKind.PROMOTED else DISMISS,
        entity="finding_decision",
        entity_id=decision.id,
        key=gap_key,
        reason=reason,
        data=data,
    )


def _role(session: Session, owner: Party, document: Document) -> str | None:
    roles = session.exec(
        select(DocumentParticipant.role).where(
            DocumentParticipant.document_id == document.id,
            DocumentParticipant.party_id == owner.id,
        )
    ).all()
    ranks = [ROLE_RANK.get(str(r), 9) for r in roles]
    return RANK_ROLE.get(min(ranks)) if ranks else None


@after_write
def promote_finding(
    engine: Engine, gap_key: str, *, actor: str, reason: str | None = None
) -> FindingResult:
    """Make an inferred finding a known item (basis: the other party's document)."""
    with Session(engine, expire_on_commit=False) as session:
        owner, item, document = _finding(session, gap_key)
        _decided(session, owner, document)
        slug = _free_known_slug(session, f"{owner.slug}-{document.begin_label.lower()}")
        known = KnownItem(
            slug=slug,
            party_id=owner.id,  # type: ignore[arg-type]
            item_id=item.id,
            description=document.subject or document.title or document.begin_label,
            basis=KnownBasis.OTHER_PRODUCTION,
            basis_document_id=document.id,
            basis_role=_role(session, owner, document),  # type: ignore[arg-type]
            doc_date=document.date_sent.date() if document.date_sent else None,
            citation=reason,
        )
        session.add(known)
        session.flush()
        event = _decide(
            session,
            (owner, item, document),
            FindingDecisionKind.PROMOTED,
            actor=actor,
            reason=reason,
            gap_key=gap_key,
            known=known,
        )
        session.commit()
        return FindingResult(
            event_id=int(event.id or 0),
            action=PROMOTE,
            summary=f"{document.begin_label} is now known item {slug} of {owner.name}",
            known_item=slug,
        )


def _free_known_slug(session: Session, base: str) -> str:
    slug, n = base[:110], 2
    while session.exec(select(KnownItem.id).where(KnownItem.slug == slug)).first() is not None:
        slug, n = f"{base[:105]}-{n}", n + 1
    return slug


@after_write
def dismiss_finding(engine: Engine, gap_key: str, *, actor: str, reason: str) -> FindingResult:
    """Dismiss an inferred finding with a reason; it never shows again (unless undone)."""
    if not reason or not reason.strip():
        raise InputError("dismissing a finding needs a reason")
    with Session(engine, expire_on_commit=False) as session:
        owner, item, document = _finding(session, gap_key)
        _decided(session, owner, document)
        event = _decide(
            session,
            (owner, item, document),
            FindingDecisionKind.DISMISSED,
            actor=actor,
            reason=reason,
            gap_key=gap_key,
        )
        session.commit()
        return FindingResult(
            event_id=int(event.id or 0),
            action=DISMISS,
            summary=f"dismissed {document.begin_label} for {owner.name}: {reason}",
        )


def undo_finding_decision(session: Session, event: Event) -> None:
    """Reverse a promote / dismiss event inside the caller's unit of work."""
    data: dict[str, Any] = event.data or {}
    decision_id = data.get("decision_id")
    if decision_id is None:
        raise ConflictError(f"event {event.id} does not name the decision it made")
    session.execute(sa.delete(t.decision).where(t.decision.c.id == int(decision_id)))
    known_id = data.get("known_item_id")
    if known_id is not None:
        session.execute(sa.delete(t.known).where(t.known.c.id == int(known_id)))
