"""Batch upserts on one connection: a query per table and batch, never a query per row.

``upsert`` matches rows on their natural key and inserts or updates only what differs, so a
second load of the same file writes nothing; a row may name (``KEEP``) the columns its file
does not mention, which an update leaves as they are. ``sync_children`` makes a parent's owned
rows (recipients, participants...) equal to the wanted set: the file is authoritative. Given
``undeclared``, it merges instead (aliases, addresses, counsel of a shared party): rows no
file of this load declares are kept and listed there, for ``load --prune`` to remove.
New rows go in through the one bulk writer (``importers/rows.write_rows``), which encodes
their values as every other load does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gaptrack.casefile.report import FileReport
from gaptrack.importers.rows import write_rows

CHUNK = 500

Key = tuple[Hashable, ...]
KEEP = "_keep"  # a row's key: the columns its file does not mention (an update skips them)
# One row a merging sync found undeclared: (its file's report, table, the row).
Undeclared = tuple[FileReport, sa.Table, dict[str, Any]]


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def fetch(
    conn: Connection,
    table: sa.Table,
    column: str,
    values: Iterable[Any],
    *,
    where: Any = None,
) -> list[dict[str, Any]]:
    """Rows whose ``column`` is one of ``values`` (chunked ``IN``), as dicts."""
    wanted = sorted({v for v in values if v is not None}, key=repr)
    out: list[dict[str, Any]] = []
    for part in chunks(wanted):
        query = sa.select(table).where(table.c[column].in_(part))
        if where is not None:
            query = query.where(where)
        out.extend(dict(row._mapping) for row in conn.execute(query))
    return out


def _key(row: dict[str, Any], key_cols: Sequence[str]) -> Key:
    return tuple(row[c] for c in key_cols)


def upsert(
    conn: Connection,
    table: sa.Table,
    key_cols: Sequence[str],
    rows: Sequence[tuple[FileReport, dict[str, Any]]],
    *,
    in_col: str | None = None,
    added: set[int] | None = None,
    insert_only: Sequence[str] = (),
) -> dict[Key, int]:
    """Insert or update ``rows`` (each tagged with the file it came from); ids by key.

    ``in_col`` is the column used to find existing rows (default: the first key column);
    the full key is then compared in Python, which also handles NULLs in keys. The ids of
    inserted rows go into ``added`` when given. ``insert_only`` columns are written for new
    rows and never compared (e.g. how a production was first loaded).
    """
    wanted, keep = _by_key(rows, key_cols)
    if not wanted:
        return {}
    column = in_col or key_cols[0]
    existing = {
        _key(r, key_cols): r
        for r in fetch(conn, table, column, (row[column] for _, row in wanted.values()))
        if _key(r, key_cols) in wanted
    }
    inserts: list[dict[str, Any]] = []
    updates: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    ids: dict[Key, int] = {}
    for key, (report, row) in wanted.items():
        old = existing.get(key)
        if old is None:
            inserts.append(row)
            report.added[table.name] += 1
            continue
        ids[key] = int(old["id"])
        changed = tuple(
            sorted(c for c, v in row.items()
                   if c not in insert_only and c not in keep[key] and old[c] != v)
        )
        if changed:
            report.updated[table.name] += 1
            values = {f"b_{c}": row[c] for c in changed}
            values["b_id"] = old["id"]
            updates[changed].append(values)
    _update(conn, table, updates)
    if inserts:
        write_rows(conn, table, inserts)
        for r in fetch(conn, table, column, (row[column] for row in inserts)):
            key = _key(r, key_cols)
            if key in wanted and key not in ids:
                ids[key] = int(r["id"])
                if added is not None:
                    added.add(int(r["id"]))
    return ids


def _by_key(
    rows: Sequence[tuple[FileReport, dict[str, Any]]], key_cols: Sequence[str]
) -> tuple[dict[Key, tuple[FileReport, dict[str, Any]]], dict[Key, frozenset[str]]]:
    """The first row given for each key (its ``KEEP`` taken out), and the columns each
    key's file does not mention."""
    wanted: dict[Key, tuple[FileReport, dict[str, Any]]] = {}
    keep: dict[Key, frozenset[str]] = {}
    for report, given in rows:
        row = {c: v for c, v in given.items() if c != KEEP}
        key = _key(row, key_cols)
        if key not in wanted:
            wanted[key] = (report, row)
            keep[key] = frozenset(given.get(KEEP, ()))
    return wanted, keep


