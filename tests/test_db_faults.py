"""Backups, upgrades and database faults (issue 17, lines 6 and 7).

``db backup`` / ``db restore`` round-trip on both backends; a database at an unknown (newer)
revision, another program's database and a corrupt file are refused with a clean error and
left exactly as they were; a failed first open leaves no ``alembic_version``; a PostgreSQL
server that drops the connection mid-import gives a clean error and no partial data.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.db import make_engine, open_database
from gaptrack.errors import DatabaseError
from gaptrack.service.cases import load_case_files
from tests.conftest import FIXTURES
from tests.importers.builders import build_dat, create_party
from tests.support import Ran, row_counts, table_snapshot
from tests.support import cli as run

ROOT = Path(__file__).resolve().parent.parent


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _clean_error(result: Ran, *words: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def test_backup_and_restore_round_trip(engine: Engine, db_url: str, tmp_path: Path) -> None:
    if engine.dialect.name == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    load_case_files(engine, [FIXTURES / "sjc-kushner-2017.yaml"])
    before = table_snapshot(engine)
    backup = tmp_path / "case.backup"
    result = run(db_url, "db", "backup", str(backup))
    assert result.returncode == 0, result.stderr
    assert backup.stat().st_size > 0
    _clean_error(run(db_url, "db", "backup", str(backup)), "exists already")
    with engine.begin() as conn:  # a mistake to recover from
        conn.execute(sa.text("DELETE FROM known_item"))
    engine.dispose()
    result = run(db_url, "db", "restore", str(backup), "--yes")
    assert result.returncode == 0, result.stderr
    assert table_snapshot(engine) == before
    assert run(db_url, "audit", "verify").returncode == 0


def test_restore_refuses_a_file_that_is_not_a_backup(sqlite_engine: Engine,
                                                     tmp_path: Path) -> None:
    url = sqlite_engine.url.render_as_string(hide_password=False)
    load_case_files(sqlite_engine, [FIXTURES / "sjc-kushner-2017.yaml"])
    before = table_snapshot(sqlite_engine)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    _clean_error(run(url, "db", "restore", str(junk), "--yes"), "not a gaptrack backup")
    assert table_snapshot(sqlite_engine) == before


def test_a_newer_revision_is_refused_and_left_alone(engine: Engine, db_url: str) -> None:
    load_case_files(engine, [FIXTURES / "sjc-kushner-2017.yaml"])
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    before = table_snapshot(engine)
    engine.dispose()
    _clean_error(run(db_url, "gaps", "--as-of", "2017-11-16"), "Database too new",
                 "9999_from_the_future", "not changed")
    _clean_error(run(db_url, "db", "upgrade"), "Database too new")
    with pytest.raises(DatabaseError, match="newer gaptrack"):
        open_database(db_url)
    assert table_snapshot(engine) == before


def test_another_programs_database_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE party (name TEXT)")
        conn.execute("INSERT INTO party VALUES ('not ours')")
    conn.close()
    before = _dump(path)
    _clean_error(run(str(path), "load", str(FIXTURES / "sjc-kushner-2017.yaml")),
                 "not a gaptrack database")
    assert _dump(path) == before  # (the journal mode may switch to WAL: no content changes)


def test_a_failed_first_open_leaves_no_alembic_version(tmp_path: Path) -> None:
    """An empty database whose schema cannot be made (a table the migrations need is in the
    way, created between the check and the upgrade) keeps no claim of a schema."""
    path = tmp_path / "empty.db"
    path.touch()
    engine = make_engine(f"sqlite:///{path}")

    import gaptrack.db as db

    original = db.check_schema

    def check_then_block(e: Engine) -> str | None:
        revision = original(e)
        with e.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS known_item (x INTEGER)")
        return revision

    db.check_schema = check_then_block  # type: ignore[assignment]
    try:
        with pytest.raises(sa.exc.SQLAlchemyError):
            db._create(engine)
    finally:
        db.check_schema = original  # type: ignore[assignment]
    names = sa.inspect(engine).get_table_names()
    assert "alembic_version" not in names
    engine.dispose()


def test_a_corrupt_sqlite_file_is_a_clean_error(tmp_path: Path, sqlite_engine: Engine) -> None:
    path = Path(sqlite_engine.url.database or "")
    load_case_files(sqlite_engine, [FIXTURES / "sjc-kushner-2017.yaml"])
    sqlite_engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    data[0:16] = b"garbage garbage!"  # the header: no longer a SQLite file
    path.write_bytes(bytes(data))
    before = _sha(path)
    _clean_error(run(str(path), "gaps", "--as-of", "2017-11-16"), "Database error")
    _clean_error(run(str(path), "load", str(FIXTURES / "sjc-kushner-2017.yaml")),
                 "Database error")
    assert _sha(path) == before


def test_a_read_only_database_is_a_clean_error(sqlite_engine: Engine, tmp_path: Path) -> None:
    path = Path(sqlite_engine.url.database or "")
    load_case_files(sqlite_engine, [FIXTURES / "sjc-kushner-2017.yaml"])
    sqlite_engine.dispose()
    url = f"sqlite:///file:{path}?mode=ro&uri=true"
    before = table_snapshot(make_engine(f"sqlite:///{path}"))
    result = run(url, "load", str(FIXTURES / "ssci-carter-page-2017.yaml"))
    _clean_error(result, "readonly")
    assert table_snapshot(make_engine(f"sqlite:///{path}")) == before


def _big_dat(path: Path, rows: int) -> Path:
    return build_dat(path, [[f"BIG-{n:07d}", f"subject {n}", "body " * 20]
                            for n in range(1, rows + 1)],
                     header=["BEGBATES", "SUBJECT", "BODY"])


@pytest.mark.postgres
def test_postgres_connection_lost_mid_import(engine: Engine, db_url: str,
                                             tmp_path: Path) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL server fault")
    create_party(engine)
    dat = _big_dat(tmp_path / "big.dat", 60_000)
    before = row_counts(engine)
    name = engine.url.database
    proc = subprocess.Popen(
        [sys.executable, "-m", "gaptrack", "--db", db_url, "import", "dat", str(dat),
         "--party", "kushner", "--production", "BIG"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )
    admin = make_engine(db_url, isolation_level="AUTOCOMMIT")
    killed = 0
    with admin.connect() as conn:
        while proc.poll() is None:
            # The import's own writing (its COPY or INSERT), not the command's schema check
            # at start-up, whose connection the pool would simply replace.
            killed += conn.execute(sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = :d AND pid <> pg_backend_pid() AND state <> 'idle'"
                " AND query ~* '^\\s*(COPY|INSERT)'"
            ), {"d": name}).scalar_one()
            if killed:
                break
            time.sleep(0.05)
    out, err = proc.communicate(timeout=300)
    admin.dispose()
    if not killed:
        pytest.skip("the import finished before its connection could be cut")
    assert proc.returncode == 2, (out, err)
    assert err.startswith("error: ") and "Traceback" not in err, err
    engine.dispose()
    assert row_counts(engine) == before


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 8 MB tmpfs mounted for the test (root, as here and in CI); skipped where mounting
    is not permitted."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)],
                          capture_output=True, text=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {made.stderr.strip() or 'not root'}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_is_a_clean_error(sqlite_engine: Engine, small_disk: Path,
                                      tmp_path: Path) -> None:
    create_party(sqlite_engine)
    source = Path(sqlite_engine.url.database or "")
    sqlite_engine.dispose()
    with sqlite3.connect(source) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    path = small_disk / "case.db"
    shutil.copyfile(source, path)
    url = f"sqlite:///{path}"
    before = table_snapshot(make_engine(url))
    dat = _big_dat(tmp_path / "big.dat", 4000)  # about 1 MB of documents
    stats = os.statvfs(small_disk)
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (stats.f_bavail * stats.f_frsize - 64 * 1024))
    result = run(url, "import", "dat", str(dat), "--party", "kushner", "--production", "FULL")
    _clean_error(result, "full", "nothing was changed")
    filler.unlink()
    engine = make_engine(url)
    assert table_snapshot(engine) == before
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
    engine.dispose()


@pytest.mark.postgres
def test_postgres_server_stopped_mid_import(tmp_path: Path) -> None:
    """A server of the test's own, stopped (fast shutdown) while an import writes: a clean
    error, and after a restart the database holds what it held before."""
    if not shutil.which("runuser") or not list(Path("/usr/lib/postgresql").glob("*/bin")):
        pytest.skip("Debian's PostgreSQL is not installed")
    pgdir = Path(tempfile.mkdtemp(prefix="gaptrack-stop.", dir="/tmp"))
    env = {**os.environ, "PGPORT": str(_free_port())}

    def server(cmd: str) -> str:
        done = subprocess.run([str(ROOT / "tools" / "pgserver.sh"), cmd, str(pgdir)], env=env,
                              capture_output=True, text=True, check=False, cwd=ROOT)
        if done.returncode != 0:
            pytest.skip(f"cannot run a PostgreSQL server here: {done.stderr.strip()}")
        return done.stdout.strip()

    try:
        url = server("start")
        engine = open_database(url)
        create_party(engine)
        before = row_counts(engine)
        engine.dispose()
        dat = _big_dat(tmp_path / "big.dat", 60_000)
        proc = subprocess.Popen(
            [sys.executable, "-m", "gaptrack", "--db", url, "import", "dat", str(dat),
             "--party", "kushner", "--production", "STOP"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        watch = make_engine(url, isolation_level="AUTOCOMMIT")
        with watch.connect() as conn:  # the documents are being written: stop the server
            while proc.poll() is None and not conn.execute(sa.text(
                    "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
                    "AND query ILIKE 'COPY document%'")).scalar_one():
                time.sleep(0.02)
        watch.dispose()
        if proc.poll() is not None:
            pytest.skip("the import finished before the server could be stopped")
        server("stop")
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 2, (out, err)
        assert err.startswith("error: Database error: ") and "Traceback" not in err, err
        server("start")
        engine = make_engine(url)
        after = row_counts(engine)
        if "was saved" in err:  # stopped after the commit: all of it, and it says so
            assert after["document"] == before["document"] + 60_000, err
        else:
            assert "nothing was changed" in err, err
            assert after == before
        engine.dispose()
    finally:
        subprocess.run([str(ROOT / "tools" / "pgserver.sh"), "stop", str(pgdir)], env=env,
                       capture_output=True, check=False)
        shutil.rmtree(pgdir, ignore_errors=True)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
