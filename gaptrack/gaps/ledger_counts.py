"""How many documents each party produced per letter and per item chain: counted once after
every write, read by the ledger in a few milliseconds.

Counting distinct documents per item chain and per letter walks every ``document_item`` row and
looks up each document's party: seconds at a million documents, on every read. The counts do not
depend on the date a ledger is "as of" once they are kept per production (a document belongs to
one production, received on one date), and the letter filters (sent by ``as_of``, committee,
request) apply to the letter a count is keyed on. So :func:`refresh_counts` keeps, in the
``derived_state`` row ``ledger_documents``, one row per (letter or item chain, party,
production) with its distinct documents; the ledger sums the rows of its scope
(:func:`kept_counts`).

The kept rows are used only while they match the data: the highest document and
``document_item`` ids and a signature of the letters' items, renewals and recipients must be
those they were counted at; otherwise the ledger counts live (the same query, grouped by date).
Refreshed by :func:`gaptrack.gaps.materialise.refresh_derived`, after writes, never on reads:
new documents are counted and added; anything else (new responsiveness rows on documents
already counted, removed documents, changed items or recipients) recounts from scratch.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gaptrack.gaps import sql as t
from gaptrack.gaps.derived_state import read_state, write_state
from gaptrack.gaps.scope import renewal_chain

STATE = "ledger_documents"
LETTER, CHAIN = "letter", "chain"

Counts = dict[tuple[int, int], int]  # (letter or chain item, party) -> distinct documents


def grouped_counts(connection: Connection, *, per_letter: bool, where: list[Any]) -> Any:
    """Distinct documents per (letter or item chain, party, production), with ``where``
    (document filters) applied: a renewed item counts its chain once, a letter a document
    answering three of its items once. The document must have been asked of its producer
    (the letter went to that party)."""
    chain = renewal_chain()
    di, d, ri, rq, rr = t.document_item, t.document, t.item, t.request, t.recipient
    source = (
        chain.join(di, di.c.item_id == chain.c.member_id)
        .join(d, d.c.id == di.c.document_id)
        .join(ri, ri.c.id == chain.c.item_id)
        .join(rq, rq.c.id == ri.c.request_id)
        .join(rr, sa.and_(rr.c.request_id == rq.c.id, rr.c.party_id == d.c.party_id))
    )
    key = rq.c.id if per_letter else chain.c.item_id
    return (
        sa.select(key, d.c.party_id, d.c.production_id, sa.func.count(sa.distinct(d.c.id)))
        .select_from(source)
        .where(*where)
        .group_by(key, d.c.party_id, d.c.production_id)
    )


def _signature(connection: Connection) -> str:
    """What the counts' keys rest on: items (their letter and what they renew), recipients."""
    digest = hashlib.sha256()
    for table, columns in (
        (t.item, ("id", "request_id", "renews_item_id")),
        (t.recipient, ("request_id", "party_id")),
    ):
        cols = [table.c[c] for c in columns]
        digest.update(repr(connection.execute(sa.select(*cols).order_by(*cols)).all()).encode())
    return digest.hexdigest()


def _watermarks(connection: Connection) -> tuple[int, int]:
    d, di = t.document, t.document_item
    top, item_top = connection.execute(
        sa.select(
            sa.select(sa.func.coalesce(sa.func.max(d.c.id), 0)).scalar_subquery(),
            sa.select(sa.func.coalesce(sa.func.max(di.c.id), 0)).scalar_subquery(),
        )
    ).one()
    return int(top), int(item_top)




def _count(connection: Connection, after: int) -> dict[str, list[list[int]]]:
    where = [t.document.c.id > after] if after else []
    return {
        kind: [
            [int(k), int(p), int(pr), int(n)]
            for k, p, pr, n in connection.execute(
                grouped_counts(connection, per_letter=kind == LETTER, where=where)
            )
        ]
        for kind in (LETTER, CHAIN)
    }


def _merge(old: list[list[int]], new: list[list[int]]) -> list[list[int]]:
    total: dict[tuple[int, int, int], int] = defaultdict(int)
    for key, party, production, n in (*old, *new):
        total[(key, party, production)] += n
    return [[*k, n] for k, n in sorted(total.items())]


def refresh_counts(connection: Connection, documents: int) -> None:
    """Bring the kept counts up to date (``documents``: how many there are now)."""
    top, item_top = _watermarks(connection)
    signature = _signature(connection)
    last = read_state(connection, STATE)
    if last is not None and (last["max_document_id"], last["max_document_item_id"],
                             last["signature"], last["documents"]) == (
            top, item_top, signature, documents):
        return
    d, di = t.document, t.document_item
    incremental = last is not None and last["signature"] == signature
    if incremental and last is not None:
        after = int(last["max_document_id"])
        newer = connection.execute(
            sa.select(sa.func.count()).select_from(d).where(d.c.id > after)
        ).scalar_one()
        # Rows on documents already counted (tags of a later load) change their counts.
        touched = connection.execute(
            sa.select(sa.literal(1)).where(
                di.c.id > int(last["max_document_item_id"]), di.c.document_id <= after
            ).limit(1)
        ).first()
        incremental = touched is None and int(last["documents"]) + int(newer) == documents
    counts = _count(connection, int(last["max_document_id"]) if incremental and last else 0)
    if incremental and last is not None:
        counts = {kind: _merge(last[kind], counts[kind]) for kind in (LETTER, CHAIN)}
    write_state(connection, STATE, {"signature": signature, "max_document_id": top,
                       "max_document_item_id": item_top, "documents": documents, **counts})


def _current(connection: Connection) -> dict[str, Any] | None:
    data = read_state(connection, STATE)
    if data is None or (data["max_document_id"], data["max_document_item_id"]) != _watermarks(
        connection
    ) or data["signature"] != _signature(connection):
        return None
    return data


def document_counts(
    connection: Connection, *, letters: set[int], party_id: int | None, received: set[int]
) -> tuple[Counts, Counts]:
    """Documents per (item chain, party) and per (letter, party), summed over the productions
    in ``received``, for the letters in ``letters`` (an item chain by its newest item's
    letter). From the kept counts when they are current, else counted live."""
    data = _current(connection)
    if data is None:  # not refreshed since the last write: count live (the same query)
        where = [t.document.c.party_id == party_id] if party_id is not None else []
        data = {
            kind: connection.execute(
                grouped_counts(connection, per_letter=kind == LETTER, where=where)
            ).all()
            for kind in (LETTER, CHAIN)
        }
    letter_of = {int(i): int(r) for i, r in connection.execute(
        sa.select(t.item.c.id, t.item.c.request_id))}
    out: tuple[Counts, Counts] = (defaultdict(int), defaultdict(int))
    for kind, into in ((CHAIN, out[0]), (LETTER, out[1])):
        for key, party, production, n in data[kind]:
            letter = letter_of.get(int(key)) if kind == CHAIN else int(key)
            if letter not in letters or int(production) not in received:
                continue
            if party_id is not None and int(party) != party_id:
                continue
            into[(int(key), int(party))] += int(n)
    return dict(out[0]), dict(out[1])
