"""Building the full-text index: each production once, when it is first searched.

An import does not index what it wrote (at a million documents the index would cost a
third of the import): the production is left *stale*, which is simply "not in the index
state" below. :func:`ensure_index` is what every reader calls before it reads (a search,
the term report, keyword criteria): it indexes the productions not indexed yet, one
set-based INSERT … SELECT each, and, on SQLite, rebuilds the index when documents have gone
since it was built (FTS5's external content cannot drop a row whose words are no longer
there to read). It is cheap when nothing changed: a few indexed counts.
:func:`index_production` indexes one production at once; :func:`rebuild_index` all.

Where the index got to is kept per backend:

* SQLite: the ids of the productions indexed and the number of documents they held, in the
  ``derived_state`` row ``search`` (SQLite has one writer at a time, so no update is lost).
* PostgreSQL: the index rows themselves: as many as there are documents means up to date
  (deletions cascade); otherwise the documents without one are indexed.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from gaptrack.gaps import sql as t
from gaptrack.search.schema import (
    COLUMNS,
    FTS_TABLE,
    PG_TABLE,
    ensure_schema,
    fold_sql,
)
from gaptrack.service.events import utcnow

STATE = "search"  # the derived_state row (SQLite)
# PostgreSQL refuses a tsvector over 1 MB; words past this many characters of one
# document's text are not indexed there.
PG_TEXT_LIMIT = 200_000

_COLUMN_LIST = ", ".join(COLUMNS)


def _pg_vector() -> str:
    subject = "concat_ws(' ', subject, title)"
    people = "concat_ws(' ', sender, recipients, cc, bcc)"
    text = f"left(coalesce(text, ''), {PG_TEXT_LIMIT})"
    return (
        f"setweight(to_tsvector('simple', {fold_sql(subject)}), 'A')"
        f" || setweight(to_tsvector('simple', {fold_sql(people)}), 'B')"
        f" || setweight(to_tsvector('simple', {fold_sql(text)}), 'D')"
    )


def _load_state(connection: Connection) -> dict[str, Any]:
    data = connection.execute(
        sa.select(t.derived_state.c.data).where(t.derived_state.c.name == STATE)
    ).scalar()
    if isinstance(data, str):
        data = json.loads(data)
    return data if isinstance(data, dict) else {"productions": [], "documents": 0}


def _save_state(connection: Connection, data: dict[str, Any]) -> None:
    table = t.derived_state
    now = utcnow()
    done = connection.execute(
        sa.update(table).where(table.c.name == STATE).values(data=data, updated_at=now)
    ).rowcount
    if not done:
        connection.execute(sa.insert(table).values(name=STATE, data=data, updated_at=now))


def _count(connection: Connection, where: str = "", params: tuple[Any, ...] = ()) -> int:
    sql = "SELECT count(*) FROM document" + (f" WHERE {where}" if where else "")
    return int(connection.exec_driver_sql(sql, params).scalar_one())


def _sqlite_insert(connection: Connection, production_ids: list[int]) -> int:
    done = 0
    for production_id in production_ids:
        done += int(
            connection.exec_driver_sql(
                f"INSERT INTO {FTS_TABLE}(rowid, {_COLUMN_LIST})"
                f" SELECT id, {_COLUMN_LIST} FROM document WHERE production_id = ?",
                (production_id,),
            ).rowcount
            or 0
        )
    return done


def rebuild_index(connection: Connection) -> int:
    """Index every document again, from scratch; the number indexed."""
    ensure_schema(connection)
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"DELETE FROM {PG_TABLE}")
        return _pg_insert(connection, "")
    connection.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    productions = [int(r[0]) for r in connection.exec_driver_sql("SELECT id FROM production")]
    total = _count(connection)
    _save_state(connection, {"productions": sorted(productions), "documents": total})
    return total


def _pg_insert(connection: Connection, where: str, params: tuple[Any, ...] = ()) -> int:
    sql = (
        f"INSERT INTO {PG_TABLE}(document_id, production_id, tsv)"
        f" SELECT id, production_id, {_pg_vector()} FROM document"
        + (f" WHERE {where}" if where else "")
        + " ON CONFLICT (document_id) DO NOTHING"
    )
    return int(connection.exec_driver_sql(sql, params).rowcount or 0)


def _pg_ensure(connection: Connection) -> int:
    """Index the documents without index rows: none when the two counts agree (index rows
    go with their documents, so equal counts mean the same documents)."""
    indexed = int(connection.exec_driver_sql(f"SELECT count(*) FROM {PG_TABLE}").scalar_one())
    if indexed == _count(connection):
        return 0
    return _pg_insert(
        connection,
        f"NOT EXISTS (SELECT 1 FROM {PG_TABLE} s WHERE s.document_id = document.id)",
    )


def ensure_index(connection: Connection) -> int:
    """Bring the index up to date with the documents; the number of documents indexed.

    SQLite: productions gone, or a document count that differs from what was indexed plus
    the new productions' documents, mean rows left the ``document`` table: rebuild.
    """
    ensure_schema(connection)
    if connection.dialect.name == "postgresql":
        return _pg_ensure(connection)
    state = _load_state(connection)
    indexed = {int(p) for p in state.get("productions", [])}
    existing = {int(r[0]) for r in connection.exec_driver_sql("SELECT id FROM production")}
    missing = sorted(existing - indexed)
    if indexed - existing:
        return rebuild_index(connection)
    expected = int(state.get("documents", 0))
    for production_id in missing:
        expected += _count(connection, "production_id = ?", (production_id,))
    total = _count(connection)
    if total != expected:
        return rebuild_index(connection)
    if not missing:
        return 0
    done = _sqlite_insert(connection, missing)
    _save_state(connection, {"productions": sorted(existing), "documents": total})
    return done


def index_production(connection: Connection, production_id: int | None) -> int:
    """Add the documents of a production to the index now (and any other production not
    indexed yet); the number of documents indexed."""
    if connection.dialect.name == "postgresql" and production_id is not None:
        ensure_schema(connection)
        return _pg_insert(connection, "production_id = %s", (production_id,))
    return ensure_index(connection)


_SEEN: dict[str, tuple[Any, ...]] = {}
_SEEN_LOCK = threading.Lock()


def _stamp(connection: Connection) -> tuple[Any, ...]:
    """Cheap to read (three index lookups), and it moves whenever documents come or go:
    new documents and productions take higher ids, and every removal records an event."""
    return tuple(connection.exec_driver_sql(
        "SELECT (SELECT max(id) FROM document), (SELECT max(id) FROM production),"
        " (SELECT max(id) FROM event)"
    ).one())


def ensure_current(engine: Engine) -> None:
    """:func:`ensure_index` in its own transaction, skipped when nothing moved since this
    process last made sure (what a search calls before it reads)."""
    key = engine.url.render_as_string(hide_password=True)
    with engine.connect() as connection:
        stamp = _stamp(connection)
    with _SEEN_LOCK:
        if _SEEN.get(key) == stamp:
            return
    with engine.begin() as connection:
        ensure_index(connection)
        stamp = _stamp(connection)
    with _SEEN_LOCK:
        _SEEN[key] = stamp


def forget_checks() -> None:
    """Forget which databases :func:`ensure_current` made sure of (the next search checks
    again, as a new process would)."""
    with _SEEN_LOCK:
        _SEEN.clear()
