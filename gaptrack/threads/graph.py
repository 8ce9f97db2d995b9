"""Email threads across every party's productions (after JWZ's threading algorithm).

A **message** is one email, whichever parties produced it: the copies of one email share a
node when they carry the same Message-ID (by EDRM MIH) or the same fallback fingerprint
with sent times within the tolerance (a sender's Sent-Items copy and a recipient's Inbox
copy). A document's ``In-Reply-To`` / ``References`` (``document_reference``) link it to
the messages it answers; a referenced Message-ID that no party produced becomes a **ghost**
message: it existed (something replied to it) and nobody produced it. A **thread** is a
connected set of messages.

The reply's parent is the first reference stored (every importer stores ``In-Reply-To``
first). Threads are built in memory from the documents that can be in one — replies, what
they cite, emails with a Thread-Index, the quoted-header pairs, and their copies — read
through indexes, so an email in no thread costs nothing. The same rows carry what a thread
view shows of each document (:class:`Shown`), so nothing is read twice.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy.engine import Connection

from gaptrack.matching import FINGERPRINT_TOLERANCE_SECONDS
from gaptrack.threads.outlook import HEADER_BYTES, REPLY_BYTES, decode_thread_index
from gaptrack.threads.quoted import QuotedParent, naive_utc, quoted_parents


@dataclass(slots=True)
class Message:
    key: str  # "mih:<md5>", or "doc:<id>" for an email with no Message-ID
    documents: list[int] = field(default_factory=list)  # the produced copies
    parent: str | None = None  # the message it replies to
    date: dt.datetime | None = None
    # Documents replying to / citing it (ghosts are dated by the first of them).
    referenced_by: list[int] = field(default_factory=list)

    # For a ghost, how we know it existed: "reference", "thread-index" or "quoted".
    basis: str = ""

    @property
    def ghost(self) -> bool:
        return not self.documents


@dataclass(slots=True)
class Thread:
    root: str
    messages: list[Message]


class _Sets:
    """Union-find over message keys."""

    def __init__(self) -> None:
        self.up: dict[str, str] = {}

    def find(self, key: str) -> str:
        up = self.up
        # Most keys are roots or one step below one (paths are compressed): answer those
        # without the walk, which the thread build calls ~200k times at 100k documents.
        parent = up.get(key)
        if parent is None:
            return key
        if parent not in up:
            return parent
        root = parent
        while root in up:
            root = up[root]
        while key != root:  # every key on the path now points at the root
            up[key], key = root, up[key]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.up[max(ra, rb)] = min(ra, rb)


_as_datetime = naive_utc


def _ti_key(raw: bytes) -> str:
    return "ti:" + base64.b64encode(raw).decode()


# The documents a thread can hold: replies, the documents they cite, emails with a
# Thread-Index (``seed``), then every copy of those by Message-ID or fingerprint. An email
# nobody answers and that answers nobody is a thread of one, so it is never read: the
# corpus is touched through indexes only (ix_reference_mih, ix_document_mih_party,
# ix_document_fingerprint_party, ix_document_thread_index).
_SEEDS = """
SELECT document_id FROM document_reference
UNION SELECT d.id FROM document_reference r JOIN document d ON d.mih = r.mih
UNION SELECT id FROM document WHERE thread_index IS NOT NULL
"""
_WITH_COPIES = """
WITH seed(id) AS ({seeds}),
keyed AS (SELECT d.mih, d.fingerprint FROM seed JOIN document d ON d.id = seed.id)
SELECT id, mih, fingerprint, date_sent, thread_index, begin_label, party_id, subject, sender,
  (SELECT {parties} FROM document_participant p
    WHERE p.document_id = document.id AND p.party_id IS NOT NULL)
FROM document WHERE id IN (
  SELECT id FROM seed
  UNION SELECT d.id FROM keyed k JOIN document d ON d.mih = k.mih
  UNION SELECT d.id FROM keyed k JOIN document d ON d.fingerprint = k.fingerprint
) ORDER BY id
"""
BATCH = 5_000


def fetch_rows(connection: Connection, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    """Rows straight from the driver's cursor: a thread build reads many narrow rows, and
    SQLAlchemy's Row objects cost more than the query."""
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _parties_sql(connection: Connection) -> str:
    """The ids of the parties on a document as one aggregated column ("3,17"): a document
    costs one value instead of a row per participant."""
    if connection.dialect.name == "postgresql":
        return "string_agg(DISTINCT p.party_id::text, ',')"
    return "group_concat(DISTINCT p.party_id)"


