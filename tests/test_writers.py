"""Concurrent imports and loads on SQLite (issue 17, line 3): a second writer waits (the busy
timeout), then fails with a clean error naming the writer in its way — never a traceback —
and changes nothing. Two real processes hold and want the database."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy.engine import Engine

from gaptrack.importers.dat import write_dat
from gaptrack.writers import claim_path, read_claim
from tests.conftest import FIXTURES, ROOT
from tests.importers.builders import create_party
from tests.support import table_snapshot

HOLDER = textwrap.dedent("""
    import sys, time
    from gaptrack.db import open_database
    from gaptrack.writers import writing
    engine = open_database(sys.argv[1])
    with writing(engine, actor="alice", what="import of vol1.dat"), engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = version_num")
        print("holding", flush=True)
        time.sleep(60)
""")


def _gaptrack(url: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "gaptrack", "--db", url, "--actor", "bob",
                             *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT)


def test_a_second_writer_fails_cleanly_naming_the_first(sqlite_engine: Engine,
                                                         tmp_path: Path) -> None:
    url = sqlite_engine.url.render_as_string(hide_password=False)
    create_party(sqlite_engine)
    dat = tmp_path / "vol2.dat"
    write_dat(dat, [["ABC-1", "ABC-1"]], header=["BEGBATES", "ENDBATES"])
    before = table_snapshot(sqlite_engine)
    sqlite_engine.dispose()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, url], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        note = read_claim(claim_path(sqlite_engine))
        assert note is not None and note["actor"] == "alice" and note["pid"] == holder.pid
        waiting = [_gaptrack(url, "load", str(FIXTURES / "sjc-kushner-2017.yaml")),
                   _gaptrack(url, "import", "dat", str(dat), "--party", "kushner")]
        for proc in waiting:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 2, (out, err)
            assert "Traceback" not in err, err
            assert err.startswith("error: Database busy: the database is busy: alice's import "
                                  f"of vol1.dat (pid {holder.pid}"), err
            assert "nothing was changed" in err
    finally:
        holder.kill()  # its transaction rolls back
        holder.communicate()
    assert table_snapshot(sqlite_engine) == before
    # The holder's note stays behind (it was killed); the next writer replaces it.
    result = subprocess.run([sys.executable, "-m", "gaptrack", "--db", url, "load",
                             str(FIXTURES / "sjc-kushner-2017.yaml")],
                            capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    assert read_claim(claim_path(sqlite_engine)) is None