def _update(
    conn: Connection, table: sa.Table, updates: dict[tuple[str, ...], list[dict[str, Any]]]
) -> None:
    """One executemany UPDATE per set of changed columns (``b_id`` and ``b_<column>``)."""
    for cols, params in updates.items():
        statement = (
            sa.update(table)
            .where(table.c.id == sa.bindparam("b_id"))
            .values({c: sa.bindparam(f"b_{c}") for c in cols})
        )
        conn.execute(statement, params)


def link(
    conn: Connection,
    table: sa.Table,
    column: str,
    wanted: dict[int, tuple[FileReport, Any]],
    added: set[int],
) -> None:
    """Set ``column`` (a link to another row: parent, renewed item...) where it differs.

    Links are written after their targets exist; rows inserted by this load (``added``)
    are not counted again as updated.
    """
    if not wanted:
        return
    current = {int(r["id"]): r[column] for r in fetch(conn, table, "id", wanted)}
    params: list[dict[str, Any]] = []
    for row_id, (report, value) in wanted.items():
        if current.get(row_id) != value:
            params.append({"b_id": row_id, "b_value": value})
            if row_id not in added:
                report.updated[table.name] += 1
    if params:
        statement = (
            sa.update(table)
            .where(table.c.id == sa.bindparam("b_id"))
            .values({column: sa.bindparam("b_value")})
        )
        conn.execute(statement, params)


def sync_children(
    conn: Connection,
    table: sa.Table,
    parent_col: str,
    wanted: dict[int, tuple[FileReport, list[dict[str, Any]]]],
    cols: Sequence[str],
    *,
    where: Any = None,
    extra: Sequence[str] = (),
    match: Sequence[str] | None = None,
    undeclared: list[Undeclared] | None = None,
) -> None:
    """Make each parent's rows (compared on ``cols``) exactly the wanted ones.

    Rows that stay are untouched; gone ones are deleted before new ones are inserted, so
    unique constraints (position, address) never see both. ``extra`` columns are written on
    insert but not compared (values that other code may fill in later). With ``undeclared``
    the rows merge: a row is found by its ``match`` columns (its unique key), and a row no
    parent declares is kept and appended there instead of deleted.
    """
    if not wanted:
        return
    have: dict[int, dict[Key, list[int]]] = defaultdict(lambda: defaultdict(list))
    rows_by_id: dict[int, dict[str, Any]] = {}
    for row in fetch(conn, table, parent_col, wanted, where=where):
        have[row[parent_col]][_key(row, match or cols)].append(int(row["id"]))
        rows_by_id[int(row["id"])] = row
    deletes: list[int] = []
    inserts: list[dict[str, Any]] = []
    for parent, (report, rows) in wanted.items():
        existing = have.get(parent, {})
        keep: set[Key] = set()
        for row in rows:
            key = _key(row, match or cols)
            if key in keep:
                continue
            keep.add(key)
            if key not in existing:
                inserts.append({parent_col: parent, **{c: row[c] for c in (*cols, *extra)}})
                report.added[table.name] += 1
        for key, row_ids in existing.items():
            gone = row_ids if key not in keep else row_ids[1:]
            if undeclared is not None:
                undeclared.extend((report, table, rows_by_id[i]) for i in gone)
                continue
            deletes.extend(gone)
            report.removed[table.name] += len(gone)
    for part in chunks(deletes):
        conn.execute(sa.delete(table).where(table.c.id.in_(part)))
    write_rows(conn, table, inserts)
