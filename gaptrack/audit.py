"""The tamper-evident audit log: every event chained to the one before by SHA-256.

Each event gets, when it is recorded, a place in the chain (``seq`` 1, 2, 3…), the previous
event's hash (``prev_hash``; 64 zeros for the first) and its own ``hash``: SHA-256 over the
previous hash and a canonical JSON of the event's content (seq, time, actor, action, entity,
key, reason, data, undo link). Changing a stored event breaks its own hash; deleting one
leaves a gap in ``seq`` and a ``prev_hash`` that names nothing; swapping two breaks both.
:func:`verify` walks the chain and names the first event that does not hold.

Places in the chain are handed out one transaction at a time (PostgreSQL: a transaction
advisory lock; SQLite: its single writer), so concurrent writers never fork it. The newest
events can be cut off without a trace in the chain itself: ``audit verify`` prints the head
hash, and a head noted earlier can be checked with ``--head``.

Source files keep their SHA-256 (``source_file``); :func:`verify_files` re-hashes received
files against it (chain of custody).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

GENESIS = "0" * 64
CHAIN_LOCK = 0x67617074  # the PostgreSQL advisory lock that serialises sealing ("gapt")
_CONTENT = ("at", "actor", "action", "entity", "entity_id", "entity_key", "reason", "data",
            "undoes_id")

EVENT = sa.table(
    "event",
    sa.column("id", sa.Integer),
    sa.column("at", sa.DateTime),
    sa.column("actor", sa.String),
    sa.column("action", sa.String),
    sa.column("entity", sa.String),
    sa.column("entity_id", sa.Integer),
    sa.column("entity_key", sa.String),
    sa.column("reason", sa.String),
    sa.column("data", sa.JSON),
    sa.column("undoes_id", sa.Integer),
    sa.column("seq", sa.Integer),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)


def _when(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return str(value.isoformat(sep=" ", timespec="microseconds"))


def digest(prev_hash: str, seq: int, row: Row[Any] | dict[str, Any]) -> str:
    """The hash of one event: SHA-256 of the previous hash and its canonical content."""
    values = row._mapping if isinstance(row, Row) else row
    content: dict[str, Any] = {name: values[name] for name in _CONTENT}
    content["at"] = _when(content["at"])
    content["seq"] = seq
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)
    return hashlib.sha256(f"{prev_hash}\n{text}".encode()).hexdigest()


def seal(conn: Connection, ids: Sequence[int] | None = None) -> int:
    """Give the unsealed events ``ids`` (all unsealed ones when None) their places in the
    chain, in id order; how many were sealed. Call inside the transaction that wrote them."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    query = sa.select(EVENT).where(EVENT.c.seq.is_(None)).order_by(EVENT.c.id)
    if ids is not None:
        if not ids:
            return 0
        query = query.where(EVENT.c.id.in_(list(ids)))
    rows = conn.execute(query).all()
    if not rows:
        return 0
    last = conn.execute(
        sa.select(EVENT.c.seq, EVENT.c.hash).where(EVENT.c.seq.is_not(None))
        .order_by(EVENT.c.seq.desc()).limit(1)
    ).first()
    seq, prev = (int(last[0]), str(last[1])) if last is not None else (0, GENESIS)
    for row in rows:
        seq += 1
        value = digest(prev, seq, row)
        conn.execute(
            sa.update(EVENT).where(EVENT.c.id == row.id)
            .values(seq=seq, prev_hash=prev, hash=value)
        )
        prev = value
    return len(rows)


@dataclass
class ChainReport:
    events: int = 0
    head: str = GENESIS
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def verify(conn: Connection, *, head: str | None = None) -> ChainReport:
    """Walk the chain; every problem, the first broken event first."""
    report = ChainReport()
    expected_seq, prev = 1, GENESIS
    rows = conn.execute(
        sa.select(EVENT).where(EVENT.c.seq.is_not(None)).order_by(EVENT.c.seq)
    )
    for row in rows:
        report.events += 1
        where = f"event {row.id} (#{row.seq}, {row.action} by {row.actor})"
        if row.seq != expected_seq:
            report.problems.append(
                f"{where}: #{expected_seq} was due — an event was deleted or reordered"
            )
        elif row.prev_hash != prev:
            report.problems.append(f"{where}: does not follow the event before it "
                                   "(deleted or reordered)")
        elif digest(prev, row.seq, row) != row.hash:
            report.problems.append(f"{where}: changed after it was recorded")
        expected_seq, prev = row.seq + 1, str(row.hash)
    report.head = prev
    loose = conn.execute(
        sa.select(EVENT.c.id, EVENT.c.action, EVENT.c.actor).where(EVENT.c.seq.is_(None))
        .order_by(EVENT.c.id)
    ).all()
    for row in loose:
        report.problems.append(
            f"event {row.id} ({row.action} by {row.actor}): not in the chain "
            "(written outside gaptrack)"
        )
    if head and not conn.execute(
        sa.select(EVENT.c.id).where(EVENT.c.hash == head.lower())
    ).first():
        report.problems.append(f"head {head} noted earlier is no longer in the chain "
                               "(newer events were cut off or the chain rewritten)")
    return report


@dataclass
class FilesReport:
    checked: int = 0
    matched: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # files in DIR gaptrack never loaded


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def verify_files(conn: Connection, folder: Path) -> FilesReport:
    """Re-hash the files under ``folder`` against the SHA-256 recorded when each was loaded
    (matched by file name): which match, which changed, which were never loaded."""
    recorded: dict[str, set[str]] = {}
    for path, sha in conn.execute(sa.text("SELECT path, sha256 FROM source_file")):
        name = str(path).replace("\\", "/").rsplit("/", 1)[-1]
        recorded.setdefault(name, set()).add(str(sha))
    report = FilesReport()
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        report.checked += 1
        known = recorded.get(file.name)
        if known is None:
            report.unknown.append(str(file))
        elif _sha256(file) in known:
            report.matched.append(str(file))
        else:
            report.changed.append(str(file))
    return report


def history(
    conn: Connection, *, party_id: int | None = None, party_slug: str | None = None,
    since: dt.date | None = None,
) -> list[dict[str, Any]]:
    """The events in chain order, as plain rows: all, or those about one party (the party
    itself, its productions and known items, or naming it) and/or on or after ``since``."""
    e = EVENT
    query = sa.select(e).order_by(e.c.seq.is_(None), e.c.seq, e.c.id)
    if since is not None:
        query = query.where(e.c.at >= dt.datetime.combine(since, dt.time()))
    if party_id is not None:
        def owned(table: str) -> sa.Select[Any]:
            return sa.select(sa.column("id")).select_from(sa.table(table)).where(
                sa.column("party_id") == party_id)

        query = query.where(sa.or_(
            sa.and_(e.c.entity == "party", e.c.entity_id == party_id),
            sa.and_(e.c.entity == "production", e.c.entity_id.in_(owned("production"))),
            sa.and_(e.c.entity == "known_item", e.c.entity_id.in_(owned("known_item"))),
            e.c.entity_key == party_slug,
        ))
    return [
        {
            "seq": row.seq, "id": row.id, "at": _when(row.at), "actor": row.actor,
            "action": row.action, "entity": row.entity, "key": row.entity_key,
            "reason": row.reason, "undoes": row.undoes_id, "data": row.data,
            "hash": row.hash,
        }
        for row in conn.execute(query)
    ]
