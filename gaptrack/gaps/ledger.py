"""The status ledger: one row per party × request item, rolled up to each request.

Counting is SQL (responsive documents per item chain and party, one GROUP BY); deciding the
status is a small function of those counts, the gaps and the certifications, per item.

Item status, first rule that applies:

* produced documents and no document-level gap → ``produced``; with gaps → ``partially produced``;
* nothing produced: matching privilege-log entries and no other gap → ``withheld``; a
  certification of no responsive documents (or of completeness) → ``no responsive documents``;
* deadline passed: nothing at all produced for the letter and no reply → ``ignored``, else
  ``overdue``; otherwise ``requested``;
* then: a letter withdrawn by ``as_of`` → ``withdrawn`` (it asks for nothing); an item still
  open that a reply refused or objected to → ``refused`` (still owed).

A request rolls up to ``produced`` when every item is produced or has no responsive documents,
to ``partially produced`` when some documents came in, else to the most pressing item status.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.engine import Connection

from gaptrack.gaps import sql as t
from gaptrack.gaps.catalogue import Catalogue, GapResult, ItemInfo, PartyInfo
from gaptrack.gaps.kinds import DOCUMENT_GAPS
from gaptrack.gaps.ledger_facts import (
    Letter,
    Response,
    certified,
    document_counts,
    letters_in_scope,
    replied,
    responses,
)
from gaptrack.gaps.model import GapKind, ItemStatus, ItemStatusKind, RequestStatus
from gaptrack.gaps.scope import Scope

ROLL_UP_ORDER = [
    ItemStatusKind.IGNORED,
    ItemStatusKind.OVERDUE,
    ItemStatusKind.REFUSED,
    ItemStatusKind.WITHHELD,
    ItemStatusKind.REQUESTED,
]


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
    if set(statuses) == {ItemStatusKind.WITHDRAWN}:
        return ItemStatusKind.WITHDRAWN
    done = {ItemStatusKind.PRODUCED, ItemStatusKind.NO_RESPONSIVE, ItemStatusKind.WITHDRAWN}
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
    responses: dict[tuple[int, int | None], Response]


def _facts(
    connection: Connection, scope: Scope, result: GapResult, documents: dict[tuple[int, int], int]
) -> _Facts:
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
        documents,
        certified(connection, scope),
        gaps,
        known,
        later,
        responses(connection, scope),
    )


OPEN = {
    ItemStatusKind.REQUESTED,
    ItemStatusKind.PARTIAL,
    ItemStatusKind.OVERDUE,
    ItemStatusKind.IGNORED,
    ItemStatusKind.REFUSED,
}


def _answered(
    facts: _Facts, letter: Letter, owner: PartyInfo, info: ItemInfo,
    status: ItemStatusKind, reason: str,
) -> tuple[ItemStatusKind, str]:
    """A withdrawn letter asks for nothing; a refusal or objection marks what it names."""
    if letter.withdrawn_on is not None:
        why = f": {letter.withdrawn_reason}" if letter.withdrawn_reason else ""
        return ItemStatusKind.WITHDRAWN, f"letter withdrawn on {letter.withdrawn_on}{why}"
    response = facts.responses.get((letter.id, owner.id)) or facts.responses.get(
        (letter.id, None)
    )
    if (
        response is not None
        and status in OPEN
        and (not response.items or info.number in response.items)
    ):
        return ItemStatusKind.REFUSED, (
            f"{response.kind} in the reply of {response.date.isoformat()} by "
            f"{response.author}; {reason}"
        )
    return status, reason


def _item_row(
    facts: _Facts, owner: PartyInfo, letter: Letter, info: ItemInfo, *, untouched: bool,
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
    status, reason = _answered(facts, letter, owner, info, status, reason)
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
    letters, pairs = letters_in_scope(connection, scope)
    per_item, per_letter = document_counts(connection, scope, letters)
    facts = _facts(connection, scope, result, per_item)
    answered = replied(connection, scope)
    items_of = facts.catalogue.items_by_request()
    out: list[RequestStatus] = []
    for request_id, party_id in pairs:
        letter = letters[int(request_id)]
        owner = facts.catalogue.parties[int(party_id)]
        infos = items_of[letter.id]
        produced_any = any(facts.documents.get((i.id, owner.id), 0) for i in infos)
        untouched = not produced_any and not (
            (letter.id, owner.id) in answered or (letter.id, None) in answered
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
                minority=letter.minority,
                withdrawn_on=letter.withdrawn_on,
                documents_produced=per_letter.get((letter.id, owner.id), 0),
                known_total=sum(r.known_total for r in rows),
                known_produced=sum(r.known_produced for r in rows),
            )
        )
    out.sort(key=lambda s: (s.party, s.date_sent, s.request))
    return out


def catalogue_deadline(info: ItemInfo, letter: Letter) -> dt.date | None:
    """The item's own (staged) deadline, else the letter's."""
    return info.deadline if info.deadline is not None else letter.deadline
