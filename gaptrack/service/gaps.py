"""The gap engine's service API: what the CLI and the TUI call.

Every function takes the engine and an explicit ``as_of`` date (never the clock) and returns
read models (:mod:`gaptrack.gaps.model`) or rendered text. Names typed by people (party,
committee, request) are resolved by slug, name or alias; unknown names raise ``NotFoundError``.

Reads are the case view's (:mod:`gaptrack.service.views`): one computation per scope and date,
shared by every face. Reads never refresh derived facts; the commands that write do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from gaptrack.collector import collector_paused
from gaptrack.errors import ConflictError, InputError, NotFoundError
from gaptrack.gaps import sql as t
from gaptrack.gaps.kinds import parse_kinds as parse_kinds
from gaptrack.gaps.model import Finding, Gap, GapKind, PartySummary, RequestStatus
from gaptrack.gaps.query_inferred import RANK_ROLE, ROLE_RANK
from gaptrack.gaps.scope import Scope
from gaptrack.gaps.thread_context import attach_thread_context
from gaptrack.models import (
    Committee,
    Document,
    DocumentParticipant,
    Event,
    FindingDecision,
    FindingDecisionKind,
    KnownBasis,
    KnownItem,
    Party,
    Request,
    RequestItem,
)
from gaptrack.service import view_store
from gaptrack.service.events import record, utcnow
from gaptrack.service.lookup import resolve, resolve_item
from gaptrack.service.view_store import after_write
from gaptrack.service.views import case_view as case_view

PROMOTE = "finding.promote"
DISMISS = "finding.dismiss"
THREAD_BATCH = 5000  # gaps whose thread context is read at a time (bounds the memory held)


class FindingResult(BaseModel):
    """What a promote / dismiss did (the faces show ``summary``)."""

    event_id: int
    action: str
    summary: str
    known_item: str | None = None


def _scope(
    engine: Engine,
    *,
    as_of: dt.date,
    party: str | None,
    committee: str | None,
    request: str | None,
) -> Scope:
    with Session(engine) as session:
        party_id = resolve(session, Party, party).id if party else None
        committee_id = resolve(session, Committee, committee).id if committee else None
        request_id = resolve(session, Request, request).id if request else None
    return Scope(
        as_of=as_of,
        dialect=engine.dialect.name,
        party_id=party_id,
        committee_id=committee_id,
        request_id=request_id,
    )


def find_gaps(
    engine: Engine,
    *,
    as_of: dt.date,
    party: str | None = None,
    committee: str | None = None,
    request: str | None = None,
    kinds: Iterable[GapKind | str] | None = None,
    thread: bool = True,
) -> list[Gap]:
    """Every gap as of ``as_of``, in a stable order (party, kind, request, item, date, key):
    the case view's gaps, with the thread around each missing email unless ``thread`` is
    false (a face that does not show it)."""
    gaps = case_view(
        engine, as_of=as_of, party=party, committee=committee, request=request, kinds=kinds
    ).gaps
    return attach_threads(engine, gaps) if thread else gaps


def attach_threads(engine: Engine, gaps: Sequence[Gap]) -> list[Gap]:
    """Fill ``evidence.thread`` of these gaps (in place; the view computes none, as only a
    gap's detail and ``gaps --format json`` show it), reading a batch of gaps at a time.

    The case view's gaps are shared by every face for the same data, so what is filled here
    is what the next face would read: the same for every caller.
    """
    # Tens of thousands of thread messages, none in a cycle: the collector walking them (and
    # the view they join) again and again took a third of the time at a million documents.
    with collector_paused(), engine.connect() as connection:
        for start in range(0, len(gaps), THREAD_BATCH):
            attach_thread_context(connection, gaps[start : start + THREAD_BATCH])
    return list(gaps)


def status_ledger(
    engine: Engine,
    *,
    as_of: dt.date,
    party: str | None = None,
    committee: str | None = None,
    request: str | None = None,
) -> list[RequestStatus]:
    """Per party × letter: each item's status with its reason, rolled up to the letter."""
    kept = view_store.stored_status(engine, as_of=as_of, party=party, committee=committee,
                                    request=request)
    if kept is not None:
        return view_store.ledger_of(kept)
    return case_view(
        engine, as_of=as_of, party=party, committee=committee, request=request
    ).ledger


def party_summaries(engine: Engine, *, as_of: dt.date) -> list[PartySummary]:
    """One line per party asked to produce (by ``as_of``), sorted by slug: the case view's."""
    kept = view_store.stored_parties(engine, as_of)
    if kept is not None:
        return [p.summary for p in kept if p.summary.requests]
    return case_view(engine, as_of=as_of).summaries


def has_gaps(
    engine: Engine,
    *,
    as_of: dt.date,
    party: str | None = None,
    committee: str | None = None,
    request: str | None = None,
    kinds: Iterable[GapKind | str] | None = None,
) -> bool:
    """Whether any gap is outstanding in this scope (``--check``)."""
    kept = view_store.stored_status(engine, as_of=as_of, party=party, committee=committee,
                                    request=request, kinds=kinds)
    if kept is not None:
        return any(p.summary.outstanding_gaps for p in kept)
    return bool(find_gaps(engine, as_of=as_of, party=party, committee=committee,
                          request=request, kinds=kinds, thread=False))


def status_report(
    engine: Engine,
    *,
    as_of: dt.date,
    fmt: str = "md",
    party: str | None = None,
    committee: str | None = None,
    request: str | None = None,
    kinds: Iterable[GapKind | str] | None = None,
) -> str:
    """The status ledger rendered (``table``, ``json``, ``csv``, ``md`` or ``html``), with the
    per-party line of the main screen; with ``kinds``, only the items with such gaps."""
    from gaptrack.reports.status import render_status

    kept = None
    if str(fmt).lower() != "html":  # the HTML report charts each party's progress: live
        kept = view_store.stored_status(engine, as_of=as_of, party=party, committee=committee,
                                        request=request, kinds=kinds)
    if kept is not None:
        summaries = [p.summary for p in kept if p.summary.requests]
        return render_status(view_store.ledger_of(kept), fmt, as_of=as_of, parties=summaries)
    view = case_view(
        engine, as_of=as_of, party=party, committee=committee, request=request, kinds=kinds
    )
    progress = []
    if str(fmt).lower() == "html":  # only the HTML report charts it
        from gaptrack.service.progress import party_progress

        progress = [party_progress(engine, p, as_of) for p in view.parties if p.summary.requests]
    return render_status(
        view.status_rows(), fmt, as_of=as_of, parties=view.summaries, progress=progress
    )


def gaps_report(
    engine: Engine,
    *,
    as_of: dt.date,
    fmt: str = "md",
    party: str | None = None,
    committee: str | None = None,
    request: str | None = None,
    kinds: Iterable[GapKind | str] | None = None,
) -> str:
    """The gaps rendered (``table``, ``json``, ``csv``, ``md`` or ``html``)."""
    from gaptrack.reports.gaps import render_gaps

    found = find_gaps(
        engine, as_of=as_of, party=party, committee=committee, request=request, kinds=kinds
    )
    filters = {
        "party": party,
        "committee": committee,
        "request": request,
        "kinds": sorted(str(k) for k in kinds) if kinds else None,
    }
    return render_gaps(found, fmt, as_of=as_of, filters=filters)


def draft_letter(
    engine: Engine,
    *,
    party: str,
    as_of: dt.date,
    request: str | None = None,
    fmt: str = "md",
    business_days: int = 10,
    bates_only: bool = False,
    committee: str | None = None,
    kinds: Iterable[GapKind | str] | None = None,
) -> str:
    """A deficiency letter as Markdown or HTML text (see :mod:`gaptrack.service.letter`),
    citing the gaps of the party's case view."""
    from gaptrack.service.letter import draft_letter as draft

    if fmt.lower() not in {"md", "markdown", "html"}:
        raise InputError(f"unknown letter format {fmt!r}; use md or html (docx: gaptrack letter)")
    text = draft(
        engine,
        party=party,
        as_of=as_of,
        fmt=fmt,
        committee=committee,
        request=request,
        kinds=tuple(str(k) for k in kinds or ()),
        business_days=business_days,
        bates_only=bates_only,
    )
    assert isinstance(text, str)
    return text


def findings(engine: Engine, *, as_of: dt.date, party: str | None = None) -> list[Finding]:
    """Every document of another party that a party is on (answering one of its items), or
    that a known item rests on, with the key that found the party's own copy (or ``none``)."""
    from gaptrack.gaps.findings import list_findings

    scope = _scope(engine, as_of=as_of, party=party, committee=None, request=None)
    with engine.connect() as connection:
        return list_findings(connection, scope)


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
