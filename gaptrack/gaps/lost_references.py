"""The ``lost_reference`` rows the referenced-unproduced gaps read: each (referring email,
referenced MIH) whose original had not arrived when the referring email did, with the date the
first document with that MIH arrived (NULL: none has).

Whether an original exists is a probe of the document index per reference; at a million
documents there are hundreds of thousands of references and a few percent of them are lost,
so the probes are run after writes, here, instead of on every read. A read keeps the rows
unanswered as of its date (``answered_on`` NULL or later), which is exactly the set the probe
would find: a reference answered no later than its referring email arrived is answered on
every date that email counts, so it has no row. A "Message-ID" without ``@`` is not one and
has no row either.

Refreshed by :func:`gaptrack.gaps.materialise.refresh_derived`, after writes, never on reads.
What changed since the last refresh decides the work: new references (higher ids) get their
rows, kept rows whose MIH a new document has are dated again (and go if that answers them in
time); removed documents or references redo everything. What the rows were made at (the
highest document and reference ids and the number of each) is kept in the ``derived_state``
row ``lost_references``.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from gaptrack.gaps import sql as t
from gaptrack.gaps.derived_state import only_added, read_state, write_state

STATE = "lost_references"


def _answered_on(original: Any, production: Any, mih: Any) -> Any:
    """When the first document with MIH ``mih`` arrived (NULL: none has)."""
    return (
        sa.select(sa.func.min(production.c.date_received))
        .select_from(original.join(production, production.c.id == original.c.production_id))
        .where(original.c.mih == mih)
        .scalar_subquery()
    )


def _rows(newer_than: int | None) -> Any:
    """(document_id, mih, message_id, answered_on) of the lost references among those with
    an id above ``newer_than`` (None: every reference)."""
    r, d, pr = t.reference, t.document, t.production
    original, original_production = t.document.alias("original"), t.production.alias("first")
    refs = (
        sa.select(
            r.c.document_id, r.c.mih, sa.func.min(r.c.message_id).label("message_id"),
            pr.c.date_received.label("received"),
        )
        .select_from(r.join(d, d.c.id == r.c.document_id).join(pr, pr.c.id == d.c.production_id))
        .where(r.c.message_id.like("%@%"), *([] if newer_than is None else [r.c.id > newer_than]))
        .group_by(r.c.document_id, r.c.mih, pr.c.date_received)
        .subquery("refs")
    )
    answered_on = _answered_on(original, original_production, refs.c.mih)
    dated = sa.select(
        refs.c.document_id, refs.c.mih, refs.c.message_id, answered_on.label("answered_on"),
        refs.c.received,
    ).subquery("dated")
    return sa.select(
        dated.c.document_id, dated.c.mih, dated.c.message_id, dated.c.answered_on
    ).where(sa.or_(dated.c.answered_on.is_(None), dated.c.answered_on > dated.c.received))


def _insert(connection: Connection, newer_than: int | None) -> None:
    module: Any = postgresql if connection.dialect.name == "postgresql" else sqlite
    columns = ["document_id", "mih", "message_id", "answered_on"]
    insert = module.insert(t.lost_reference).from_select(columns, _rows(newer_than))
    connection.execute(insert.on_conflict_do_nothing())


def _counts(connection: Connection, top: int, documents: int) -> dict[str, int]:
    """What the rows rest on now: the documents (``top`` and ``documents``, read by the
    caller) and the references."""
    r = t.reference
    # One statement each: alone, max(id) is a step down the primary key and count(*) a read
    # of the smallest index (together they walk an index).
    return {
        "max_document_id": top,
        "documents": documents,
        "max_reference_id": int(connection.execute(
            sa.select(sa.func.coalesce(sa.func.max(r.c.id), 0))).scalar_one()),
        "references": int(connection.execute(
            sa.select(sa.func.count()).select_from(r)).scalar_one()),
    }


def _grown_only(connection: Connection, last: dict[str, Any], now: dict[str, int]) -> bool:
    """Nothing was removed since ``last`` (otherwise everything is redone)."""
    return all(
        int(last.get(f"max_{key}_id", -1)) <= now[f"max_{key}_id"]
        and only_added(connection, column, after=int(last[f"max_{key}_id"]),
                       before=int(last[plural]), now=now[plural])
        for key, plural, column in (("document", "documents", t.document.c.id),
                                    ("reference", "references", t.reference.c.id))
    )


def _answered_by_new(connection: Connection, after_document: int) -> None:
    """Kept rows whose MIH a new document (id above ``after_document``) has: their date of
    answer again, and gone when it is no later than their referring email's arrival."""
    lost, d, pr = t.lost_reference, t.document, t.production
    new = t.document.alias("new")
    original, first = t.document.alias("original"), t.production.alias("first")
    connection.execute(
        sa.update(lost)
        .where(sa.exists().where(new.c.mih == lost.c.mih, new.c.id > after_document))
        .values(answered_on=_answered_on(original, first, lost.c.mih))
    )
    arrived = (
        sa.select(pr.c.date_received)
        .select_from(d.join(pr, pr.c.id == d.c.production_id))
        .where(d.c.id == lost.c.document_id)
        .scalar_subquery()
    )
    connection.execute(
        sa.delete(lost).where(lost.c.answered_on.is_not(None), lost.c.answered_on <= arrived)
    )


def refresh_lost_references(connection: Connection, *, top: int, documents: int) -> bool:
    """Bring the rows up to date; ``top`` is the highest document id, ``documents`` how many
    there are (both read by the caller in this transaction). True when anything was redone."""
    lost = t.lost_reference
    now = _counts(connection, top, documents)
    last = read_state(connection, STATE)
    if last is not None and all(last.get(k) == v for k, v in now.items()):
        return False
    full = last is None or not _grown_only(connection, last, now)
    if full:
        connection.execute(sa.delete(lost))
        _insert(connection, None)
    else:
        assert last is not None
        _answered_by_new(connection, int(last["max_document_id"]))
        _insert(connection, int(last["max_reference_id"]))
    write_state(connection, STATE, {**now, "full": full})
    return True
