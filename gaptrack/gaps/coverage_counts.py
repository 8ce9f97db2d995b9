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
An import adds documents under new ids: the productions those documents belong to are
recounted (their rows deleted and inserted again, so two processes refreshing at once end
with the same rows). Anything else — the parties, their addresses or aliases changed (the
participants' links follow them), or documents were removed — recounts everything. What the
rows were counted at (a signature of the inputs to participants' links, the highest
document id, the number of documents) is kept in the ``derived_state`` row ``coverage``.
"""

from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from gaptrack.gaps import sql as t
from gaptrack.gaps.derived_state import read_state, write_state

STATE = "coverage"
COLUMNS = ["subject_party_id", "producer_party_id", "production_id", "custodian", "day",
           "documents"]


def _signature(connection: Connection) -> str:
    """What participants' parties rest on (the identity resolver's inputs)."""
    digest = hashlib.sha256()
    for table, columns in (
        (t.party, ("id", "name")),
        (t.party_address, ("party_id", "address")),
        (t.party_alias, ("party_id", "alias_norm")),
    ):
        cols = [table.c[c] for c in columns]
        digest.update(table.name.encode())
        rows = connection.execute(sa.select(*cols).order_by(*cols)).all()
        digest.update(repr([tuple(r) for r in rows]).encode())  # a Row's repr is slow
    return digest.hexdigest()


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


def _count(connection: Connection, productions: list[int] | None) -> None:
    """Insert the rows of ``productions`` (None: of every production)."""
    dialect = connection.dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    where = [] if productions is None else [t.document.c.production_id.in_(productions)]
    for rows in (own_rows(dialect, where), others_rows(dialect, where)):
        connection.execute(
            module.insert(t.coverage_count).from_select(COLUMNS, rows).on_conflict_do_nothing()
        )


def refresh_coverage(connection: Connection, *, top: int, documents: int) -> None:
    """Bring the rows up to date: ``top`` is the highest document id, ``documents`` how many
    there are (both read by the caller in this transaction)."""
    d, cc = t.document, t.coverage_count
    signature = _signature(connection)
    last = read_state(connection, STATE)
    now = {"signature": signature, "max_document_id": top, "documents": documents}
    if last is not None and all(last.get(k) == v for k, v in now.items()):
        return
    incremental = (
        last is not None
        and last.get("signature") == signature
        and int(last.get("max_document_id", 0)) <= top
    )
    if incremental and last is not None:
        after = int(last["max_document_id"])
        newer = connection.execute(
            sa.select(sa.func.count()).select_from(d).where(d.c.id > after)
        ).scalar_one()
        incremental = int(last["documents"]) + int(newer) == documents  # none removed
    if incremental and last is not None:
        touched = [int(r[0]) for r in connection.execute(
            sa.select(d.c.production_id).where(d.c.id > int(last["max_document_id"]))
            .distinct())]
        if touched:
            connection.execute(sa.delete(cc).where(cc.c.production_id.in_(touched)))
            _count(connection, touched)
    else:
        connection.execute(sa.delete(cc))
        _count(connection, None)
    write_state(connection, STATE, {**now, "full": not incremental})
