"""Threads for one party, for every face: each message with who produced it, who was on it,
and the parties on it whose productions lack it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from gaptrack.gaps.materialise import refresh_derived
from gaptrack.models import Party
from gaptrack.models.enums import ParticipantRole
from gaptrack.service.lookup import resolve
from gaptrack.threads import Message, Thread, build_threads
from gaptrack.threads.graph import fetch_rows

BATCH = 5_000


class Copy(BaseModel):
    party: str
    bates: str


class MessageView(BaseModel):
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


class ThreadView(BaseModel):
    subject: str | None
    messages: list[MessageView]

    @property
    def missing(self) -> int:
        return sum(1 for m in self.messages if m.lacking)


@dataclass(slots=True)
class _Doc:
    bates: str
    party: str
    subject: str | None
    sender: str | None
    on_it: frozenset[str]
    replied_from: frozenset[str]  # parties who sent this document
    quoted: frozenset[str]  # parties named only in a message it quotes


def _batches(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _slug_sets(slugs: dict[int, str]) -> Callable[[str | None], frozenset[str]]:
    """Party slugs of an aggregated id list ("3,17"); many documents share one list."""
    cache: dict[str | None, frozenset[str]] = {None: frozenset(), "": frozenset()}

    def sets(ids: str | None) -> frozenset[str]:
        found = cache.get(ids)
        if found is None:
            found = cache[ids] = frozenset(slugs[int(i)] for i in str(ids).split(","))
        return found

    return sets


def _participants_sql(connection: Connection, marks: str) -> str:
    """Per document, the parties on it, aggregated in SQL: a document costs one row instead
    of one per participant."""
    agg = ("string_agg(DISTINCT party_id::text, ',')"
           if connection.dialect.name == "postgresql" else "group_concat(DISTINCT party_id)")
    return (
        f"SELECT document_id, {agg} FROM document_participant"
        f" WHERE document_id IN ({marks}) AND party_id IS NOT NULL GROUP BY document_id"
    )


def _documents(
    connection: Connection, ids: Sequence[int], citing_ghosts: Sequence[int]
) -> dict[int, _Doc]:
    """The documents of the threads; who sent or is quoted in one matters only for those
    citing a message nobody produced (``citing_ghosts``), a few."""
    mark = "%s" if connection.dialect.name == "postgresql" else "?"
    docs: dict[int, _Doc] = {}
    slugs = {int(k): v for k, v in fetch_rows(connection, "SELECT id, slug FROM party")}
    sets = _slug_sets(slugs)
    empty: frozenset[str] = frozenset()
    for batch in _batches(ids):
        marks = ", ".join([mark] * len(batch))
        for doc_id, bates, party_id, subject, sender in fetch_rows(
            connection,
            "SELECT id, begin_label, party_id, subject, sender FROM document"
            f" WHERE id IN ({marks})",
            tuple(batch),
        ):
            docs[doc_id] = _Doc(bates=bates, party=slugs[party_id], subject=subject,
                                sender=sender, on_it=empty, replied_from=empty, quoted=empty)
        for doc_id, on_it in fetch_rows(connection, _participants_sql(connection, marks),
                                        tuple(batch)):
            docs[doc_id].on_it = sets(on_it)
    senders = (ParticipantRole.SENDER.value, ParticipantRole.FORWARDED.value)
    for batch in _batches(citing_ghosts):
        for doc_id, party_id, role in fetch_rows(
            connection,
            "SELECT document_id, party_id, role FROM document_participant"
            f" WHERE document_id IN ({', '.join([mark] * len(batch))}) AND party_id IS NOT NULL",
            tuple(batch),
        ):
            doc = docs[doc_id]
            if role in senders:
                doc.replied_from = doc.replied_from | {slugs[party_id]}
            elif role == ParticipantRole.QUOTED.value:
                doc.quoted = doc.quoted | {slugs[party_id]}
    return docs


def _depths(messages: list[Message]) -> dict[str, int]:
    parents = {m.key: m.parent for m in messages}
    depths: dict[str, int] = {}
    for key in parents:
        depth, at, seen = 0, parents[key], {key}
        while at is not None and at in parents and at not in seen:
            depth, seen, at = depth + 1, seen | {at}, parents[at]
        depths[key] = depth
    return depths


def _view(thread: Thread, docs: dict[int, _Doc]) -> ThreadView:
    depths = _depths(thread.messages)
    views: list[dict[str, Any]] = []
    for m in thread.messages:
        copies = [docs[d] for d in m.documents]
        producers = {c.party for c in copies}
        if m.ghost:  # who replied to it received it; a quote names its own people
            on_it = set().union(*(docs[d].replied_from for d in m.referenced_by))
            if m.basis == "quoted":
                on_it |= set().union(*(docs[d].quoted for d in m.referenced_by))
        else:
            on_it = set().union(*(c.on_it for c in copies)) | producers
        first = copies[0] if copies else None
        views.append({
            "key": m.key, "parent": m.parent, "depth": depths[m.key], "ghost": m.ghost,
            "ghost_basis": m.basis if m.ghost else "", "date": m.date,
            "subject": first.subject if first else None,
            "sender": first.sender if first else None,
            "copies": [{"party": party, "bates": bates}
                       for party, bates in sorted((c.party, c.bates) for c in copies)],
            "on_it": sorted(on_it), "lacking": sorted(on_it - producers),
            "referenced_by": sorted({docs[d].bates for d in m.referenced_by}),
        })
    subject = next((v["subject"] for v in views if v["subject"]), None)
    # One validation per thread builds its nested models in pydantic's core: a model
    # constructed per message and per copy cost more than reading the rows.
    return ThreadView.model_validate({"subject": subject, "messages": views})


def party_threads(engine: Engine, party: str | None = None) -> list[ThreadView]:
    """The threads ``party`` is on or produced part of (all threads without a party)."""
    refresh_derived(engine)  # participants resolved to parties (cheap when current)
    with engine.connect() as connection:
        slug = None
        threads = build_threads(connection)
        if party:
            with Session(bind=connection) as session:
                owner = resolve(session, Party, party)
            slug = owner.slug
            threads = _touching(connection, threads, int(owner.id or 0))
        ids = sorted({d for t in threads for m in t.messages
                      for d in (*m.documents, *m.referenced_by)})
        citing = sorted({d for t in threads for m in t.messages if m.ghost
                         for d in m.referenced_by})
        docs = _documents(connection, ids, citing)
    views = [_view(t, docs) for t in threads]
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
