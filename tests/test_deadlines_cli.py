"""``gaptrack deadlines``: table, JSON and iCalendar (parsed back with icalendar), staged
deadlines as separate events, UIDs stable across exports, and ``--check`` for cron."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import icalendar
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.reports.deadline import business_days_before
from gaptrack.service.cases import load_case_files
from tests.conftest import FIXTURES
from tests.support import Ran, cli


def run(db_url: str, *args: str) -> Ran:
    return cli(db_url, "deadlines", *args)


@pytest.fixture
def demo(engine: Engine, db_url: str) -> str:
    load_case_files(engine, sorted(FIXTURES.glob("*.yaml")))
    return db_url


def events(path: Path) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_ics_staged_deadlines_reminders_and_stable_uids(
    demo: str, engine: Engine, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    assert run(demo, "--as-of", "2017-04-28", "-f", "ics", "-o", str(first)).returncode == 0
    one = events(first)
    page = {e.decoded("DTSTART"): e for e in one.values() if "Carter Page" in str(e["SUMMARY"])}
    assert sorted(page) == [dt.date(2017, 5, 9), dt.date(2017, 5, 19)]  # one event per stage
    staged = page[dt.date(2017, 5, 9)]
    assert "item 1" in str(staged["SUMMARY"])
    alarm = staged.walk("VALARM")[0]
    # two business days before Tuesday 9 May 2017 is Friday 5 May, at 09:00
    trigger = alarm.decoded("TRIGGER")
    assert dt.datetime(2017, 5, 9) + trigger == dt.datetime(2017, 5, 5, 9, 0)
    # Move Kushner's deadline and export again: the same UIDs, the new date.
    with engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE request SET deadline = :d WHERE slug = 'sjc-2017-11-16'"),
            {"d": dt.date(2017, 12, 4)},
        )
    assert run(demo, "--as-of", "2017-04-28", "-f", "ics", "-o", str(second),
               "--remind", "3").returncode == 0  # fmt: skip
    two = events(second)
    assert set(two) == set(one) and len(one) >= 4
    moved = [u for u in one if "sjc-2017-11-16" in u]
    assert len(moved) == 1
    assert one[moved[0]].decoded("DTSTART") == dt.date(2017, 11, 27)
    assert two[moved[0]].decoded("DTSTART") == dt.date(2017, 12, 4)


def test_table_json_and_party_filter(demo: str) -> None:
    table = run(demo, "--as-of", "2017-11-16")
    assert table.returncode == 0, table.stderr
    assert "OVERDUE" in table.stdout and "2017-11-27" in table.stdout
    payload = json.loads(run(demo, "--as-of", "2017-11-16", "-p", "Jared Kushner", "-f",
                             "json").stdout)  # fmt: skip
    assert payload["schema"] == "gaptrack/deadlines@1"
    rows = payload["deadlines"]
    assert {r["party"] for r in rows} == {"kushner"}
    assert {(r["deadline"], r["overdue"], r["days_left"]) for r in rows} == {
        ("2017-11-03", True, -13), ("2017-11-27", False, 11)
    }
    unknown = run(demo, "-p", "nobody")
    assert unknown.returncode == 2 and "nobody" in unknown.stderr


def test_check_exits_1_when_something_is_due(demo: str) -> None:
    quiet = run(demo, "-p", "kushner", "--as-of", "2017-11-01", "--due-within", "1", "--check")
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    due = run(demo, "-p", "kushner", "--as-of", "2017-11-01", "--due-within", "2", "--check")
    assert due.returncode == 1 and "2017-11-03" in due.stdout
    overdue = run(demo, "-p", "kushner", "--as-of", "2017-11-06", "--check")  # default window
    assert overdue.returncode == 1 and "OVERDUE" in overdue.stdout


def test_business_days_before_skips_weekends_and_holidays() -> None:
    assert business_days_before(dt.date(2017, 5, 9), 2) == dt.date(2017, 5, 5)
    # Tuesday 28 Nov 2017: Monday 27th, then Friday 24th (Thanksgiving, 23rd, is skipped)
    assert business_days_before(dt.date(2017, 11, 28), 3) == dt.date(2017, 11, 22)
    assert business_days_before(dt.date(2017, 11, 28), 0) == dt.date(2017, 11, 28)
