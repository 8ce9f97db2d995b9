"""The thread around one email, read by Message-ID (EDRM MIH) with set-based SQL: the
message it answers, the email itself, and the messages answering it, each with who produced
it. The gap engine attaches this to the gaps of emails a party lacks, so a gap shows where
in a conversation the missing message sits and whose productions hold its neighbours.

Emails known by an Outlook Thread-Index instead are placed by it (:func:`index_neighbours`).
A reply's parent is its first stored reference (``In-Reply-To`` comes first, as in
:mod:`gaptrack.threads.graph`). Only the neighbours are read — a few indexed queries per
batch of gaps, never the whole corpus (``gaptrack threads`` rebuilds whole threads).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy.engine import Connection

from gaptrack.gaps.model import ThreadMessage
from gaptrack.threads.outlook import HEADER_BYTES, REPLY_BYTES, decode_thread_index
from gaptrack.threads.quoted import naive_utc

BATCH = 2_000


@dataclass(slots=True)
class _Node:
    subject: str | None = None
    date: dt.datetime | None = None
    copies: set[str] = field(default_factory=set)

    def add(self, slug: str, bates: str, subject: str | None, sent: object) -> None:
        self.copies.add(f"{slug} {bates}")
        self.subject = self.subject or subject
        date = naive_utc(sent)
        if date is not None and (self.date is None or date < self.date):
            self.date = date

    def view(self, relation: str) -> ThreadMessage:
        return ThreadMessage(relation=relation, subject=self.subject, date=self.date,
                             produced_by=sorted(self.copies))


def _batches(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), BATCH):
        yield values[start : start + BATCH]


_FIRST_REFERENCE = (
    "r.id = (SELECT min(r2.id) FROM document_reference r2 WHERE r2.document_id = r.document_id)"
)


def _marks(connection: Connection, count: int) -> str:
    mark = "%s" if connection.dialect.name == "postgresql" else "?"
    return ", ".join([mark] * count)


def _copies(connection: Connection, mihs: Sequence[str]) -> dict[str, _Node]:
    nodes: dict[str, _Node] = defaultdict(_Node)
    for batch in _batches(mihs):
        for mih, slug, bates, subject, sent in connection.exec_driver_sql(
            "SELECT d.mih, p.slug, d.begin_label, d.subject, d.date_sent FROM document d"
            f" JOIN party p ON p.id = d.party_id WHERE d.mih IN ({_marks(connection, len(batch))})",
            tuple(batch),
        ):
            nodes[mih].add(slug, bates, subject, sent)
    return nodes


def _parents(connection: Connection, mihs: Sequence[str]) -> dict[str, str]:
    """The message each answers (its copies' first reference)."""
    out: dict[str, str] = {}
    for batch in _batches(mihs):
        # Sorted here, not by ORDER BY d.id: that makes SQLite walk every document in id
        # order instead of looking the batch up on the Message-ID index (30x slower at 1M).
        rows = connection.exec_driver_sql(
            "SELECT d.id, d.mih, r.mih FROM document d JOIN document_reference r"
            f" ON r.document_id = d.id WHERE d.mih IN ({_marks(connection, len(batch))})"
            f" AND {_FIRST_REFERENCE}",
            tuple(batch),
        ).all()
        for _, mih, parent in sorted(rows, key=lambda row: int(row[0])):
            if parent and parent != mih:
                out.setdefault(mih, parent)
    return out


def _replies(connection: Connection, mihs: Sequence[str]) -> dict[str, dict[str, _Node]]:
    """The messages answering each (documents whose first reference it is), one per
    Message-ID (a reply without one is its own message)."""
    out: dict[str, dict[str, _Node]] = defaultdict(lambda: defaultdict(_Node))
    for batch in _batches(mihs):
        for of, doc_id, mih, slug, bates, subject, sent in connection.exec_driver_sql(
            "SELECT r.mih, d.id, d.mih, p.slug, d.begin_label, d.subject, d.date_sent"
            " FROM document_reference r JOIN document d ON d.id = r.document_id"
            f" JOIN party p ON p.id = d.party_id WHERE r.mih IN ({_marks(connection, len(batch))})"
            f" AND {_FIRST_REFERENCE}",
            tuple(batch),
        ):
            out[of][mih or f"doc:{doc_id}"].add(slug, bates, subject, sent)
    return out


def _order(message: ThreadMessage) -> tuple[int, dt.datetime, str]:
    rank = {"parent": 0, "missing": 1}.get(message.relation, 2)
    return (rank, message.date or dt.datetime.max, ",".join(message.produced_by))


def neighbours(connection: Connection, mihs: Collection[str]) -> dict[str, list[ThreadMessage]]:
    """For each Message-ID (MIH) that has a parent or a reply: parent, the message, replies.

    A Message-ID with neither is left out: alone, it is no thread."""
    wanted = sorted(set(mihs))
    if not wanted:
        return {}
    parents = _parents(connection, wanted)
    replies = _replies(connection, wanted)
    # Copies are read only for the messages shown: most wanted emails are in no thread.
    threaded = [mih for mih in wanted if mih in parents or mih in replies]
    nodes = _copies(connection, sorted(set(threaded) | set(parents.values())))
    out: dict[str, list[ThreadMessage]] = {}
    for mih in threaded:
        messages = [nodes.get(mih, _Node()).view("missing")]
        if mih in parents:
            messages.append(nodes.get(parents[mih], _Node()).view("parent"))
        messages += [node.view("reply") for node in replies.get(mih, {}).values()]
        out[mih] = sorted(messages, key=_order)
    return out


# The first 21 bytes of a Thread-Index (28 base64 characters) name its conversation.
_ROOT_CHARS = 28


def index_neighbours(
    connection: Connection, indexes: Collection[str]
) -> dict[str, list[ThreadMessage]]:
    """For each stored Thread-Index with a depth or a reply: the message it answers (its
    depth proves it existed, produced or not), it, and the replies one level deeper."""
    wanted = {v: raw for v in set(indexes) if (raw := decode_thread_index(v)) is not None}
    roots = sorted({v[:_ROOT_CHARS] for v in wanted})
    found: dict[bytes, _Node] = defaultdict(_Node)
    for batch in _batches(roots):
        for value, slug, bates, subject, sent in connection.exec_driver_sql(
            "SELECT d.thread_index, p.slug, d.begin_label, d.subject, d.date_sent"
            " FROM document d JOIN party p ON p.id = d.party_id"
            f" WHERE substr(d.thread_index, 1, {_ROOT_CHARS})"
            f" IN ({_marks(connection, len(batch))})",
            tuple(batch),
        ):
            raw = decode_thread_index(value)
            if raw is not None:
                found[raw].add(slug, bates, subject, sent)
    out: dict[str, list[ThreadMessage]] = {}
    for value, raw in wanted.items():
        messages = [found.get(raw, _Node()).view("missing")]
        if len(raw) > HEADER_BYTES:
            messages.append(found.get(raw[:-REPLY_BYTES], _Node()).view("parent"))
        messages += [node.view("reply") for key, node in found.items()
                     if len(key) == len(raw) + REPLY_BYTES and key.startswith(raw)]
        if len(messages) > 1:
            out[value] = sorted(messages, key=_order)
    return out
