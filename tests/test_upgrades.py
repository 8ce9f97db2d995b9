"""Upgrades keep data (issue 17, line 6): a database made at every earlier migration revision,
with a row in every table (plain SQL, values made from the schema at that revision), is
upgraded to the newest revision; every row is still there with every value it had, on both
backends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from gaptrack.db import alembic_config, current_revision, head_revision, make_engine, upgrade

SCRIPTS = ScriptDirectory.from_config(alembic_config(sa.create_engine("sqlite://")))
EARLIER = [r.revision for r in reversed(list(SCRIPTS.walk_revisions()))][:-1]


def _empty(db_url: str) -> Engine:
    """The test's database emptied: no tables, no revision."""
    if db_url.startswith("sqlite:///"):
        path = Path(db_url.removeprefix("sqlite:///"))
        for leftover in (path, path.with_name(path.name + "-wal"),
                         path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        return make_engine(db_url)
    engine = make_engine(db_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    return make_engine(db_url)


def _plain_tables(conn: Connection) -> list[sa.Table]:
    """Every table gaptrack writes rows to (not Alembic's, not SQLite's full-text index)."""
    meta = sa.MetaData()
    meta.reflect(conn)
    virtual: list[str] = []
    if conn.dialect.name == "sqlite":
        virtual = [r[0] for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL%'")]
    return [t for t in meta.sorted_tables
            if t.name != "alembic_version"
            and not any(t.name == v or t.name.startswith(v + "_") for v in virtual)]


def _value(table: sa.Table, column: sa.Column[Any]) -> Any:
    """A value of the column's type (ids and references: 1, so every reference holds)."""
    if column.foreign_keys:
        target = next(iter(column.foreign_keys)).column.table.name
        return None if target == table.name else 1
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return True
    if isinstance(kind, sa.DateTime):
        return dt.datetime(2020, 1, 2, 3, 4, 5)
    if isinstance(kind, sa.Date):
        return dt.date(2020, 1, 2)
    if isinstance(kind, sa.Integer):
        return 1
    if isinstance(kind, sa.Float | sa.Numeric):
        return 1.5
    if isinstance(kind, sa.JSON):
        return {"kept": table.name}
    if isinstance(kind, sa.String):
        text = f"{table.name}.{column.name}"
        return text[: kind.length] if kind.length else text
    if type(kind).__name__ == "TSVECTOR":  # PostgreSQL's search index
        return sa.func.to_tsvector("simple", "kept words")
    return None  # a type this test does not make


def _fill(engine: Engine) -> dict[str, dict[str, Any]]:
    """One row in every table, as the database reads it back."""
    with engine.begin() as conn:
        tables = _plain_tables(conn)
        for table in tables:
            conn.execute(table.insert().values(
                {c.name: _value(table, c) for c in table.columns}))
        return {t.name: dict(conn.execute(sa.select(t)).one()._mapping) for t in tables}


@pytest.mark.parametrize("revision", EARLIER)
def test_an_upgrade_from_every_earlier_revision_keeps_every_row(db_url: str,
                                                                 revision: str) -> None:
    engine = _empty(db_url)
    upgrade(engine, revision)
    assert current_revision(engine) == revision
    before = _fill(engine)
    assert len(before) >= 20, sorted(before)  # every table of the schema, not a few
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        after = {t.name: t for t in _plain_tables(conn)}
        for name, row in before.items():
            assert name in after, f"table {name} was dropped by the upgrade from {revision}"
            table = after[name]
            kept = [c for c in row if c in table.c]
            found = [dict(r._mapping) for r in conn.execute(sa.select(*(table.c[c] for c in kept)))]
            assert found == [{c: row[c] for c in kept}], (name, revision)
    engine.dispose()
