"""Threads for one party, for every face: each message with who produced it, who was on it,
and the parties on it whose productions lack it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from gaptrack.collector import collector_paused
from gaptrack.models import Party
from gaptrack.models.enums import ParticipantRole
from gaptrack.service.lookup import resolve
from gaptrack.threads import Message, Shown, Thread, build_threads
from gaptrack.threads.graph import fetch_rows

BATCH = 5_000


# Plain slotted dataclasses, not pydantic models: a run over every thread builds one per
# message and per copy (tens of thousands), and validating them cost more than the build.
@dataclass(slots=True)
class Copy:
    party: str
    bates: str


@dataclass(slots=True)
class MessageView:
    key: str
    parent: str | None
    depth: int
    ghost: bool  # produced by nobody, known to have existed
    # How: "reference" (a reply names it), "thread-index" (reply depth) or "quoted".
    ghost_basis: str
    date: dt.datetime | None
    subject: str | None
    sender: str | None
    copies: list[Copy]  # who produced it, with their Bates numbers
    # Parties on it (for a message nobody produced: who replied to or forwarded it, and the
    # people a quote of it names).
    on_it: list[str]
    lacking: list[str]  # parties on it whose productions lack it
    referenced_by: list[str]  # Bates of the documents citing it

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key, "parent": self.parent, "depth": self.depth, "ghost": self.ghost,
            "ghost_basis": self.ghost_basis,
            "date": self.date.isoformat() if self.date is not None else None,
            "subject": self.subject, "sender": self.sender,
            "copies": [{"party": c.party, "bates": c.bates} for c in self.copies],
            "on_it": list(self.on_it), "lacking": list(self.lacking),
            "referenced_by": list(self.referenced_by),
        }


@dataclass(slots=True)
class ThreadView:
    subject: str | None
    messages: list[MessageView]

    @property
    def missing(self) -> int:
        return sum(1 for m in self.messages if m.lacking)

    def as_json(self) -> dict[str, Any]:
        return {"subject": self.subject, "messages": [m.as_json() for m in self.messages]}


class _Parties:
    """Party slugs by id, and the slug sets of aggregated id lists ("3,17"), which many
    documents share."""

    def __init__(self, connection: Connection) -> None:
        self.slugs = {int(k): v for k, v in fetch_rows(connection, "SELECT id, slug FROM party")}
        self._sets: dict[str | None, frozenset[str]] = {None: frozenset(), "": frozenset()}

    def of(self, ids: str | None) -> frozenset[str]:
        found = self._sets.get(ids)
        if found is None:
            found = self._sets[ids] = frozenset(self.slugs[int(i)] for i in str(ids).split(","))
        return found


@dataclass(slots=True)
class _Cited:
    """Who sent a document citing a message nobody produced, and who its quote names."""

    replied_from: set[str] = field(default_factory=set)
    quoted: set[str] = field(default_factory=set)


def _cited(connection: Connection, ids: Sequence[int], parties: _Parties) -> dict[int, _Cited]:
    mark = "%s" if connection.dialect.name == "postgresql" else "?"
    out: dict[int, _Cited] = defaultdict(_Cited)
    senders = (ParticipantRole.SENDER.value, ParticipantRole.FORWARDED.value)
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        for doc_id, party_id, role in fetch_rows(
            connection,
            "SELECT document_id, party_id, role FROM document_participant"
            f" WHERE document_id IN ({', '.join([mark] * len(batch))}) AND party_id IS NOT NULL",
            tuple(batch),
        ):
            if role in senders:
                out[doc_id].replied_from.add(parties.slugs[party_id])
            elif role == ParticipantRole.QUOTED.value:
                out[doc_id].quoted.add(parties.slugs[party_id])
    return out


def _depths(messages: list[Message]) -> dict[str, int]:
    parents = {m.key: m.parent for m in messages}
    depths: dict[str, int] = {}
    for key in parents:
        depth, at, seen = 0, parents[key], {key}
        while at is not None and at in parents and at not in seen:
            depth, seen, at = depth + 1, seen | {at}, parents[at]
        depths[key] = depth
    return depths


def _view(
    thread: Thread, shown: dict[int, Shown], parties: _Parties, cited: dict[int, _Cited]
) -> ThreadView:
    depths = _depths(thread.messages)
    slug, of = parties.slugs, parties.of
    views: list[MessageView] = []
    for m in thread.messages:
        rows = [shown[d] for d in m.documents]
        producers = {slug[r.party_id] for r in rows}
        if rows:
            on_it = producers.union(*[of(r.parties) for r in rows])
            subject, sender = rows[0].subject, rows[0].sender
        else:  # who replied to it received it; a quote names its own people
            on_it = set().union(*[cited[d].replied_from for d in m.referenced_by
                                  if d in cited])
            if m.basis == "quoted":
                on_it |= set().union(*[cited[d].quoted for d in m.referenced_by if d in cited])
            subject = sender = None
        views.append(MessageView(
            m.key, m.parent, depths[m.key], not rows, "" if rows else m.basis, m.date,
            subject, sender,
            [Copy(p, b) for p, b in sorted([(slug[r.party_id], r.bates) for r in rows])],
            sorted(on_it), sorted(on_it - producers),
            sorted({shown[d].bates for d in m.referenced_by}),
        ))
    return ThreadView(next((v.subject for v in views if v.subject), None), views)


def party_threads(engine: Engine, party: str | None = None) -> list[ThreadView]:
    """The threads ``party`` is on or produced part of (all threads without a party)."""
    # Tens of thousands of messages and views, none in a cycle: the collector walking them
    # again and again cost a third of the run.
    with collector_paused(), engine.connect() as connection:
        slug = None
        built = build_threads(connection)
        threads = built.threads
        if party:
            with Session(bind=connection) as session:
                owner = resolve(session, Party, party)
            slug = owner.slug
            threads = _touching(connection, threads, int(owner.id or 0))
        citing = sorted({d for t in threads for m in t.messages if m.ghost
                         for d in m.referenced_by})
        parties = _Parties(connection)
        cited = _cited(connection, citing, parties)
        views = [_view(t, built.documents, parties, cited) for t in threads]
    if slug is None:
        return views
    return [v for v in views if any(slug in m.on_it or any(c.party == slug for c in m.copies)
                                    for m in v.messages)]


def _touching(connection: Connection, threads: list[Thread], party_id: int) -> list[Thread]:
    """The threads holding a document the party produced or is on (a cheap first cut)."""
    mark = "%s" if connection.dialect.name == "postgresql" else "?"
    mine = {
        int(r[0])
        for r in connection.exec_driver_sql(
            f"SELECT document_id FROM document_participant WHERE party_id = {mark}"
            f" UNION SELECT id FROM document WHERE party_id = {mark}",
            (party_id, party_id),
        )
    }
    return [t for t in threads
            if any(d in mine for m in t.messages for d in (*m.documents, *m.referenced_by))]


def lacking_by_party(views: Sequence[ThreadView]) -> dict[str, int]:
    """Messages each party was on and did not produce, over these threads."""
    counts: dict[str, int] = defaultdict(int)
    for view in views:
        for message in view.messages:
            for slug in message.lacking:
                counts[slug] += 1
    return dict(sorted(counts.items()))
