"""Events are history, not input (issue 17, line 10), on both backends: events in a case file
are loaded under the loader's name with their origin noted, never changed by a re-load; and
export → load keeps event data and undo links (an undone note stays undone)."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.audit import verify
from gaptrack.db import open_database
from gaptrack.models import KnownStatus
from gaptrack.service import actions
from gaptrack.service.cases import export_case, load_case_files
from tests.conftest import FIXTURES

CASE = FIXTURES / "sjc-kushner-2017.yaml"


def _history(engine: Engine) -> list[dict[str, object]]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT id, actor, action, entity_key, reason, data, undoes_id FROM event"
            " WHERE action <> 'load' ORDER BY at, id")).mappings().all()
    out = [dict(r) for r in rows]
    for row in out:
        if isinstance(row["data"], str):  # SQLite hands raw SQL's JSON back as text
            row["data"] = json.loads(row["data"])
    return out


def test_case_file_events_load_as_history_under_the_loaders_name(engine: Engine) -> None:
    load_case_files(engine, [CASE], actor="clerk")
    events = _history(engine)
    assert events and all(e["actor"] == "clerk" for e in events)
    for event in events:
        origin = event["data"]["origin"]  # type: ignore[index]
        assert origin["file"] == CASE.name and origin["actor"] != "clerk"
    load_case_files(engine, [CASE], actor="mallory")  # a re-load writes and changes nothing
    assert _history(engine) == events
    with engine.connect() as conn:
        assert verify(conn).intact


def test_export_then_load_keeps_event_data_and_undo_links(engine: Engine, tmp_path: Path) -> None:
    load_case_files(engine, [CASE], actor="clerk")
    note = actions.add_note(engine, entity="party", key="kushner", text="a private aside",
                            actor="alice")
    actions.undo(engine, note.event_id, actor="alice")
    actions.set_known_status(engine, "kushner-phone-records", KnownStatus.DISPUTED,
                             actor="alice", reason="counsel says none exist")
    exported = tmp_path / "case.yaml"
    exported.write_text(export_case(engine), encoding="utf-8")

    other = open_database(f"sqlite:///{tmp_path / 'other.db'}")
    load_case_files(other, [exported], actor="bob")
    assert actions.notes(other, entity="party", key="kushner") == []  # still undone
    events = {(e["action"], e["reason"]): e for e in _history(other)}
    undone = events[("note", "a private aside")]
    undo = next(e for e in events.values() if e["action"] == "undo")
    assert undo["undoes_id"] == undone["id"]
    status = events[("known.status", "counsel says none exist")]
    data = status["data"]
    assert data["after"]["status"] == "disputed"  # type: ignore[index]
    assert data["origin"]["actor"] == "alice"  # type: ignore[index]
    assert status["actor"] == "bob"
    assert export_case(other).count("undoes: e") == 1
    with other.connect() as conn:
        assert verify(conn).intact
    other.dispose()
