"""Optimistic concurrency (issue 17, line 3), on both backends: an action names the version
it saw and a stale write is refused naming who changed the record; with two real processes
racing 200 actions on one known item, every event's "before" is the previous event's
"after" and the audit chain stays intact. A re-loaded case file keeps an action's decision."""

from __future__ import annotations

import itertools
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.audit import verify
from gaptrack.errors import ConflictError, StaleError
from gaptrack.models import KnownStatus
from gaptrack.service import actions
from gaptrack.service.cases import load_case_files
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parent.parent
CASE = FIXTURES / "sjc-kushner-2017.yaml"
ITEM = "kushner-phone-records"
PER_PROCESS = 100

WORKER = """
import sys, time
from pathlib import Path
from gaptrack.db import make_engine
from gaptrack.errors import StaleError
from gaptrack.models import KnownStatus
from gaptrack.service import actions

url, actor, count, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
engine = make_engine(url)
cycle = [KnownStatus.DISPUTED, KnownStatus.WITHDRAWN, KnownStatus.OUTSTANDING,
         KnownStatus.WITHHELD]
while not go.exists():
    time.sleep(0.01)
done = stale = 0
for i in range(count):
    try:
        actions.set_known_status(engine, "ITEM", cycle[(i + len(actor)) % 4], actor=actor,
                                 reason=f"{actor} {i}")
        done += 1
    except StaleError:
        stale += 1
print(done, stale)
""".replace("ITEM", ITEM)


def _stored(engine: Engine) -> tuple[int, str, str | None]:
    """The known item's version, status and reason as stored."""
    with engine.connect() as conn:
        row = conn.execute(sa.text(
            "SELECT version, status, status_reason FROM known_item WHERE slug = :s"), {"s": ITEM}
        ).one()
    return int(row[0]), str(row[1]), row[2]


def _version(engine: Engine) -> int:
    return _stored(engine)[0]


def _status_events(engine: Engine) -> list[tuple[str, dict[str, object]]]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT e.action, e.data FROM event e JOIN known_item k ON k.id = e.entity_id"
            " WHERE e.entity = 'known_item' AND k.slug = :s"
            " AND e.action IN ('known.status', 'undo') ORDER BY e.seq"), {"s": ITEM}).all()
    import json

    return [(r[0], r[1] if isinstance(r[1], dict) else json.loads(r[1])) for r in rows]


def _breaks(events: list[tuple[str, dict[str, object]]]) -> int:
    return sum(1 for (_, a), (_, b) in itertools.pairwise(events)
               if b["before"] != a["after"])


def test_a_stale_write_is_refused_naming_who_changed_it(engine: Engine) -> None:
    load_case_files(engine, [CASE])
    seen = _version(engine)  # Alice and Bob both have the item on screen
    actions.set_known_status(engine, ITEM, KnownStatus.WITHDRAWN, actor="alice", version=seen)
    with pytest.raises(StaleError, match=r"changed by alice at \d{4}-\d\d-\d\d .* reload"):
        actions.set_known_status(engine, ITEM, KnownStatus.DISPUTED, actor="bob", version=seen)
    assert _version(engine) == seen + 1
    fresh = _version(engine)  # Bob reloads and decides again
    actions.set_known_status(engine, ITEM, KnownStatus.DISPUTED, actor="bob", version=fresh)
    with pytest.raises(ConflictError, match="has changed since"):
        actions.undo_last(engine, actor="alice")  # alice's withdrawal is not the state now
    events = _status_events(engine)
    assert [a for a, _ in events] == ["known.status", "known.status"]
    assert _breaks(events) == 0


def test_undo_continues_the_state_chain(engine: Engine) -> None:
    load_case_files(engine, [CASE])
    actions.set_known_status(engine, ITEM, KnownStatus.DISPUTED, actor="alice")
    actions.set_known_status(engine, ITEM, KnownStatus.WITHDRAWN, actor="alice")
    actions.undo_last(engine, actor="alice")
    actions.set_known_status(engine, ITEM, KnownStatus.WITHHELD, actor="alice")
    events = _status_events(engine)
    assert [a for a, _ in events] == ["known.status", "known.status", "undo", "known.status"]
    assert _breaks(events) == 0


def test_two_processes_racing_leave_no_chain_break(engine: Engine, db_url: str,
                                                   tmp_path: Path) -> None:
    load_case_files(engine, [CASE])
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, db_url, actor, str(PER_PROCESS), str(go)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        )
        for actor in ("alice", "bob")
    ]
    time.sleep(1.0)  # both started and waiting
    go.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        done, stale = (int(x) for x in out.split())
        assert done + stale == PER_PROCESS
        results.append(done)
    events = _status_events(engine)
    assert len(events) == sum(results)  # every success is one event; no refused one is
    assert _breaks(events) == 0
    assert _version(engine) == 1 + len(events)
    assert _stored(engine)[1] == events[-1][1]["after"]["status"]  # type: ignore[index]
    with engine.connect() as conn:
        assert verify(conn).intact


def test_reloading_the_case_file_keeps_an_action_decision(engine: Engine) -> None:
    load_case_files(engine, [CASE])
    actions.set_known_status(engine, ITEM, KnownStatus.DISPUTED, actor="tui",
                             reason="counsel says none exist")
    report = load_case_files(engine, [CASE])
    assert _stored(engine)[1:] == (KnownStatus.DISPUTED, "counsel says none exist")
    assert "known_item" not in report.to_dict().get("updated", {})
