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
    """Union-find over row numbers; a number never joined is its own root (not stored)."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while (up := parent.get(root)) is not None:
            root = up
        while x != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def group_copies(
    rows: Iterable[Any],
    partition: Callable[[Any], Any],
) -> list[list[Any]]:
    """Result rows grouped by ``partition`` (e.g. party and item chain) and, inside it, by
    the union of their keys (MIH, body hash, fingerprint within the tolerance). Rows need
    ``mih``, ``body_hash``, ``fingerprint`` and ``sent_ms`` (the sent time as
    :func:`gaptrack.gaps.sql.epoch_ms` selects it) attributes.

    Rows with one MIH are one node from the start (a dictionary lookup, no union), so the
    union-find runs over emails, not rows: at a million documents there are twice as many
    rows as emails (one per item a document answers, per copy).
    """
    listed = list(rows)
    union = _Union()
    first: dict[tuple[Any, ...], int] = {}
    prints: dict[tuple[Any, ...], list[tuple[int | None, int]]] = {}
    nodes: list[tuple[Any, int]] = []
    for i, row in enumerate(listed):
        part = partition(row)
        mih = row.mih
        node = first.setdefault((part, 0, mih), i) if mih else i
        body = row.body_hash
        if body:
            other = first.setdefault((part, 1, body), node)
            if other != node:
                union.join(other, node)
        if row.fingerprint:
            prints.setdefault((part, row.fingerprint), []).append((row.sent_ms, node))
        nodes.append((part, node))
    tolerance = FINGERPRINT_TOLERANCE_SECONDS * 1000
    for members in prints.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda m: (m[0] is not None, m[0] or 0))
        for (a_time, a), (b_time, b) in itertools.pairwise(members):
            near = (a_time is None and b_time is None) or (
                a_time is not None and b_time is not None and b_time - a_time <= tolerance
            )
            if near:
                union.join(a, b)
    groups: dict[tuple[Any, int], list[Any]] = {}
    for (part, node), row in zip(nodes, listed, strict=True):
        groups.setdefault((part, union.find(node)), []).append(row)
    return list(groups.values())
