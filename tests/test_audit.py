"""The tamper-evident audit log (issue 17, line 5), on both backends: the SHA-256 chain holds
through loads, imports and actions; ``audit verify`` exits 0 on an intact log and 1 naming
the first broken event after a changed row, a deleted event or a reordered pair; ``audit
log`` shows the history; ``audit verify --files`` re-hashes received files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.audit import GENESIS, verify
from gaptrack.models import KnownStatus
from gaptrack.service import actions
from gaptrack.service.cases import load_case_files
from gaptrack.service.intake import import_dat
from tests.conftest import FIXTURES
from tests.importers.builders import build_dat, create_party
from tests.support import cli as run


@pytest.fixture
def history(engine: Engine) -> Engine:
    """A case file loaded, then a few actions: a chain of several events."""
    load_case_files(engine, [FIXTURES / "sjc-kushner-2017.yaml"], actor="clerk")
    for status in (KnownStatus.DISPUTED, KnownStatus.WITHDRAWN, KnownStatus.OUTSTANDING):
        actions.set_known_status(engine, "kushner-phone-records", status, actor="alice",
                                 reason=f"to {status}")
    actions.add_note(engine, entity="party", key="kushner", text="called counsel", actor="bob")
    return engine


def _events(engine: Engine) -> list[tuple[int, int]]:
    """(id, seq) of every event, in chain order."""
    with engine.connect() as conn:
        return [(int(r[0]), int(r[1])) for r in conn.execute(
            sa.text("SELECT id, seq FROM event ORDER BY seq"))]


def _check(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return verify(conn).problems


def test_every_writer_extends_one_intact_chain(history: Engine) -> None:
    events = _events(history)
    assert len(events) >= 5
    assert [seq for _, seq in events] == list(range(1, len(events) + 1))
    with history.connect() as conn:
        report = verify(conn)
        first = conn.execute(sa.text("SELECT prev_hash FROM event WHERE seq = 1")).scalar_one()
    assert report.intact and report.events == len(events)
    assert first == GENESIS and len(report.head) == 64


def test_intact_log_exits_0_and_shows_history(history: Engine, db_url: str) -> None:
    result = run(db_url, "audit", "verify")
    assert result.returncode == 0, result.stderr
    assert "intact" in result.stdout
    head = result.stdout.split("head ")[1].strip()
    assert run(db_url, "audit", "verify", "--head", head).returncode == 0
    log = run(db_url, "audit", "log", "--party", "kushner", "--format", "json")
    assert log.returncode == 0, log.stderr
    rows = json.loads(log.stdout)
    assert [r["actor"] for r in rows if r["action"] == "known.status"] == ["alice"] * 3
    assert any(r["actor"] == "bob" and r["action"] == "note" for r in rows)
    later = run(db_url, "audit", "log", "--since", "2999-01-01", "--format", "json")
    assert json.loads(later.stdout) == []


def test_a_changed_event_row_is_named(history: Engine, db_url: str) -> None:
    victim = _events(history)[2][0]
    with history.begin() as conn:
        conn.execute(sa.text("UPDATE event SET actor = 'mallory' WHERE id = :i"), {"i": victim})
    problems = _check(history)
    assert problems and problems[0].startswith(f"event {victim} ")
    assert "changed after it was recorded" in problems[0]
    result = run(db_url, "audit", "verify")
    assert result.returncode == 1
    assert f"event {victim} " in result.stderr


def test_a_changed_data_field_is_named(history: Engine) -> None:
    victim = _events(history)[-2][0]
    with history.begin() as conn:
        conn.execute(sa.text("UPDATE event SET reason = 'innocent' WHERE id = :i"), {"i": victim})
    assert _check(history)[0].startswith(f"event {victim} ")


def test_a_deleted_event_is_named(history: Engine, db_url: str) -> None:
    events = _events(history)
    gone, after = events[2][0], events[3][0]
    with history.begin() as conn:
        conn.execute(sa.text("UPDATE event SET undoes_id = NULL WHERE undoes_id = :i"),
                     {"i": gone})
        conn.execute(sa.text("DELETE FROM event WHERE id = :i"), {"i": gone})
    problems = _check(history)
    assert problems[0].startswith(f"event {after} ") and "deleted or reordered" in problems[0]
    assert run(db_url, "audit", "verify").returncode == 1


def test_a_reordered_pair_is_named(history: Engine) -> None:
    events = _events(history)
    (a, sa_), (b, sb) = events[1], events[2]
    with history.begin() as conn:
        conn.execute(sa.text("UPDATE event SET seq = -1 WHERE id = :i"), {"i": a})
        conn.execute(sa.text("UPDATE event SET seq = :s WHERE id = :i"), {"s": sa_, "i": b})
        conn.execute(sa.text("UPDATE event SET seq = :s WHERE id = :i"), {"s": sb, "i": a})
    problems = _check(history)
    assert problems[0].startswith(f"event {b} ")


def test_an_event_written_outside_gaptrack_is_named(history: Engine) -> None:
    with history.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO event (at, actor, action) VALUES ('2017-01-01 00:00:00', 'x', 'forged')"
        ))
    problems = _check(history)
    assert problems and "forged by x): not in the chain" in problems[0]


def test_cutting_off_the_newest_events_is_caught_with_a_noted_head(
    history: Engine, db_url: str
) -> None:
    with history.connect() as conn:
        head = verify(conn).head
    newest = _events(history)[-1][0]
    with history.begin() as conn:
        conn.execute(sa.text("DELETE FROM event WHERE id = :i"), {"i": newest})
    assert _check(history) == []  # the chain alone cannot see it...
    result = run(db_url, "audit", "verify", "--head", head)
    assert result.returncode == 1 and "no longer in the chain" in result.stderr  # ...the head can


def test_verify_files_rehashes_received_files(engine: Engine, db_url: str, tmp_path: Path) -> None:
    create_party(engine)
    folder = tmp_path / "received"
    folder.mkdir()
    dat = build_dat(folder / "vol1.dat", [["F-1", "a subject", ""]],
                    header=["BEGBATES", "SUBJECT", "TEXTPATH"])
    import_dat(engine, dat, party="kushner", production="F")
    (folder / "cover-letter.txt").write_text("not loaded", encoding="utf-8")
    result = run(db_url, "audit", "verify", "--files", str(folder))
    assert result.returncode == 0, result.stderr
    assert "2 checked, 1 match the recorded SHA-256, 0 changed, 1 never loaded" in result.stdout
    with dat.open("ab") as handle:
        handle.write(b"\r\n")
    result = run(db_url, "audit", "verify", "--files", str(folder))
    assert result.returncode == 1
    assert f"CHANGED: {dat}" in result.stderr
    assert run(db_url, "audit", "verify", "--files", str(tmp_path / "none")).returncode == 2
