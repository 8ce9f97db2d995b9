"""Paged read queries for the TUI: documents, letter chains, deadlines, pick lists.

Every function takes an ``Engine`` and returns plain read models. The paged document lists
are in :mod:`gaptrack.service.document_pages` and reached from here too (the faces' one
import for browsing).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from gaptrack.db import session_scope
from gaptrack.models import (
    CertificationKind,
    Committee,
    Event,
    ItemCertification,
    Party,
    PrivilegeEntry,
    Request,
    RequestItem,
    RequestRecipient,
)
from gaptrack.service.document_pages import (
    COUNT_CAP,
    PAGE_SIZE,
    BatesKey,
    DocumentDetail,
    DocumentPage,
    DocumentQuery,
    DocumentRow,
    DocumentSort,
    document_detail,
    document_page,
    documents_by_ids,
)

# SQLModel types table attributes as their Python values, which SQLAlchemy's typed select()
# overloads reject; these are Core selects of columns, so the call is typed loosely.
_select: Any = sa.select

__all__ = [
    "COUNT_CAP",
    "PAGE_SIZE",
    "BatesKey",
    "Choice",
    "DeadlineRow",
    "DocumentDetail",
    "DocumentPage",
    "DocumentQuery",
    "DocumentRow",
    "DocumentSort",
    "LetterNode",
    "PartyOverview",
    "committees",
    "deadlines",
    "document_detail",
    "document_page",
    "documents_by_ids",
    "event_count",
    "letter_chains",
    "parties",
    "party_overview",
    "privilege_entries",
    "request_items",
    "requests",
]


class Choice(BaseModel):
    """Something a person can jump to or pick: a slug and what to show."""

    slug: str
    label: str
    kind: str  # "party", "request", "committee", "known", "item", "privilege"
    detail: str = ""


def parties(engine: Engine) -> list[Choice]:
    with session_scope(engine) as session:
        rows = session.exec(select(Party).order_by(col(Party.name))).all()
        return [Choice(slug=p.slug, label=p.name, kind="party", detail=p.kind) for p in rows]


def requests(engine: Engine) -> list[Choice]:
    with session_scope(engine) as session:
        rows = session.execute(
            _select(Request.slug, Request.title, Committee.name, Request.date_sent)
            .join(Committee, col(Committee.id) == Request.committee_id)
            .order_by(col(Request.date_sent), col(Request.slug))
        ).all()
        return [
            Choice(slug=r[0], label=r[1], kind="request", detail=f"{r[2]}, {r[3].isoformat()}")
            for r in rows
        ]


def privilege_entries(engine: Engine, *, party: str) -> list[Choice]:
    with session_scope(engine) as session:
        rows = session.execute(
            _select(PrivilegeEntry.id, PrivilegeEntry.entry_no, PrivilegeEntry.privilege,
                      PrivilegeEntry.description)
            .join(Party, col(Party.id) == PrivilegeEntry.party_id)
            .where(col(Party.slug) == party)
            .order_by(col(PrivilegeEntry.id))
        ).all()
        return [
            Choice(slug=str(r[0]), label=f"entry {r[1]}: {r[2]}", kind="privilege",
                   detail=r[3] or "")
            for r in rows
        ]


# --- letter chains and deadlines -----------------------------------------------------------


class LetterNode(BaseModel):
    """One letter in a chain; ``children`` are the letters that follow it up."""

    slug: str
    committee: str
    committee_name: str
    kind: str
    title: str
    date_sent: dt.date
    deadline: dt.date | None
    parties: list[str]
    items: list[str]  # "2: All documents ..." (number and text)
    children: list[LetterNode] = []


def letter_chains(engine: Engine, *, committee: str | None = None) -> list[LetterNode]:
    """Every request as a forest: initial letters at the roots, follow-ups beneath them."""
    with session_scope(engine) as session:
        stmt = _select(
            Request.id, Request.slug, Committee.slug, Committee.name, Request.kind,
            Request.title, Request.date_sent, Request.deadline, Request.follows_up_id,
        ).join(Committee, col(Committee.id) == Request.committee_id)
        if committee:
            stmt = stmt.where(col(Committee.slug) == committee)
        letters = session.execute(stmt.order_by(col(Request.date_sent), col(Request.id))).all()
        recipients: dict[int, list[str]] = {}
        for request_id, slug in session.execute(
            _select(RequestRecipient.request_id, Party.slug)
            .join(Party, col(Party.id) == RequestRecipient.party_id)
            .order_by(col(Party.slug))
        ).all():
            recipients.setdefault(request_id, []).append(slug)
        items: dict[int, list[str]] = {}
        for request_id, number, text in session.execute(
            _select(RequestItem.request_id, RequestItem.number, RequestItem.text).order_by(
                col(RequestItem.request_id), col(RequestItem.position), col(RequestItem.id)
            )
        ).all():
            items.setdefault(request_id, []).append(f"{number}: {text}")
    nodes: dict[int, LetterNode] = {}
    parents: dict[int, int | None] = {}
    for r in letters:
        nodes[r[0]] = LetterNode(
            slug=r[1], committee=r[2], committee_name=r[3], kind=str(r[4]), title=r[5],
            date_sent=r[6], deadline=r[7], parties=recipients.get(r[0], []),
            items=items.get(r[0], []),
        )
        parents[r[0]] = r[8]
    roots: list[LetterNode] = []
    for request_id, node in nodes.items():
        parent = parents[request_id]
        if parent is not None and parent in nodes:
            nodes[parent].children.append(node)
        else:
            roots.append(node)
    return roots


class DeadlineRow(BaseModel):
    request: str
    committee: str
    party: str
    party_name: str
    items: str  # "all" or the item numbers with this staged deadline
    deadline: dt.date
    days_left: int  # negative: overdue by that many days
    overdue: bool  # passed, and the party has not certified every such item complete


def deadlines(engine: Engine, *, as_of: dt.date, party: str | None = None) -> list[DeadlineRow]:
    """Every deadline per recipient, overdue first (most overdue first), then soonest."""
    with session_scope(engine) as session:
        stmt = (
            _select(
                Request.id, Request.slug, Committee.slug, Request.deadline,
                Party.id, Party.slug, Party.name,
            )
            .join(Committee, col(Committee.id) == Request.committee_id)
            .join(RequestRecipient, col(RequestRecipient.request_id) == Request.id)
            .join(Party, col(Party.id) == RequestRecipient.party_id)
        )
        if party:
            stmt = stmt.where(col(Party.slug) == party)
        letters = session.execute(stmt).all()
        item_rows = session.execute(
            _select(RequestItem.id, RequestItem.request_id, RequestItem.number,
                      RequestItem.deadline)
            .order_by(col(RequestItem.position), col(RequestItem.id))
        ).all()
        certified = {
            (item_id, party_id)
            for item_id, party_id in session.execute(
                _select(ItemCertification.item_id, ItemCertification.party_id)
            ).all()
        }
        _ = CertificationKind  # both kinds close an item's deadline
    by_request: dict[int, list[tuple[int, str, dt.date | None]]] = {}
    for item_id, request_id, number, deadline in item_rows:
        by_request.setdefault(request_id, []).append((item_id, number, deadline))
    out: list[DeadlineRow] = []
    for request_id, slug, committee, letter_deadline, party_id, party_slug, party_name in letters:
        groups: dict[dt.date, list[tuple[int, str]]] = {}
        items = by_request.get(request_id, [])
        for item_id, number, deadline in items:
            due = deadline or letter_deadline
            if due is not None:
                groups.setdefault(due, []).append((item_id, number))
        if not items and letter_deadline is not None:
            groups[letter_deadline] = []
        for due, members in groups.items():
            open_items = [m for m in members if (m[0], party_id) not in certified]
            label = (
                "all"
                if len(members) == len(items)
                else ", ".join(number for _, number in members)
            )
            days = (due - as_of).days
            out.append(
                DeadlineRow(
                    request=slug, committee=committee, party=party_slug, party_name=party_name,
                    items=label, deadline=due, days_left=days,
                    overdue=days < 0 and (bool(open_items) or not members),
                )
            )
    out.sort(key=lambda r: (not r.overdue, r.deadline, r.party, r.request))
    return out


def event_count(engine: Engine) -> int:
    with session_scope(engine) as session:
        return int(session.execute(_select(sa.func.count(col(Event.id)))).scalar_one())


def committees(engine: Engine) -> list[Choice]:
    with session_scope(engine) as session:
        rows = session.exec(select(Committee).order_by(col(Committee.name))).all()
        return [Choice(slug=c.slug, label=c.name, kind="committee",
                       detail=c.thomas_id or "") for c in rows]


def request_items(engine: Engine, *, request: str) -> list[Choice]:
    """The numbered items of one letter (to pick which ones a follow-up renews)."""
    with session_scope(engine) as session:
        rows = session.execute(
            _select(RequestItem.number, RequestItem.text)
            .join(Request, col(Request.id) == RequestItem.request_id)
            .where(col(Request.slug) == request)
            .order_by(col(RequestItem.position), col(RequestItem.id))
        ).all()
        return [Choice(slug=f"{request}#{n}", label=n, kind="item", detail=t) for n, t in rows]


class PartyOverview(BaseModel):
    """What the main screen can show before the gap engine has run: who was asked, how
    often, the next deadline, and whether one has passed unanswered."""

    party: str
    name: str
    requests: int
    next_deadline: dt.date | None
    overdue: bool


def party_overview(engine: Engine, *, as_of: dt.date) -> list[PartyOverview]:
    """Every party asked to produce, by name; cheap (letters and items, never documents)."""
    rows = deadlines(engine, as_of=as_of)
    with session_scope(engine) as session:
        asked = session.execute(
            _select(
                Party.slug, Party.name,
                sa.func.count(sa.distinct(col(RequestRecipient.request_id))),
            )
            .join(RequestRecipient, col(RequestRecipient.party_id) == Party.id)
            .group_by(col(Party.slug), col(Party.name))
            .order_by(col(Party.name))
        ).all()
    out = []
    for slug, name, count in asked:
        mine = [r for r in rows if r.party == slug]
        upcoming = [r.deadline for r in mine if r.deadline >= as_of]
        out.append(
            PartyOverview(
                party=slug, name=name, requests=int(count),
                next_deadline=min(upcoming) if upcoming else None,
                overdue=any(r.overdue for r in mine),
            )
        )
    return out

