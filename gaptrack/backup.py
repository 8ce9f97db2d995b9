"""``db backup`` / ``db restore``: a consistent copy of the whole database, and back.

SQLite: the online backup API (``sqlite3.Connection.backup``), a consistent copy even while
the TUI or an import has the database open. PostgreSQL: ``pg_dump --format=custom`` and
``pg_restore --clean``, when the client tools are installed; otherwise the error gives the
command to run. A restore refuses a file that is not a sound gaptrack database of a schema
revision this gaptrack knows, and changes nothing then.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import Engine

from gaptrack.db import known_revisions
from gaptrack.errors import DatabaseError, GaptrackError, InputError


def _sqlite_path(engine: Engine) -> Path:
    return Path(engine.url.database or "")


def _libpq(engine: Engine) -> tuple[str, dict[str, str]]:
    """The URL for the client tools (no driver suffix; the password in the environment)."""
    url = engine.url.set(drivername="postgresql")
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return url.set(password=None).render_as_string(hide_password=False), env


def _tool(name: str, example: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise DatabaseError(f"{name} is not installed (Debian: postgresql-client); run: {example}")
    return found


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise DatabaseError(f"{what} failed: {done.stderr.strip()[-1000:]}")


def backup(engine: Engine, target: Path) -> None:
    """Copy the whole database to ``target`` (a new file)."""
    if target.exists():
        raise InputError("exists already: choose a new file name", file=target)
    if not target.parent.is_dir():
        raise InputError("its folder does not exist", file=target)
    if engine.dialect.name == "sqlite":
        try:
            with closing(sqlite3.connect(_sqlite_path(engine))) as source, \
                    closing(sqlite3.connect(target)) as copy:
                source.backup(copy)
        except sqlite3.Error as exc:
            target.unlink(missing_ok=True)
            raise DatabaseError(f"backup to {target} failed: {exc}") from exc
        return
    url, env = _libpq(engine)
    pg_dump = _tool("pg_dump", f"pg_dump --format=custom --file {target} {url}")
    try:
        _run([pg_dump, "--format=custom", "--no-owner", "--file", str(target), "--dbname", url],
             env, "pg_dump")
    except GaptrackError:
        target.unlink(missing_ok=True)
        raise


def _check_sqlite_file(source: Path) -> None:
    """A sound SQLite database holding a gaptrack schema this gaptrack knows."""
    try:
        with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as conn:
            ok = conn.execute("PRAGMA integrity_check").fetchone()
            if ok is None or ok[0] != "ok":
                raise InputError(f"not a sound SQLite database ({ok[0] if ok else '?'})",
                                 file=source)
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as exc:
        raise InputError(f"not a gaptrack backup ({exc})", file=source) from exc
    if revision is None or revision[0] not in known_revisions():
        raise InputError(f"schema revision {revision[0] if revision else None!r} is not one "
                         "this gaptrack knows", file=source)


def restore(engine: Engine, source: Path) -> None:
    """Replace the whole database with the copy in ``source``."""
    if not source.is_file():
        raise InputError("no such file", file=source)
    if engine.dialect.name == "sqlite":
        _check_sqlite_file(source)
        engine.dispose()
        try:
            with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as copy, \
                    closing(sqlite3.connect(_sqlite_path(engine), timeout=30)) as live:
                copy.backup(live)
        except sqlite3.Error as exc:
            raise DatabaseError(f"restore from {source} failed: {exc}") from exc
        return
    url, env = _libpq(engine)
    pg_restore = _tool("pg_restore", f"pg_restore --clean --if-exists --dbname {url} {source}")
    engine.dispose()
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--single-transaction",
          "--dbname", url, str(source)], env, "pg_restore")
