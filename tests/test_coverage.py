"""Coverage and the silent-period gap kind on both backends: a silent month corroborated by
two other parties' emails, weeks, as-of, the robust z-score of a sharp fall, the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from gaptrack.cli.main import app
from gaptrack.coverage import Period, robust_z
from gaptrack.gaps.model import GapKind
from gaptrack.service.coverage import coverage_report
from gaptrack.service.gaps import find_gaps
from tests.analysiscase import load_analysis_case

AS_OF = dt.date(2017, 5, 1)


@pytest.fixture
def case(engine: Engine, tmp_path: Path) -> Engine:
    load_analysis_case(engine, tmp_path)
    return engine


def test_a_silent_month_corroborated_by_two_other_parties(case: Engine) -> None:
    report = coverage_report(case, "alice", as_of=AS_OF)
    assert report.periods == ["2017-01", "2017-02", "2017-03"]
    assert report.own_totals == [2, 0, 2]
    assert report.others_totals == [1, 4, 2]
    assert report.flags == {"2017-02": "silent"}
    others = {r.name: r.counts for r in report.rows if r.source == "others"}
    assert others == {"Bob Baker": [0, 2, 1], "Carol Cole": [1, 2, 1]}
    own = {r.name: r.counts for r in report.rows if r.source == "own"}
    assert own == {"Alice Able": [2, 0, 2]}  # the undated memo counts in March (created)


def test_the_silent_month_is_a_gap_with_evidence_and_items(case: Engine) -> None:
    gaps = find_gaps(case, as_of=AS_OF, party="alice", kinds=["silent-period"])
    [gap] = gaps
    assert gap.kind is GapKind.SILENT_PERIOD and gap.key == "silent-period:alice:2017-02"
    assert gap.date == dt.date(2017, 2, 1)
    assert gap.evidence.bates == ["BOB-0001", "BOB-0002", "CAROL-0001", "CAROL-0002"]
    assert (gap.request, gap.item) == ("r1", "1")
    assert "Requested by r1#1, r1#2, r1#3." in gap.evidence.summary
    # Not part of the default kinds.
    assert all(g.kind is not GapKind.SILENT_PERIOD for g in find_gaps(case, as_of=AS_OF))


def test_as_of_counts_only_productions_received(case: Engine) -> None:
    # Bob's production arrived on 10 Apr, Carol's on 12 Apr, Alice's on 20 Apr.
    early = coverage_report(case, "alice", as_of=dt.date(2017, 4, 11))
    assert early.periods == ["2017-02", "2017-03"]
    assert early.own_totals == [0, 0] and early.others_totals == [2, 1]
    assert {r.name for r in early.rows} == {"Bob Baker"}
    assert find_gaps(case, as_of=dt.date(2017, 3, 1), party="alice",
                     kinds=["silent-period"]) == []  # the letter was not sent yet


def test_weeks(case: Engine) -> None:
    report = coverage_report(case, "alice", as_of=AS_OF, by=Period.WEEK)
    assert report.periods[0] == "week of 2017-01-09"
    assert report.starts[1] - report.starts[0] == dt.timedelta(days=7)
    silent = sorted(report.flags)
    assert silent == ["week of 2017-01-30", "week of 2017-02-06", "week of 2017-02-20",
                      "week of 2017-03-20"]


def test_robust_z_flags_a_sharp_fall() -> None:
    scores = robust_z([40, 42, 38, 41, 39, 3, 40])
    assert scores is not None
    assert scores[5] <= -3.5 and all(s > -3.5 for n, s in enumerate(scores) if n != 5)
    assert robust_z([5, 5, 5]) is None
    # More than half equal (MAD 0): the mean absolute deviation stands in.
    fallback = robust_z([10, 10, 10, 10, 0])
    assert fallback is not None and fallback[4] < -3.5


def test_cli(case: Engine, db_url: str) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["--db", db_url, "coverage", "--party", "alice", "--as-of",
                                 "2017-05-01", "-f", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "period,own,others,flag,z,custodians,others_by_party"
    assert lines[2].startswith("2017-02,0,4,silent,")
    assert lines[2].endswith(",,Bob Baker 2; Carol Cole 2")
    data = json.loads(runner.invoke(app, ["--db", db_url, "coverage", "-p", "alice",
                                          "--as-of", "2017-05-01", "-f", "json"]).stdout)
    assert data["schema"] == "gaptrack/coverage@1" and data["flags"] == {"2017-02": "silent"}
    bad = runner.invoke(app, ["--db", db_url, "coverage", "-p", "alice", "--by", "year"])
    assert bad.exit_code != 0