def _thread_rows(connection: Connection, also: Sequence[int]) -> list[Any]:
    """The documents that can be in a thread, with their copies; ``also`` adds documents
    tied another way (the quoted-header replies and the originals they quote)."""
    parties = _parties_sql(connection)
    rows = fetch_rows(connection, _WITH_COPIES.format(seeds=_SEEDS, parties=parties))
    seen = {int(r[0]) for r in rows}
    extra = sorted(set(also) - seen)
    mark = "%s" if connection.dialect.name == "postgresql" else "?"
    for start in range(0, len(extra), BATCH):
        batch = extra[start : start + BATCH]
        seeds = f"SELECT id FROM document WHERE id IN ({', '.join([mark] * len(batch))})"
        for row in fetch_rows(connection, _WITH_COPIES.format(seeds=seeds, parties=parties),
                              tuple(batch)):
            if int(row[0]) not in seen:
                seen.add(int(row[0]))
                rows.append(row)
    return rows


class Shown(NamedTuple):
    """What a thread view shows of a document, read with the thread build's own rows."""

    bates: str
    party_id: int
    subject: str | None
    sender: str | None
    parties: str | None  # ids of the parties on it, comma-separated ("3,17")


@dataclass(slots=True)
class Threads:
    threads: list[Thread]
    documents: dict[int, Shown]  # every document of the threads, by id


@dataclass(slots=True)
class _Scan:
    messages: dict[str, Message] = field(default_factory=dict)
    of_document: dict[int, str] = field(default_factory=dict)
    copies: _Sets = field(default_factory=_Sets)
    indexes: dict[int, bytes] = field(default_factory=dict)  # decoded Thread-Index
    shown: dict[int, Shown] = field(default_factory=dict)


def _scan(connection: Connection, also: Sequence[int] = ()) -> _Scan:
    out = _Scan()
    messages, of_document, sets = out.messages, out.of_document, out.copies
    by_print: dict[str, list[tuple[dt.datetime | None, str]]] = defaultdict(list)
    fromiso = dt.datetime.fromisoformat
    for (doc_id, mih, print_, sent, thread_index,
         bates, party_id, subject, sender, parties) in _thread_rows(connection, also):
        key = f"mih:{mih}" if mih else f"doc:{doc_id}"
        message = messages.get(key)
        if message is None:
            message = messages[key] = Message(key)
        message.documents.append(doc_id)
        # SQLite hands back ISO text, parsed here without a call per row.
        date = fromiso(sent) if type(sent) is str else _as_datetime(sent)
        if date is not None and date.tzinfo is not None:
            date = _as_datetime(date)
        if date is not None and (message.date is None or date < message.date):
            message.date = date
        of_document[doc_id] = key
        out.shown[doc_id] = Shown(bates, party_id, subject, sender, parties)
        if print_:
            by_print[print_].append((date, key))
        if thread_index is None:
            continue
        raw = decode_thread_index(thread_index)
        if raw is not None:  # copies of one message carry the same Thread-Index
            out.indexes[doc_id] = raw
            tkey = _ti_key(raw)
            messages.setdefault(tkey, Message(tkey))
            sets.union(key, tkey)
    _merge_fingerprints(by_print, sets)
    return out


def _merge_fingerprints(
    by_print: dict[str, list[tuple[dt.datetime | None, str]]], sets: _Sets
) -> None:
    """Copies with different Message-IDs: the same fingerprint within the tolerance."""
    for copies in by_print.values():
        if len(copies) < 2:
            continue
        copies.sort(key=lambda c: (c[0] is None, c[0] or dt.datetime.min))
        for (a_date, a), (b_date, b) in itertools.pairwise(copies):
            close = (a_date is None and b_date is None) or (
                a_date is not None and b_date is not None
                and (b_date - a_date).total_seconds() <= FINGERPRINT_TOLERANCE_SECONDS
            )
            if close:
                sets.union(a, b)


