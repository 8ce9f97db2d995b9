"""Threads where Message-IDs were stripped: a reply or forward quotes the message it answers
("-----Original Message-----", "From: … Sent: … Subject: …"). The first quoted block names
its parent: a produced email with the same normalised subject, the same sender and a sent
time within the fingerprint tolerance is that parent; with none, the quoted message is one
*nobody produced* (known from the quote).

Only emails with no references whose subject carries a RE:/FW: prefix and whose text holds
a quoted header are read, so the corpus's texts are not scanned.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gaptrack.derive import quoted_messages
from gaptrack.importers.dates import written_datetime
from gaptrack.matching import (
    FINGERPRINT_TOLERANCE_SECONDS,
    normalise_subject,
    parse_addresses,
    participant_key,
)

BATCH = 2_000


def naive_utc(value: object) -> dt.datetime | None:
    """A stored datetime as naive UTC (PostgreSQL's driver hands back aware ones)."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime.fromisoformat(str(value))
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


@dataclass(frozen=True, slots=True)
class QuotedParent:
    document_id: int  # the reply or forward that quotes it
    parent_document_id: int | None  # the produced copy it matched, if any
    sent: dt.datetime | None  # as quoted


def _sender_key(value: str | None) -> str:
    people = parse_addresses(value, single=True) if value else []
    return participant_key(*people[0]) if people else ""


def _batches(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), BATCH):
        yield values[start : start + BATCH]


def quoted_parents(connection: Connection) -> list[QuotedParent]:
    """The quoted parent of every reply / forward that carries no references."""
    # SQLite's LIKE already ignores ASCII case (its lower() folds nothing more): lower()
    # there only cost a call per document of the corpus.
    fold = "{}" if connection.dialect.name == "sqlite" else "lower({})"
    subject_sql, text_sql = fold.format("subject"), fold.format("text")
    rows = connection.execute(
        sa.text(
            "SELECT id, text FROM document"
            " WHERE text IS NOT NULL AND subject IS NOT NULL"
            f" AND ({subject_sql} LIKE :re OR {subject_sql} LIKE :fw OR {subject_sql} LIKE :fwd)"
            f" AND {text_sql} LIKE :quote AND NOT EXISTS"
            " (SELECT 1 FROM document_reference r WHERE r.document_id = document.id)"
        ),
        {"re": "re:%", "fw": "fw:%", "fwd": "fwd:%", "quote": "%from:%"},
    ).all()
    wanted: list[tuple[int, str, str, dt.datetime | None]] = []
    for doc_id, text in rows:
        blocks = quoted_messages(str(text))
        if not blocks or not blocks[0].sender:
            continue
        first = blocks[0]
        sent = written_datetime(first.sent) if first.sent else None
        wanted.append((int(doc_id), normalise_subject(first.subject),
                       _sender_key(first.sender), sent))
    candidates = _candidates(connection, sorted({w[1] for w in wanted if w[1]}))
    out = []
    for doc_id, subject, sender, sent in wanted:
        match = None
        for cand_id, cand_sender, cand_sent in candidates.get(subject, []):
            if cand_id == doc_id or cand_sender != sender:
                continue
            if sent is not None and cand_sent is not None and abs(
                (cand_sent - sent).total_seconds()
            ) > FINGERPRINT_TOLERANCE_SECONDS:
                continue
            match = cand_id
            break
        out.append(QuotedParent(doc_id, match, sent))
    return out


def _candidates(
    connection: Connection, subjects: Sequence[str]
) -> dict[str, list[tuple[int, str, dt.datetime | None]]]:
    mark = "%s" if connection.dialect.name == "postgresql" else "?"
    found: dict[str, list[tuple[int, str, dt.datetime | None]]] = defaultdict(list)
    for batch in _batches(subjects):
        marks = ", ".join([mark] * len(batch))
        for doc_id, subject, sender, sent in connection.exec_driver_sql(
            "SELECT id, subject_norm, sender, date_sent FROM document"
            f" WHERE subject_norm IN ({marks}) ORDER BY id",
            tuple(batch),
        ).all():
            found[str(subject)].append((int(doc_id), _sender_key(sender), naive_utc(sent)))
    return found
