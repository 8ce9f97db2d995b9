"""A bulk DAT load on SQLite: the rollback journal while it has the database to itself, the
WAL otherwise, and the WAL again afterwards; foreign keys unchecked while it writes, yet
sound (gaptrack.db.bulk_load)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from gaptrack.importers.formats import loadfile
from gaptrack.importers.generate import generate_dat
from gaptrack.service.intake import import_dat
from tests.importers.builders import create_party

RECORDS = 3_000


@pytest.fixture
def dat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A DAT counted as a bulk load: the threshold is lowered to its size."""
    path = generate_dat(tmp_path / "bulk.dat", RECORDS)
    monkeypatch.setattr(loadfile, "BULK_LOAD_MIN_BYTES", path.stat().st_size)
    return path


def journal_mode(db: Path) -> str:
    with closing(sqlite3.connect(db)) as connection:
        return str(connection.execute("PRAGMA journal_mode").fetchone()[0])


def test_bulk_load_writes_with_the_rollback_journal_then_puts_wal_back(
    sqlite_engine: Engine, dat: Path
) -> None:
    create_party(sqlite_engine)
    db = Path(str(sqlite_engine.url.database))
    sqlite_engine.dispose()  # the import's connection is then the only one
    journals: list[bool] = []

    def progress(_done: int, records: int) -> None:
        if records:
            journals.append(Path(f"{db}-journal").exists())

    report = import_dat(sqlite_engine, dat, party="kushner", production="Bulk", progress=progress)
    assert report.documents == RECORDS
    assert journals and all(journals)  # the writes went through a rollback journal
    assert not Path(f"{db}-journal").exists()
    assert journal_mode(db) == "wal"
    with closing(sqlite3.connect(db)) as connection:
        assert connection.execute("SELECT count(*) FROM document").fetchone() == (RECORDS,)
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # Written without enforcing foreign keys: every reference made is still sound.
        assert connection.execute("SELECT count(*) FROM document_participant").fetchone()[0]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    with sqlite_engine.connect() as conn:  # the import's pooled connection enforces them again
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        # The index rebuild's small cache and sorting threads were its own
        # (indexes.rebuild_indexes).
        assert conn.exec_driver_sql("PRAGMA threads").scalar() == 0
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -49152


def test_bulk_load_stays_in_wal_while_another_connection_reads(
    sqlite_engine: Engine, dat: Path
) -> None:
    create_party(sqlite_engine)
    db = Path(str(sqlite_engine.url.database))
    sqlite_engine.dispose()
    reader = sqlite3.connect(db, timeout=0)  # would fail at once if the import locked it out
    # A connection holds the WAL open from its first read on (as a TUI's have).
    assert reader.execute("SELECT count(*) FROM party").fetchone() == (1,)
    seen: list[int] = []

    def progress(_done: int, records: int) -> None:
        if records:
            assert not Path(f"{db}-journal").exists()
            # WAL: the reader sees the last committed state while the import writes.
            seen.append(reader.execute("SELECT count(*) FROM document").fetchone()[0])

    try:
        report = import_dat(
            sqlite_engine, dat, party="kushner", production="Shared", progress=progress
        )
        assert report.documents == RECORDS
        assert seen and set(seen) == {0}
        assert reader.execute("SELECT count(*) FROM document").fetchone() == (RECORDS,)
    finally:
        reader.close()
    assert journal_mode(db) == "wal"
