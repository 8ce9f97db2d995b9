"""An import killed with SIGKILL midway leaves none of its production behind (issue 4)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.db import open_database
from gaptrack.importers.generate import generate_dat
from gaptrack.importers.indexes import DEFERRABLE_INDEXES
from gaptrack.service.intake import import_dat
from tests.importers.builders import create_party

ROOT = Path(__file__).resolve().parent.parent

# The child prints a line after each chunk is written, then waits on stdin: the parent kills
# it at that point, so the kill always lands inside the transaction with rows written — no
# sleeps, no timing.
CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from gaptrack.db import open_database
    from gaptrack.service.intake import import_dat

    def progress(done, records):
        print(f"rows {records} bytes {done}", flush=True)
        if records:
            sys.stdin.readline()

    engine = open_database(sys.argv[1])
    import_dat(engine, Path(sys.argv[2]), party="kushner", production="Killed", progress=progress)
    print("finished", flush=True)
    """
)


@pytest.mark.slow
def test_sigkill_mid_import_leaves_no_production(sqlite_engine: Engine, tmp_path: Path) -> None:
    create_party(sqlite_engine)
    db = Path(str(sqlite_engine.url.database))
    sqlite_engine.dispose()
    with closing(sqlite3.connect(db)) as connection:  # closed: the import has the db alone
        schema_before = index_sql(connection)
    assert set(DEFERRABLE_INDEXES) <= set(schema_before)
    dat = generate_dat(tmp_path / "big.dat", 60_000)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, f"sqlite:///{db}", str(dat)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    assert child.stdout is not None
    written = 0
    for line in child.stdout:
        assert line.startswith("rows "), line
        written = int(line.split()[1])
        if written:
            break
    assert written > 0  # rows were being written when the kill came
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    # A bulk load writes with the rollback journal (db.bulk_load): the kill left it
    # hot, and the next connection rolls the load back from it.
    assert Path(f"{db}-journal").exists()
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # A load this big drops the random-keyed indexes inside its transaction: the kill
        # rolled that back too.
        assert index_sql(connection) == schema_before
        counts = {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("production", "document", "document_participant", "source_file",
                          "event")
        }
        assert counts == dict.fromkeys(counts, 0)
        assert connection.execute("SELECT slug FROM party").fetchall() == [("kushner",)]
    finally:
        connection.close()
    reopened = open_database(f"sqlite:///{db}")  # gaptrack opens it as usual afterwards
    try:
        with reopened.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM production")).scalar_one() == 0
        # The same file loads in full now (it was never recorded as loaded), and the indexes
        # dropped for the bulk load are back exactly as the migrations made them.
        report = import_dat(reopened, dat, party="kushner", production="Killed")
        assert report.documents == 60_000 and not report.already_loaded
    finally:
        reopened.dispose()
    with sqlite3.connect(db) as connection:
        assert index_sql(connection) == schema_before
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def index_sql(connection: sqlite3.Connection) -> dict[str, str]:
    return dict(
        connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'").fetchall()
    )
