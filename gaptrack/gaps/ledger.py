"""The status ledger: one row per party × request item, rolled up to each request.

Counting is SQL (responsive documents per item chain and party, one GROUP BY); deciding the
status is a small function of those counts, the gaps and the certifications, per item.

Item status, first rule that applies:

* produced documents and no document-level gap → ``produced``; with gaps → ``partially produced``;
* nothing produced: matching privilege-log entries and no other gap → ``withheld``; a
  certification of no responsive documents (or of completeness) → ``no responsive documents``;
* deadline passed: nothing at all produced for the letter and no reply → ``ignored``, else
  ``overdue``; otherwise ``requested``.

A request rolls up to ``produced`` when every item is produced or has no responsive documents,
to ``partially produced`` when some documents came in, else to the most pressing item status.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gaptrack.gaps import sql as t
from gaptrack.gaps.engine import Catalogue, GapResult, ItemInfo, PartyInfo
from gaptrack.gaps.kinds import DOCUMENT_GAPS
from gaptrack.gaps.model import GapKind, ItemStatus, ItemStatusKind, RequestStatus
from gaptrack.gaps.scope import (
    Scope,
    party_filter,
    received_by,
    renewal_chain,
    request_filters,
)

ROLL_UP_ORDER = [
    ItemStatusKind.IGNORED,
    ItemStatusKind.OVERDUE,
    ItemStatusKind.WITHHELD,
    ItemStatusKind.REQUESTED,
]


@dataclass(frozen=True, slots=True)
class _Letter:
    id: int
    slug: str
    title: str
    kind: str
    committee: str
    date_sent: dt.date
    deadline: dt.date | None
    follows_up: str | None


def _documents_per_item(connection: Connection, scope: Scope) -> dict[tuple[int, int], int]:
    chain = renewal_chain()
    di, d, pr, ri, rr, rq = (
        t.document_item,
        t.document,
        t.production,
        t.item,
        t.recipient,
        t.request,
    )
    source = (
        chain.join(di, di.c.item_id == chain.c.member_id)
        .join(d, d.c.id == di.c.document_id)
        .join(ri, ri.c.id == chain.c.item_id)
        .join(rq, rq.c.id == ri.c.request_id)
        .join(rr, sa.and_(rr.c.request_id == rq.c.id, rr.c.party_id == d.c.party_id))
    )
    if not scope.all_received:
        source = source.join(pr, pr.c.id == d.c.production_id)
    query = (
        sa.select(chain.c.item_id, d.c.party_id, sa.func.count(sa.distinct(d.c.id)))
        .select_from(source)
        .where(
            *request_filters(rq, scope),
            *party_filter(d.c.party_id, scope),
            *([] if scope.all_received else [received_by(pr, scope)]),
        )
        .group_by(chain.c.item_id, d.c.party_id)
    )
    return {(int(i), int(p)): int(n) for i, p, n in connection.execute(query)}


def _documents_per_letter(connection: Connection, scope: Scope) -> dict[tuple[int, int], int]:
    """Distinct documents per (letter, party): a document answering three items counts once."""
    chain = renewal_chain()
    di, d, pr, ri, rr, rq = (
        t.document_item, t.document, t.production, t.item, t.recipient, t.request
    )
    source = (
        chain.join(di, di.c.item_id == chain.c.member_id)
        .join(d, d.c.id == di.c.document_id)
        .join(ri, ri.c.id == chain.c.item_id)
        .join(rq, rq.c.id == ri.c.request_id)
        .join(rr, sa.and_(rr.c.request_id == rq.c.id, rr.c.party_id == d.c.party_id))
    )
    if not scope.all_received:
        source = source.join(pr, pr.c.id == d.c.production_id)
    query = (
        sa.select(rq.c.id, d.c.party_id, sa.func.count(sa.distinct(d.c.id)))
        .select_from(source)
        .where(
            *request_filters(rq, scope),
            *party_filter(d.c.party_id, scope),
            *([] if scope.all_received else [received_by(pr, scope)]),
        )
        .group_by(rq.c.id, d.c.party_id)
    )
    return {(int(r), int(p)): int(n) for r, p, n in connection.execute(query)}


def letters_in_scope(connection: Connection, scope: Scope) -> tuple[dict[int, _Letter], list[Any]]:
    rq, rr, cm = t.request, t.recipient, t.committee
    earlier = t.request.alias("earlier")
    rows = connection.execute(
        sa.select(
            rq.c.id,
            rq.c.slug,
            rq.c.title,
            rq.c.kind,
            cm.c.slug.label("committee"),
            rq.c.date_sent,
            rq.c.deadline,
            earlier.c.slug.label("follows_up"),
        )
        .select_from(
            rq.join(cm, cm.c.id == rq.c.committee_id).outerjoin(
                earlier, earlier.c.id == rq.c.follows_up_id
            )
        )
        .where(*request_filters(rq, scope))
    ).all()
    letters = {
        int(r.id): _Letter(
            int(r.id), r.slug, r.title, r.kind, r.committee, r.date_sent, r.deadline, r.follows_up
        )
        for r in rows
    }
    pairs = connection.execute(
        sa.select(rr.c.request_id, rr.c.party_id).where(
            rr.c.request_id.in_(list(letters) or [-1]), *party_filter(rr.c.party_id, scope)
        )
    ).all()
    return letters, list(pairs)


def _certified(connection: Connection, scope: Scope) -> set[tuple[int, int]]:
    ic = t.certification
    return {
        (int(i), int(p))
        for i, p in connection.execute(
            sa.select(ic.c.item_id, ic.c.party_id).where(ic.c.date <= scope.as_of)
        )
    }


def _replied(connection: Connection, scope: Scope) -> set[tuple[int, int | None]]:
    reply = t.reply
    return {
        (int(r), p)
        for r, p in connection.execute(
            sa.select(reply.c.request_id, reply.c.party_id).where(reply.c.date <= scope.as_of)
        )
    }


def _chain(info: ItemInfo, catalogue: Catalogue) -> list[ItemInfo]:
    """The item and every earlier item it renews, newest first."""
    found: list[ItemInfo] = []
    current: ItemInfo | None = info
    while current is not None and current not in found:
        found.append(current)
        current = catalogue.items.get(current.renews_item_id) if current.renews_item_id else None
    return found


def _history(info: ItemInfo, catalogue: Catalogue) -> list[str]:
    chain: list[str] = []
    current: ItemInfo | None = info
    seen: set[int] = set()
    while current is not None and current.id not in seen:
        seen.add(current.id)
        chain.append(f"{current.request}#{current.number}")
        current = catalogue.items.get(current.renews_item_id) if current.renews_item_id else None
    return list(reversed(chain))


def _item_status(
    *,
    documents: int,
    gaps: dict[GapKind, int],
    certified: bool,
    deadline: dt.date | None,
    as_of: dt.date,
    letter_untouched: bool,
) -> tuple[ItemStatusKind, str]:
    known = gaps.get(GapKind.KNOWN_NOT_PRODUCED, 0)
    inferred = gaps.get(GapKind.INFERRED, 0)
    outstanding = known + inferred
    withheld = gaps.get(GapKind.WITHHELD, 0)
    if documents:
        if outstanding or withheld:
            parts = [f"{documents} document(s) produced"]
            if known:
                parts.append(f"{known} known to exist and not produced")
            if inferred:
                parts.append(f"{inferred} inferred from other productions (unreviewed)")
            if withheld:
                parts.append(f"{withheld} withheld")
            return ItemStatusKind.PARTIAL, "; ".join(parts)
        return ItemStatusKind.PRODUCED, f"{documents} document(s) produced; no known gaps"
    if withheld and not outstanding:
        return ItemStatusKind.WITHHELD, f"nothing produced; {withheld} logged as privileged"
    extra = _known_and_inferred(known, inferred)
    if certified:
        return ItemStatusKind.NO_RESPONSIVE, f"certified: no responsive documents{extra}"
    if deadline is not None and deadline < as_of:
        days = (as_of - deadline).days
        if letter_untouched:
            return ItemStatusKind.IGNORED, (
                f"deadline {deadline.isoformat()} passed {days} days ago; "
                "nothing produced for the letter and no reply"
            )
        return ItemStatusKind.OVERDUE, (
            f"deadline {deadline.isoformat()} passed {days} days ago; nothing produced{extra}"
        )
    due = f"; due {deadline.isoformat()}" if deadline else ""
    return ItemStatusKind.REQUESTED, f"nothing produced yet{due}{extra}"


def _known_and_inferred(known: int, inferred: int) -> str:
    parts = ([f"{known} known to exist"] if known else []) + (
        [f"{inferred} inferred from other productions"] if inferred else []
    )
    return "".join(f"; {p}" for p in parts)


def _roll_up(statuses: list[ItemStatusKind]) -> ItemStatusKind:
    if not statuses:
        return ItemStatusKind.REQUESTED
    done = {ItemStatusKind.PRODUCED, ItemStatusKind.NO_RESPONSIVE}
    if set(statuses) <= done:
        return ItemStatusKind.PRODUCED
    if set(statuses) & {ItemStatusKind.PRODUCED, ItemStatusKind.PARTIAL}:
        return ItemStatusKind.PARTIAL
    for kind in ROLL_UP_ORDER:
        if kind in statuses:
            return kind
    return statuses[0]


@dataclass(slots=True)
class _Facts:
    """What the ledger is decided from, read once per computation."""

    catalogue: Catalogue
    documents: dict[tuple[int, int], int]
    certified: set[tuple[int, int]]
    gaps: dict[tuple[str, str, str], dict[GapKind, int]]
    known: dict[tuple[int, int], list[bool]]
    renewed_by: dict[int, str]


def _facts(connection: Connection, scope: Scope, result: GapResult) -> _Facts:
    catalogue = result.catalogue or Catalogue.load(connection)
    gaps: dict[tuple[str, str, str], dict[GapKind, int]] = defaultdict(lambda: defaultdict(int))
    for gap in result.gaps:
        if gap.kind in DOCUMENT_GAPS and gap.request and gap.item:
            gaps[(gap.party, gap.request, gap.item)][gap.kind] += 1
    known: dict[tuple[int, int], list[bool]] = defaultdict(list)
    for state in result.known:
        if state.item_id is not None:
            known[(state.party_id, state.item_id)].append(state.produced)
    later: dict[int, str] = {}
    for info in sorted(catalogue.items.values(), key=lambda i: (i.date_sent, i.request)):
        if info.renews_item_id is not None and info.date_sent <= scope.as_of:
            later.setdefault(info.renews_item_id, f"{info.request}#{info.number}")
    return _Facts(
        catalogue,
        _documents_per_item(connection, scope),
        _certified(connection, scope),
        gaps,
        known,
        later,
    )


OPEN = {
    ItemStatusKind.REQUESTED,
    ItemStatusKind.PARTIAL,
    ItemStatusKind.OVERDUE,
    ItemStatusKind.IGNORED,
}


def _item_row(
    facts: _Facts, owner: PartyInfo, letter: _Letter, info: ItemInfo, *, untouched: bool,
    as_of: dt.date,
) -> ItemStatus:
    count = facts.documents.get((info.id, owner.id), 0)
    # Gaps and known items of earlier items this one renews carry over to it.
    chain = _chain(info, facts.catalogue)
    item_gaps: dict[GapKind, int] = defaultdict(int)
    for member in chain:
        for kind, n in facts.gaps.get((owner.slug, member.request, member.number), {}).items():
            item_gaps[kind] += n
    deadline = catalogue_deadline(info, letter)
    status, reason = _item_status(
        documents=count,
        gaps=item_gaps,
        certified=(info.id, owner.id) in facts.certified,
        deadline=deadline,
        as_of=as_of,
        letter_untouched=untouched,
    )
    states = [flag for member in chain for flag in facts.known.get((owner.id, member.id), [])]
    renewed_by = facts.renewed_by.get(info.id)
    if renewed_by:
        reason += f"; renewed by {renewed_by}"
    first = chain[-1]
    since = first.date_sent if status in OPEN else None
    if since is not None and first.id != info.id:
        reason += f"; outstanding since {first.request}#{first.number} of {since.isoformat()}"
    return ItemStatus(
        party=owner.slug,
        request=letter.slug,
        item=info.number,
        text=info.text,
        deadline=deadline,
        status=status,
        reason=reason,
        documents_produced=count,
        known_total=len(states),
        known_produced=sum(states),
        gaps=sum(item_gaps.values()),
        history=_history(info, facts.catalogue),
        outstanding_since=since,
    )


def build_ledger(connection: Connection, scope: Scope, result: GapResult) -> list[RequestStatus]:
    """Every (party, letter) in scope with its items' statuses, sorted by party then date."""
    t.tune(connection)
    facts = _facts(connection, scope, result)
    letters, pairs = letters_in_scope(connection, scope)
    replied = _replied(connection, scope)
    per_letter = _documents_per_letter(connection, scope)
    items_of = facts.catalogue.items_by_request()
    out: list[RequestStatus] = []
    for request_id, party_id in pairs:
        letter = letters[int(request_id)]
        owner = facts.catalogue.parties[int(party_id)]
        infos = items_of[letter.id]
        produced_any = any(facts.documents.get((i.id, owner.id), 0) for i in infos)
        untouched = not produced_any and not (
            (letter.id, owner.id) in replied or (letter.id, None) in replied
        )
        untouched = untouched and not any((i.id, owner.id) in facts.certified for i in infos)
        rows = [
            _item_row(facts, owner, letter, info, untouched=untouched, as_of=scope.as_of)
            for info in infos
        ]
        out.append(
            RequestStatus(
                party=owner.slug,
                party_name=owner.name,
                committee=letter.committee,
                request=letter.slug,
                title=letter.title,
                kind=letter.kind,
                date_sent=letter.date_sent,
                deadline=letter.deadline,
                follows_up=letter.follows_up,
                status=_roll_up([r.status for r in rows]),
                items=rows,
                documents_produced=per_letter.get((letter.id, owner.id), 0),
                known_total=sum(r.known_total for r in rows),
                known_produced=sum(r.known_produced for r in rows),
            )
        )
    out.sort(key=lambda s: (s.party, s.date_sent, s.request))
    return out


def catalogue_deadline(info: ItemInfo, letter: _Letter) -> dt.date | None:
    """The item's own (staged) deadline, else the letter's."""
    return info.deadline if info.deadline is not None else letter.deadline