def build_threads(connection: Connection) -> Threads:
    """Every thread of two or more messages, over all productions, and what a view shows of
    their documents (read in the same pass)."""
    quoted = quoted_parents(connection)
    also = [q.document_id for q in quoted]
    also += [q.parent_document_id for q in quoted if q.parent_document_id is not None]
    scan = _scan(connection, also)
    messages, of_document, copies = scan.messages, scan.of_document, scan.copies
    links = fetch_rows(
        connection, "SELECT document_id, mih FROM document_reference ORDER BY document_id, id"
    )
    merged = _merge_copies(messages, copies)
    threads = _Sets()
    first_ref: set[int] = set()
    for doc_id, mih in links:
        key = f"mih:{mih}"
        if key not in messages:  # a ghost: referenced, produced by nobody
            messages[key] = merged[key] = Message(key)
        child_key = of_document.get(doc_id)
        if child_key is None:
            continue
        child, target = copies.find(child_key), copies.find(key)
        found = merged[target]
        found.referenced_by.append(doc_id)
        if not found.documents:
            found.basis = "reference"
        if doc_id not in first_ref:
            first_ref.add(doc_id)
            if target != child and merged[child].parent is None:
                merged[child].parent = target
        threads.union(child, target)
    _thread_index_ancestors(merged, of_document, copies, threads, scan.indexes)
    _quoted(quoted, merged, of_document, copies, threads)
    for message in merged.values():
        if message.ghost and message.referenced_by and message.date is None:
            dates = [merged[copies.find(of_document[d])].date for d in message.referenced_by]
            known = [d for d in dates if d is not None]
            message.date = min(known) if known else None
    return Threads(_group(merged, threads), scan.shown)


def _thread_index_ancestors(
    merged: dict[str, Message],
    of_document: dict[int, str],
    copies: _Sets,
    threads: _Sets,
    indexes: dict[int, bytes],
) -> None:
    """An email at Thread-Index depth k proves k earlier messages: each shorter prefix of
    its Thread-Index is an ancestor. Those nobody produced become ghosts, evidenced by it."""
    for doc_id, raw in indexes.items():
        child = copies.find(of_document[doc_id])
        for length in range(len(raw) - REPLY_BYTES, HEADER_BYTES - 1, -REPLY_BYTES):
            key = _ti_key(raw[:length])
            target = copies.find(key) if key in copies.up or key in merged else key
            message = merged.get(target)
            if message is None:
                message = merged[target] = Message(target, basis="thread-index")
            if message.ghost:
                message.referenced_by.append(doc_id)
            if merged[child].parent is None and child != target:
                merged[child].parent = target
            threads.union(child, target)
            child = target


def _quoted(
    found_parents: Sequence[QuotedParent],
    merged: dict[str, Message],
    of_document: dict[int, str],
    copies: _Sets,
    threads: _Sets,
) -> None:
    """Replies whose IDs were stripped, linked by the message they quote."""
    for found in found_parents:
        child_key = of_document.get(found.document_id)
        if child_key is None:
            continue
        child = copies.find(child_key)
        if merged[child].parent is not None:
            continue
        parent_key = of_document.get(found.parent_document_id or -1)
        if parent_key is not None:
            target = copies.find(parent_key)
        else:
            target = f"quoted:{found.document_id}"
            merged[target] = Message(target, basis="quoted", date=found.sent)
            merged[target].referenced_by.append(found.document_id)
        if target == child:
            continue
        merged[child].parent = target
        threads.union(child, target)


def _merge_copies(messages: dict[str, Message], copies: _Sets) -> dict[str, Message]:
    """One message per set of copies: the representative keeps every document."""
    merged: dict[str, Message] = {}
    for key, message in messages.items():
        rep = copies.find(key)
        into = merged.setdefault(rep, messages[rep])
        if into is message:
            continue
        into.documents += message.documents
        if message.date is not None and (into.date is None or message.date < into.date):
            into.date = message.date
    return merged


def _group(merged: dict[str, Message], threads: _Sets) -> list[Thread]:
    by_thread: dict[str, list[Message]] = defaultdict(list)
    for key, message in merged.items():
        by_thread[threads.find(key)].append(message)
    out = []
    for members in by_thread.values():
        if len(members) < 2:
            continue
        members.sort(key=_order)
        roots = [m for m in members if m.parent is None]
        out.append(Thread(root=(roots or members)[0].key, messages=members))
    out.sort(key=lambda t: _order(t.messages[0]))
    return out


def _order(message: Message) -> tuple[dt.datetime, int, str]:
    # A ghost takes the date of its first reply: it goes just before it.
    return (message.date or dt.datetime.max, 0 if message.ghost else 1, message.key)
