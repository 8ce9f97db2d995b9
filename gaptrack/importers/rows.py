"""Bulk rows for any table: the one encoding of values, and the one way rows go in.

Every bulk path — imports (:class:`~gaptrack.importers.writer.BulkWriter` builds on these),
the privilege-log insert, case-file loads (``casefile/store``) and the synthetic generator —
binds values as the column types
would store them (the bulk statements bypass SQLAlchemy's per-value type processing, which
would dominate their time) and writes them with SQLite's ``executemany`` or PostgreSQL's
``COPY`` (2–3× faster than ``executemany`` there), on the caller's connection and inside its
transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

CHUNK = 5000


def sqlite_datetime(value: dt.datetime | None) -> str | None:
    """A datetime as SQLModel's ``UTCDateTime`` stores it on SQLite: naive UTC text (an
    aware value is converted to UTC first)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    if value.year >= 1000:
        # isoformat is several times faster than strftime and gives the same text from
        # year 1000 on (strftime does not zero-pad smaller years on glibc).
        return value.isoformat(" ", "microseconds")
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def sqlite_value(value: Any) -> Any:
    """A value as the column types store it on SQLite (datetimes and dates as text)."""
    if isinstance(value, dt.datetime):
        return sqlite_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def postgres_value(value: Any) -> Any:
    """A value as the column types bind it on PostgreSQL: a naive datetime is UTC (the
    server would read it in its own time zone)."""
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


class SqlDialect:
    """The few differences between SQLite and PostgreSQL that bulk SQL needs."""

    def __init__(self, connection: Connection) -> None:
        self.sqlite = connection.dialect.name == "sqlite"
        self.mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"

    def marks(self, n: int) -> str:
        return ", ".join([self.mark] * n)

    def value(self, value: Any) -> Any:
        """Bind a value as the column types would (these inserts bypass them for speed)."""
        return sqlite_value(value) if self.sqlite else postgres_value(value)

    @staticmethod
    def json(value: Any) -> str | None:
        """A ``JSON`` column's value as text (both backends take it so); None stays NULL."""
        return None if value is None else json.dumps(value)


def width(table: str, column: str) -> int:
    """The declared length of a string column (PostgreSQL enforces it; SQLite does not, so
    the bulk paths check values against it on both)."""
    from gaptrack.models import metadata

    length = getattr(metadata.tables[table].c[column].type, "length", None)
    assert length is not None, f"{table}.{column} has no length"
    return int(length)


def insert_rows(
    conn: Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]],
    *, insert: str | None = None,
) -> None:
    """Rows (values already encoded) into ``table``: ``executemany`` of ``insert`` (default:
    a plain INSERT of ``columns``) on SQLite, ``COPY`` on PostgreSQL."""
    if not rows:
        return
    if conn.dialect.name == "sqlite":
        statement = insert or (
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        )
        conn.exec_driver_sql(statement, rows)
        return
    raw: Any = conn.connection.driver_connection
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def integrity_error(exc: Exception) -> bool:
    """A constraint failure: SQLAlchemy's, or psycopg's from a ``COPY`` (insert_rows runs
    it on the driver's connection). psycopg is looked up, not imported: it is loaded
    when the database is PostgreSQL, and a SQLite load (and its mapping child) is spared it."""
    if isinstance(exc, IntegrityError):
        return True
    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(exc, psycopg.IntegrityError)


class TableWriter:
    """Rows of any tables, buffered per table and written in chunks by :func:`insert_rows`,
    every value encoded by :class:`SqlDialect`. Tables are flushed in the order first seen,
    so rows that others reference go in first; a full ``document`` buffer flushes all."""

    def __init__(self, connection: Connection, chunk: int = CHUNK) -> None:
        self.connection = connection
        self.sql = SqlDialect(connection)
        self.chunk = chunk
        self.buffers: dict[str, list[dict[str, Any]]] = {}
        self.tables: dict[str, sa.Table] = {}

    def add(self, model: Any, row: dict[str, Any]) -> None:
        table: sa.Table = getattr(model, "__table__", model)
        buffer = self.buffers.get(table.name)
        if buffer is None:
            buffer = self.buffers[table.name] = []
            self.tables[table.name] = table
        buffer.append(row)
        if len(buffer) >= self.chunk and table.name == "document":
            # Children reference documents: write parents first, then everything buffered.
            self.flush()

    def flush(self) -> None:
        encode = self.sql.value
        for name, rows in self.buffers.items():
            if not rows:
                continue
            first = rows[0]
            # A key the rows leave out is the database's to number.
            columns = [c.name for c in self.tables[name].columns
                       if c.name in first or not c.primary_key]
            table = self.tables[name]
            blank = {c: _column_default(table.c[c]) for c in columns}
            pick = itemgetter(*columns)
            if any(isinstance(table.c[c].type, sa.JSON) for c in columns):
                coders = [self.sql.json if isinstance(table.c[c].type, sa.JSON) else encode
                          for c in columns]
                values = [tuple(f(v) for f, v in zip(coders, pick(blank | row), strict=True))
                          for row in rows]
            else:
                values = [tuple(map(encode, pick(blank | row))) for row in rows]
            insert_rows(self.connection, name, columns, values)
            rows.clear()


def write_rows(connection: Connection, table: sa.Table, rows: Iterable[dict[str, Any]]) -> None:
    """Rows given as dicts of unencoded values into ``table`` now, through a
    :class:`TableWriter` (the one encoding; ``executemany`` or ``COPY``)."""
    out = TableWriter(connection)
    for row in rows:
        out.add(table, row)
    out.flush()


def _column_default(column: Any) -> Any:
    """What a row that leaves ``column`` out gets: its scalar default, else None."""
    default = column.default
    if default is not None and default.is_scalar:
        return getattr(default, "arg", None)
    server = getattr(column.server_default, "arg", None)
    return server if isinstance(server, str) else None
