"""One engine, made by a factory and injected; one session per unit of work.

No engine exists at import time. ``open_database`` is what faces call: it builds the engine
for a URL and brings the schema to the newest migration (the only way the schema changes).
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from gaptrack.errors import DatabaseError

T = TypeVar("T")
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


BUSY_TIMEOUT_MS = 10_000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL lets the TUI's reader threads run while an import writes. While a large import
    # holds the database in rollback mode (bulk_load) the switch cannot be made:
    # this connection then works in rollback mode, and the import puts WAL back when done.
    _set_journal_mode(dbapi_connection, "wal")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _set_journal_mode(dbapi_connection: Any, mode: str) -> bool:
    """Switch a SQLite connection's journal mode without waiting; whether it switched."""
    dbapi_connection.execute("PRAGMA busy_timeout=0")
    try:
        row = dbapi_connection.execute(f"PRAGMA journal_mode={mode}").fetchone()
    except sqlite3.OperationalError:  # another connection holds the database
        return False
    finally:
        dbapi_connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return row is not None and str(row[0]).lower() == mode


@contextmanager
def sort_settings(conn: Connection, *, cache_kib: int, threads: int) -> Iterator[None]:
    """SQLite: run a large sort (CREATE INDEX, a GROUP BY over an import) with this page cache
    and up to this many sorter threads, then put the connection's own back. The sorter holds
    as much as the cache allows before it spills to a file (so the cache bounds the memory a
    sort adds), and its threads sort and merge those runs alongside. PostgreSQL: a no-op."""
    if conn.dialect.name != "sqlite":
        yield
        return
    cache = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    before = conn.exec_driver_sql("PRAGMA threads").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = -{int(cache_kib)}")
    conn.exec_driver_sql(f"PRAGMA threads = {min(int(threads), os.cpu_count() or 1)}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(cache or 0)}")
        conn.exec_driver_sql(f"PRAGMA threads = {int(before or 0)}")


