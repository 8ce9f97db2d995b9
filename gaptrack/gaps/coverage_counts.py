"""The ``coverage_count`` rows coverage reads (:mod:`gaptrack.coverage`): documents per
(party P, producing party, production, custodian, day).

* **own** rows (``subject_party_id == producer_party_id``): the documents P produced, per
  custodian (``""`` for none) and day;
* **others** rows: the documents another party produced that P is on in any role (each
  document once per party, however many roles), per producer and day (custodian ``""``).

The day is the UTC date the document was sent, else created; undated documents are not
counted (coverage cannot place them). Counting per production lets a read apply ``as_of``
by the production's receipt date, and lets a removed production take its rows with it
(``ON DELETE CASCADE``).

Refreshed by :func:`gaptrack.gaps.materialise.refresh_derived`, after writes, never on reads.
Only productions whose documents changed are recounted (their rows deleted and inserted
again, so two processes refreshing at once end with the same rows): an import's, whose
documents have new ids, and, when documents were removed, those whose number of documents
changed. A change to the parties, their addresses or aliases (participants' links follow
them) recounts everything. What the rows were counted at (a signature of the inputs to
participants' links, the highest document id, the documents in all and per production) is
kept in the ``derived_state`` row ``coverage``.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from gaptrack.db import sort_settings
from gaptrack.gaps import sql as t
from gaptrack.gaps.derived_state import digest_tables, only_added, read_state, write_state

STATE = "coverage"
SORTER_CACHE_KIB = 4096  # the page cache while counting (SQLite)
SORTER_THREADS = 2  # and the sorter's threads
COLUMNS = ["subject_party_id", "producer_party_id", "production_id", "custodian", "day",
           "documents"]


# What participants' parties rest on: the identity resolver's inputs.
LINK_INPUTS: tuple[tuple[sa.Table, tuple[str, ...]], ...] = (
    (t.party, ("id", "name")),
    (t.party_address, ("party_id", "address")),
    (t.party_alias, ("party_id", "alias_norm")),
)


def _day(dialect: str) -> Any:
    d = t.document
    return t.date_of(sa.func.coalesce(d.c.date_sent, d.c.date_created), dialect)


def own_rows(dialect: str, where: list[Any]) -> Any:
    """(P, P, production, custodian, day, documents) for the documents in ``where``."""
    d, day = t.document, _day(dialect)
    custodian = sa.func.coalesce(d.c.custodian, "")
    return (
        sa.select(d.c.party_id, d.c.party_id, d.c.production_id, custodian, day,
                  sa.func.count())
        .where(day.is_not(None), *where)
        .group_by(d.c.party_id, d.c.production_id, custodian, day)
    )


def others_rows(dialect: str, where: list[Any]) -> Any:
    """(P, producer, production, "", day, documents) for the documents in ``where`` that
    party P (not their producer) is on."""
    d, p, day = t.document, t.participant, _day(dialect)
    return (
        sa.select(p.c.party_id, d.c.party_id, d.c.production_id, sa.literal(""), day,
                  sa.func.count(sa.distinct(d.c.id)))
        .select_from(d.join(p, p.c.document_id == d.c.id))
        .where(day.is_not(None), p.c.party_id.is_not(None), p.c.party_id != d.c.party_id,
               *where)
        .group_by(p.c.party_id, d.c.party_id, d.c.production_id, day)
    )


def _count(connection: Connection, productions: list[int] | None, documents: int = 0) -> None:
    """Insert the rows of ``productions`` (None: of every production), which hold
    ``documents`` documents."""
    dialect = connection.dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    where = [] if productions is None else [t.document.c.production_id.in_(productions)]
    others = where
    if productions is not None and _linked_first(connection, documents):
        # SQLite keeps no statistics after a load and would start from the productions'
        # documents, probing each one's participants (three per document of a
        # million-document import that links none); starting from the few linked
        # participants gives the same rows. ``+ 0`` keeps the filter off its index.
        others = [(t.document.c.production_id + 0).in_(productions)]
    # A small page cache: the GROUP BY sorts every document counted, and a large cache grew
    # a million-document import by 50 MB for a few rows out. The import's mapping process
    # has finished by now, so a second sorter thread has a core (a quarter less time).
    with sort_settings(connection, cache_kib=SORTER_CACHE_KIB, threads=SORTER_THREADS):
        for rows in (own_rows(dialect, where), others_rows(dialect, others)):
            connection.execute(module.insert(t.coverage_count).from_select(COLUMNS, rows)
                               .on_conflict_do_nothing())


def _linked_first(connection: Connection, documents: int) -> bool:
    """SQLite: whether the participants linked to a party (read from their partial index)
    are fewer than the productions' documents have participants (about three each)."""
    if connection.dialect.name != "sqlite":
        return False  # PostgreSQL's planner weighs the two with its own statistics
    p = t.participant
    linked = connection.execute(
        sa.select(sa.func.count()).select_from(p).where(p.c.party_id.is_not(None))
    ).scalar_one()
    return int(linked) < 3 * documents


def _per_production(connection: Connection, productions: list[int] | None) -> dict[str, int]:
    """Documents per production (of ``productions``; None: of every one), keyed as JSON."""
    d = t.document
    rows = sa.select(d.c.production_id, sa.func.count()).group_by(d.c.production_id)
    if productions is not None:
        rows = rows.where(d.c.production_id.in_(productions))
    return {str(p): int(n) for p, n in connection.execute(rows)}


def _recount(
    connection: Connection, last: dict[str, Any], top: int, documents: int
) -> tuple[list[int], dict[str, int]] | None:
    """The productions whose rows must be counted again, and the documents per production
    after; None when everything must be."""
    held = last.get("productions")
    after = int(last.get("max_document_id", 0))
    if not isinstance(held, dict):
        return None
    d = t.document
    touched = {int(r[0]) for r in connection.execute(
        sa.select(d.c.production_id).where(d.c.id > after).distinct())}
    if after <= top and only_added(connection, d.c.id, after=after,
                                   before=int(last["documents"]), now=documents):
        return sorted(touched), {**held, **_per_production(connection, sorted(touched))}
    # Documents were removed (a production, usually: its rows went with it; SQLite may then
    # give its ids to the next import). Recount the productions whose number of documents
    # changed, and clear those that are gone.
    counts = _per_production(connection, None)
    touched |= {int(p) for p, n in counts.items() if held.get(p) != n}
    touched |= {int(p) for p in held if p not in counts}
    return sorted(touched), counts


def refresh_coverage(connection: Connection, *, top: int, documents: int) -> None:
    """Bring the rows up to date: ``top`` is the highest document id, ``documents`` how many
    there are (both read by the caller in this transaction)."""
    cc = t.coverage_count
    signature = digest_tables(connection, LINK_INPUTS)
    last = read_state(connection, STATE)
    now = {"signature": signature, "max_document_id": top, "documents": documents}
    if last is not None and all(last.get(k) == v for k, v in now.items()):
        return
    plan = None
    if last is not None and last.get("signature") == signature:
        plan = _recount(connection, last, top, documents)
    if plan is None:  # participants' links may have moved: everything again
        connection.execute(sa.delete(cc))
        _count(connection, None)
        productions = _per_production(connection, None)
    else:
        touched, productions = plan
        if touched:
            connection.execute(sa.delete(cc).where(cc.c.production_id.in_(touched)))
            _count(connection, touched, sum(productions.get(str(p), 0) for p in touched))
    write_state(connection, STATE, {**now, "productions": productions, "full": plan is None})
