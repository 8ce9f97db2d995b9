"""One email, however many copies: copies are grouped by the union of their keys.

Two documents are copies of one email when they share an EDRM MIH, a body hash (which
carries the sender and exists only for bodies of real length: :mod:`gaptrack.matching`), or a
fingerprint with sent times inside the tolerance — and so, transitively, is every document
reachable through such links (a list server's rewritten subject changes the fingerprint of
some copies but not their MIH; the sender's Sent copy has its own Message-ID but the
recipients' fingerprint). Two places use the union:

* derivation (:func:`spread_copies`, set-based): a candidate whose email P holds under one
  key counts as held under every key of the same email;
* the gap engine (:func:`group_copies`, over result rows only): the missing copies of one
  email make one gap, with all of them as evidence.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gaptrack.gaps import sql as t
from gaptrack.matching import FINGERPRINT_TOLERANCE_SECONDS

KEYS = (("mih", "mih"), ("body_hash", "body-hash"), ("fingerprint", "fingerprint"))
MAX_ROUNDS = 4  # links followed per derivation: chains of copies are short


def _key_table(connection: Connection) -> sa.Table:
    c = t.candidate
    table = sa.Table(
        "gt_copy_keys",
        sa.MetaData(),
        sa.Column("party_id", sa.Integer),
        sa.Column("kind", sa.String(16)),
        sa.Column("value", sa.String(64)),
        sa.Column("date_sent", c.c.date_sent.type),
        sa.Column("copy_id", sa.BigInteger),
        sa.Column("received", c.c.copy_received.type),
        sa.Index("ix_gt_copy_keys", "party_id", "kind", "value"),
        prefixes=["TEMPORARY"],
    )
    table.drop(connection, checkfirst=True)
    table.create(connection)
    return table


def spread_copies(connection: Connection) -> int:
    """Settle candidates that share a key with a candidate P already holds (transitively)."""
    c = t.candidate
    keys = _key_table(connection)
    dialect = connection.dialect.name
    settled = 0
    for _round in range(MAX_ROUNDS):
        connection.execute(sa.delete(keys))
        for column, kind in KEYS:
            connection.execute(
                sa.insert(keys).from_select(
                    ["party_id", "kind", "value", "date_sent", "copy_id", "received"],
                    sa.select(
                        c.c.party_id, sa.literal(kind), c.c[column], c.c.date_sent,
                        c.c.copy_document_id, c.c.copy_received,
                    ).where(c.c.copy_document_id.is_not(None), c.c[column].is_not(None)),
                )
            )
        done = 0
        for column, kind in KEYS:
            conditions = [keys.c.party_id == c.c.party_id, keys.c.kind == kind,
                          keys.c.value == c.c[column]]
            if column == "fingerprint":
                conditions.append(sa.or_(
                    sa.and_(keys.c.date_sent.is_(None), c.c.date_sent.is_(None)),
                    t.seconds_apart(keys.c.date_sent, c.c.date_sent, dialect)
                    <= FINGERPRINT_TOLERANCE_SECONDS,
                ))
            found = sa.select(sa.func.min(keys.c.copy_id)).where(*conditions).scalar_subquery()
            received = sa.select(sa.func.min(keys.c.received)).where(*conditions)
            done += int(connection.execute(
                sa.update(c)
                .where(c.c.copy_document_id.is_(None), c.c[column].is_not(None))
                .where(sa.exists().where(*conditions))
                .values(copy_document_id=found, copy_key=kind,
                        copy_received=received.scalar_subquery())
            ).rowcount or 0)
        settled += done
        if not done:
            break
    keys.drop(connection)
    return settled


class _Union:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        root = self.parent.setdefault(x, x)
        while root != self.parent[root]:
            root = self.parent[root]
        while x != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _seconds(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return float(value.timestamp())


def group_copies(
    rows: Iterable[Any], partition: Callable[[Any], tuple[Any, ...]]
) -> list[list[Any]]:
    """Result rows grouped by ``partition`` (e.g. party and item chain) and, inside it, by
    the union of their keys (MIH, body hash, fingerprint within the tolerance). Rows need
    ``mih``, ``body_hash``, ``fingerprint`` and ``date_sent`` attributes."""
    listed = list(rows)
    parts = [partition(row) for row in listed]  # once per row: tens of thousands at 1M
    union = _Union()
    seen: dict[tuple[Any, ...], int] = {}
    prints: dict[tuple[Any, ...], list[tuple[float | None, int]]] = {}
    for i, row in enumerate(listed):
        union.find(i)
        part = parts[i]
        for column in ("mih", "body_hash"):
            value = getattr(row, column, None)
            if value:
                first = seen.setdefault((*part, column, value), i)
                union.join(first, i)
        if row.fingerprint:
            prints.setdefault((*part, row.fingerprint), []).append((_seconds(row.date_sent), i))
        else:
            seen.setdefault((*part, "row", i), i)
    for members in prints.values():
        members.sort(key=lambda m: (m[0] is not None, m[0] or 0.0))
        for (a_time, a), (b_time, b) in itertools.pairwise(members):
            near = (a_time is None and b_time is None) or (
                a_time is not None and b_time is not None
                and b_time - a_time <= FINGERPRINT_TOLERANCE_SECONDS
            )
            if near:
                union.join(a, b)
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for i, row in enumerate(listed):
        groups.setdefault((*parts[i], union.find(i)), []).append(row)
    return list(groups.values())