@contextmanager
def bulk_load(conn: Connection) -> Iterator[bool]:
    """Settings for a bulk load on ``conn``, made before its transaction begins; yields
    whether the load writes with the rollback journal. PostgreSQL: a no-op.

    * **Foreign keys are not enforced.** A bulk importer makes every reference it writes
      itself (a participant's document is the row it has just inserted, a party comes from
      the party table, a family parent from a lookup), so checking each one again is work
      for nothing: a tenth of the insert time, a B-tree search per participant.
    * **The rollback journal instead of the WAL**, when nothing else has the database open.
      In WAL mode every page a load writes is written twice: into the WAL during the
      transaction, and into the database by the checkpoint after the commit. With the
      rollback journal the pages a load adds go straight into the database file; only the
      few existing pages it changes are copied to the journal first. At a million records
      that saves about 2 s of a 19 s import and halves what it writes to disk. The price,
      for the load's duration only: connections opened meanwhile wait for it (busy timeout)
      instead of reading the last committed state. The switch needs the database to
      itself, so with any other connection open — a TUI, a second import — the load simply
      stays in WAL mode. A killed load leaves a hot journal, which SQLite rolls back when
      the database is next opened; the connect hook then puts WAL back.
    """
    if conn.dialect.name != "sqlite":
        yield False
        return
    raw: Any = conn.connection.driver_connection
    raw.execute("PRAGMA foreign_keys=OFF")
    switched = _set_journal_mode(raw, "delete")
    if switched:
        # Rollback mode at NORMAL may corrupt on power loss on some file systems; a single
        # bulk transaction pays FULL's extra sync only once.
        raw.execute("PRAGMA synchronous=FULL")
    try:
        yield switched
    finally:
        if switched:
            raw.execute("PRAGMA synchronous=NORMAL")
            _set_journal_mode(raw, "wal")  # failing that, the next connection opened does
        raw.execute("PRAGMA foreign_keys=ON")


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` says another connection holds the database (SQLite's lock, or a
    PostgreSQL lock or serialization timeout): worth waiting for and trying again."""
    orig = getattr(exc, "orig", exc)
    text = str(orig).lower()
    return isinstance(exc, sa.exc.OperationalError) and (
        "database is locked" in text or "database table is locked" in text
        or "lock timeout" in text or "could not serialize" in text
    )


def retry_busy(work: Callable[[], T], delays: Sequence[float]) -> T:
    """``work()``, tried again after each of ``delays`` (seconds) while the database is busy;
    still busy after the last, a :class:`DatabaseError` saying so (never a traceback)."""
    for delay in (*delays, None):
        try:
            return work()
        except sa.exc.OperationalError as exc:
            if not is_busy(exc):
                raise
            if delay is None:
                raise DatabaseError(
                    "the database is busy: another program (an import or a load) is writing "
                    f"to it; try again when it has finished ({exc.orig})",
                    title="Database busy",
                ) from exc
        time.sleep(delay)
    raise AssertionError("unreachable")


def make_engine(url: str, *, echo: bool = False, **options: Any) -> Engine:
    """Build the engine for ``url`` (``sqlite:///...`` or ``postgresql+psycopg://...``)."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30}, **options
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, echo=echo, pool_pre_ping=True, **options)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A unit of work: commit on success, roll back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


@functools.cache  # the migration scripts ship with the package: read them once per process
def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    config = alembic_config(sa.create_engine("sqlite://"))
    return ScriptDirectory.from_config(config).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@functools.cache  # as head_revision
def known_revisions() -> frozenset[str]:
    from alembic.script import ScriptDirectory

    config = alembic_config(sa.create_engine("sqlite://"))
    return frozenset(r.revision for r in ScriptDirectory.from_config(config).walk_revisions())


def check_schema(engine: Engine) -> str | None:
    """The database's revision, after refusing what must never be migrated: a revision this
    gaptrack does not know (made by a newer one), or tables without any revision (not a
    gaptrack database). Either refusal changes nothing."""
    revision = current_revision(engine)
    where = engine.url.render_as_string(hide_password=True)
    if revision is not None and revision not in known_revisions():
        raise DatabaseError(
            f"the database at {where} is at schema revision {revision!r}, which this gaptrack "
            f"does not know (its newest is {head_revision()!r}): it was written by a newer "
            "gaptrack. Upgrade gaptrack; the database was not changed.",
            title="Database too new",
        )
    if revision is None:
        tables = [t for t in sa.inspect(engine).get_table_names() if not t.startswith("sqlite_")]
        if tables:
            raise DatabaseError(
                f"the database at {where} holds tables ({', '.join(sorted(tables)[:5])}) but "
                "no gaptrack schema revision: it is not a gaptrack database, and was not "
                "changed.",
                title="Not a gaptrack database",
            )
    return revision


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` through the migrations (never from an unknown
    revision, never over another program's tables: :func:`check_schema`)."""
    from alembic import command

    check_schema(engine)
    command.upgrade(alembic_config(engine), revision)


def upgrade_and_derive(engine: Engine) -> None:
    """Upgrade a database someone is opening to use, then bring its derived facts up to date:
    a migration may add a derived table (empty until derived) or change what a derivation
    makes, and reads never derive, so without this an upgraded case would show less than it
    holds until its next write."""
    from gaptrack.gaps.materialise import refresh_derived  # the core derives; db is below it

    upgrade(engine)
    refresh_derived(engine)


def _create(engine: Engine) -> None:
    """Make the schema in an empty database; if that fails, leave nothing behind (no
    ``alembic_version`` claiming a schema that is not there)."""
    try:
        upgrade(engine)
    except BaseException:
        with contextlib.suppress(sa.exc.SQLAlchemyError), engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                conn.commit()
            for name in sa.inspect(conn).get_table_names():
                if name.startswith("sqlite_"):
                    continue
                try:
                    cascade = "" if sqlite else " CASCADE"
                    conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"{cascade}')
                    conn.commit()
                except sa.exc.SQLAlchemyError:
                    conn.rollback()
        raise


def open_database(url: str, *, migrate: bool = True) -> Engine:
    """The engine for ``url``, with the schema upgraded on first use."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    try:
        if migrate:
            revision = check_schema(engine)
            if revision is None:
                _create(engine)
            elif revision != head_revision():
                upgrade_and_derive(engine)
    except sa.exc.DBAPIError as exc:
        engine.dispose()
        raise DatabaseError(f"cannot open the database at {engine.url!r}: {exc.orig}") from exc
    return engine


def open_existing(url: str) -> Engine:
    """The engine for a database that must already exist (read commands never create one);
    an older schema is upgraded. Missing: ``NotFoundError`` saying how to create it."""
    from gaptrack.errors import NotFoundError

    where = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else None
    missing = NotFoundError(
        f"no gaptrack database at {where or make_engine(url).url.render_as_string()}; "
        "create one with gaptrack db init or load/import",
        title="No database",
    )
    if where is not None and (not Path(where).is_file() or Path(where).stat().st_size == 0):
        raise missing
    engine = make_engine(url)
    try:
        revision = check_schema(engine)
        if revision is None:
            engine.dispose()
            raise missing
        if revision != head_revision():
            upgrade_and_derive(engine)
    except sa.exc.DBAPIError as exc:
        raise DatabaseError(f"cannot open the database at {engine.url!r}: {exc.orig}") from exc
    return engine
