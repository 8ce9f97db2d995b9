"""The demo cases load together, idempotently, and survive load -> export -> load -> export."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.casefile.reader import read_case_file
from gaptrack.db import open_database
from gaptrack.service.cases import export_case, load_case_files
from tests.conftest import FIXTURES
from tests.support import row_counts, table_snapshot

ALL = sorted(FIXTURES.glob("*.yaml"))


def test_there_are_three_demo_cases() -> None:
    names = {p.name for p in ALL}
    assert {"sjc-kushner-2017.yaml", "ssci-carter-page-2017.yaml",
            "campaign-contacts-2016.yaml"} <= names


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_each_fixture_names_its_sources_and_marks_invented_identifiers(path: Path) -> None:
    case = read_case_file(path).case.case
    assert case is not None
    assert case.sources
    assert case.illustrative is not None
    for word in ("bates", "email address", "message-id"):
        assert word in case.illustrative.lower()


def test_all_fixtures_load_together_and_twice_adds_nothing(engine: Engine) -> None:
    report = load_case_files(engine, ALL)
    assert report.changed
    counts = row_counts(engine)
    assert counts["document"] > 0 and counts["known_item"] > 0
    snapshot = table_snapshot(engine)
    again = load_case_files(engine, ALL)
    assert not again.changed
    assert again.to_dict()["added"] == {}
    assert row_counts(engine) == counts
    assert table_snapshot(engine) == snapshot  # not even a "load" event


def test_one_load_event_per_changed_file(engine: Engine) -> None:
    load_case_files(engine, ALL, actor="tester")
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT actor, entity_key FROM event WHERE action = 'load' ORDER BY entity_key"
        )).all()
    assert [tuple(r) for r in rows] == [("tester", p.name) for p in ALL]


@pytest.mark.parametrize("paths", [[p] for p in ALL] + [ALL],
                         ids=[p.name for p in ALL] + ["all"])
def test_load_export_load_export_is_stable(engine: Engine, tmp_path: Path,
                                           paths: list[Path]) -> None:
    load_case_files(engine, paths)
    first = export_case(engine)
    exported = tmp_path / "export.yaml"
    exported.write_text(first, encoding="utf-8")
    snapshot = table_snapshot(engine)
    report = load_case_files(engine, [exported])
    assert not report.changed, report.to_dict()
    assert table_snapshot(engine) == snapshot
    assert export_case(engine) == first


def test_export_loads_into_a_fresh_database_identically(engine: Engine, tmp_path: Path) -> None:
    load_case_files(engine, ALL)
    first = export_case(engine)
    exported = tmp_path / "export.yaml"
    exported.write_text(first, encoding="utf-8")
    fresh = open_database(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        load_case_files(fresh, [exported])
        assert export_case(fresh) == first
        counts, fresh_counts = row_counts(engine), row_counts(fresh)
        # The fresh database has one load event (for the export) instead of one per fixture;
        # derived state is a per-backend cache (the SQLite search index keeps a row for it).
        for table in ("event", "derived_state"):
            counts.pop(table), fresh_counts.pop(table)
        assert fresh_counts == counts
    finally:
        fresh.dispose()


def test_changing_a_value_updates_one_row(engine: Engine, tmp_path: Path) -> None:
    load_case_files(engine, ALL)
    source = (FIXTURES / "sjc-kushner-2017.yaml").read_text(encoding="utf-8")
    changed = source.replace("deadline: 2017-11-27", "deadline: 2017-11-28")
    assert changed != source
    path = tmp_path / "sjc-kushner-2017.yaml"
    path.write_text(changed, encoding="utf-8")
    report = load_case_files(engine, [path])
    assert report.to_dict()["updated"] == {"request": 1}
    assert report.to_dict()["added"] == {}
