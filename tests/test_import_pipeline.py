"""The DAT import's mapping child process: same rows as in-process, and nothing outlives a kill.

A large DAT is read and mapped in a child process while the import writes
(:mod:`gaptrack.importers.pipeline`). These tests hold it to the in-process path: every row
of every table the import writes is the same, bad records are reported the same way and in
the same order, and a SIGKILL of the import leaves neither rows nor a running child behind.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from contextlib import closing
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.db import open_database
from gaptrack.errors import LoadFileError
from gaptrack.importers.dat import write_dat
from gaptrack.importers.formats import loadfile
from gaptrack.importers.generate import HEADER, synthetic_rows
from gaptrack.service.intake import import_dat
from tests.importers.builders import create_party

ROOT = Path(__file__).resolve().parent.parent
WRITTEN = ("document", "document_participant", "document_reference")


def _varied_dat(path: Path) -> Path:
    """Synthetic families plus the awkward cases: a bad date, a duplicate, a text file that
    quotes a forwarded message, a child whose parent comes later, bare fields."""
    header = [*HEADER, "TEXTPATH", "PARENTID"]
    rows = [[*row, "", ""] for row in synthetic_rows(3000, prefix="PIPE-")]
    (path.parent / "TEXT").mkdir(exist_ok=True)
    (path.parent / "TEXT" / "fwd.txt").write_text(
        "fyi\n---------- Forwarded message ---------\nFrom: Zed <zed@z.example>\n"
        "To: Jo Ng <jo@ng.example>\nSubject: plans\n\nbody\n",
        encoding="utf-8",
    )
    rows[10][14] = "TEXT\\fwd.txt"
    rows[11][14] = "TEXT\\missing.txt"
    rows[20][9] = "13/45/2016"  # bad date
    rows.append(list(rows[30]))  # duplicate Bates number
    # A child whose parent comes at the end of the file.
    rows.insert(0, ["PIPE-90000001", *[""] * 14, "PIPE-90000002"])
    rows.append(["PIPE-90000002", *[""] * 15])
    write_dat(path, rows, header=header, quote=False)
    return path


def _load(tmp_path: Path, name: str, dat: Path, *, pipeline: bool, skip_bad: bool = True
          ) -> tuple[dict[str, list[tuple[object, ...]]], dict[str, object]]:
    engine = open_database(f"sqlite:///{tmp_path / name}")
    try:
        create_party(engine, addresses=("ann.smith1@example.com", "jo@ng.example"),
                     aliases=("Zed",))
        report = import_dat(engine, dat, party="kushner", production="Vol 1",
                            skip_bad=skip_bad, pipeline=pipeline)
        with engine.connect() as conn:
            tables = {
                t: [tuple(r) for r in conn.execute(sa.text(f"SELECT * FROM {t} ORDER BY id"))]
                for t in WRITTEN
            }
        details = report.model_dump(mode="json")
        return tables, details
    finally:
        engine.dispose()


def test_child_process_writes_what_the_single_process_path_writes(tmp_path: Path) -> None:
    dat = _varied_dat(tmp_path / "vol1.dat")
    local, local_report = _load(tmp_path, "local.db", dat, pipeline=False)
    child, child_report = _load(tmp_path, "child.db", dat, pipeline=True)
    assert local_report["bad_count"] == 2 and local_report["text_files_missing"] == 1
    assert any(role == "quoted" for _, _, role, *_ in local["document_participant"])
    assert child_report == local_report
    for table in WRITTEN:
        assert child[table] == local[table], table


@pytest.mark.parametrize("pipeline", [False, True], ids=["in-process", "child"])
def test_bulk_load_writes_the_same_rows_and_puts_every_index_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pipeline: bool
) -> None:
    """A bulk load (rollback journal, indexes dropped and rebuilt but those kept up to date
    or left empty) ends exactly as an ordinary load does."""
    dat = _varied_dat(tmp_path / "vol1.dat")
    plain, plain_report = _load(tmp_path, "plain.db", dat, pipeline=pipeline)
    monkeypatch.setattr(loadfile, "BULK_LOAD_MIN_BYTES", 0)
    bulk, bulk_report = _load(tmp_path, "bulk.db", dat, pipeline=pipeline)
    assert bulk_report == plain_report
    for table in WRITTEN:
        assert bulk[table] == plain[table], table
    schemas = []
    for name in ("plain.db", "bulk.db"):
        with closing(sqlite3.connect(tmp_path / name)) as connection:
            schemas.append(connection.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
            ).fetchall())
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    assert schemas[0] == schemas[1] and len(schemas[0]) > 10


def test_child_process_reports_the_first_bad_record_as_in_process(tmp_path: Path) -> None:
    dat = _varied_dat(tmp_path / "vol1.dat")
    errors = []
    for pipeline in (False, True):
        with pytest.raises(LoadFileError) as caught:
            _load(tmp_path, f"strict-{pipeline}.db", dat, pipeline=pipeline, skip_bad=False)
        errors.append(str(caught.value))
    assert errors[0] == errors[1]
    assert "DATESENT" in errors[0]


CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from gaptrack.db import open_database
    from gaptrack.service.intake import import_dat

    def progress(done, records):
        print(f"rows {records}", flush=True)
        if records:
            sys.stdin.readline()

    engine = open_database(sys.argv[1])
    import_dat(engine, Path(sys.argv[2]), party="kushner", production="Killed",
               progress=progress, pipeline=True)
    """
)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has stopped running


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigkill_of_the_import_stops_its_mapping_child(sqlite_engine: Engine,
                                                       tmp_path: Path) -> None:
    create_party(sqlite_engine)
    db = Path(str(sqlite_engine.url.database))
    sqlite_engine.dispose()
    dat = tmp_path / "big.dat"
    write_dat(dat, synthetic_rows(60_000), header=HEADER)
    parent = subprocess.Popen(
        [sys.executable, "-c", CHILD, f"sqlite:///{db}", str(dat)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    assert parent.stdout is not None
    for line in parent.stdout:
        if int(line.split()[1]):
            break
    mappers = [p for p in _children(parent.pid) if _alive(p)]
    assert mappers, "the import should be mapping in a child process"
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 15
    while any(_alive(p) for p in mappers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(p) for p in mappers), "the mapping child outlived the import"
    with sqlite3.connect(db) as connection:
        for table in ("production", *WRITTEN):
            assert connection.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
