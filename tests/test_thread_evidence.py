"""A thread with a missing message a party was on is evidence on that party's gap, on both
backends: the inferred gap for the reply only Carol produced carries the email it answers
(Bob's copy) and the reply to it (Bob's), in the engine, in ``gaps --format json`` and in
the TUI's gap detail."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from gaptrack.cli.main import app
from gaptrack.gaps.model import Gap, GapKind
from gaptrack.service.gaps import find_gaps
from gaptrack.tui.widgets.gaps import describe
from tests.analysiscase import load_analysis_case

AS_OF = dt.date(2017, 6, 1)


@pytest.fixture
def case(engine: Engine, tmp_path: Path) -> Engine:
    load_analysis_case(engine, tmp_path)
    return engine


def inferred(gaps: list[Gap], bates: str) -> Gap:
    return next(g for g in gaps if g.kind is GapKind.INFERRED and g.evidence.bates == [bates])


def test_the_gap_of_a_middle_message_carries_its_thread(case: Engine) -> None:
    gaps = find_gaps(case, as_of=AS_OF, party="alice")
    middle = inferred(gaps, "CAROL-0001")
    assert [(m.relation, m.produced_by) for m in middle.evidence.thread] == [
        ("parent", ["bob BOB-0001"]),
        ("missing", ["carol CAROL-0001"]),
        ("reply", ["bob BOB-0002"]),
    ]
    assert middle.evidence.thread[0].date == dt.datetime(2017, 2, 3, 10, 0)
    # The first message: no parent, one reply; the last: a parent, no reply.
    first = inferred(gaps, "BOB-0001")
    assert [m.relation for m in first.evidence.thread] == ["missing", "reply"]
    last = inferred(gaps, "BOB-0002")
    assert [m.relation for m in last.evidence.thread] == ["parent", "missing"]
    # An email in no thread gets none.
    assert inferred(gaps, "CAROL-0002").evidence.thread == []
    # Known by its Thread-Index alone (depth 2): the message it answers, which nobody produced.
    travel = inferred(gaps, "BOB-0004")
    assert [(m.relation, m.produced_by) for m in travel.evidence.thread] == [
        ("parent", []), ("missing", ["bob BOB-0004"])]


def test_gaps_json_and_the_tui_detail_show_the_thread(case: Engine, db_url: str) -> None:
    result = CliRunner().invoke(app, ["--db", db_url, "gaps", "--party", "alice", "--format",
                                      "json", "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    found = [g for g in json.loads(result.stdout)["gaps"]
             if g["evidence"]["bates"] == ["CAROL-0001"]]
    assert len(found) == 2  # under item 1 (résumé) and item 3 (correspondents)
    assert found[0]["evidence"]["thread"] == found[1]["evidence"]["thread"]
    thread = found[0]["evidence"]["thread"]
    assert [m["relation"] for m in thread] == ["parent", "missing", "reply"]
    assert thread[0] == {"relation": "parent", "subject": "Pipeline",
                         "date": "2017-02-03T10:00:00", "produced_by": ["bob BOB-0001"]}
    detail = describe(inferred(find_gaps(case, as_of=AS_OF, party="alice"), "CAROL-0001"))
    lines = detail.plain.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("thread"))
    assert "parent" in lines[at] and "bob BOB-0001" in lines[at]
    assert "missing" in lines[at + 1] and "carol CAROL-0001" in lines[at + 1]
    assert "reply" in lines[at + 2] and "bob BOB-0002" in lines[at + 2]
    missing_style = [s for s in detail.spans if "CAROL-0001" in detail.plain[s.start:s.end]]
    assert missing_style and "red" in str(missing_style[0].style)


def test_a_message_nobody_produced_shows_its_replies(case: Engine, tmp_path: Path) -> None:
    from gaptrack.service.cases import load_case_files

    extra = tmp_path / "extra.yaml"
    extra.write_text("""
productions:
  - slug: bob-vol2
    party: bob
    volume: BOB002
    date_received: 2017-04-25
    bates_prefix: BOB-
    documents:
      - {bates: BOB-0100, type: email, custodian: Bob Baker, date_sent: 2017-02-12 10:00:00,
         from: Bob Baker <bob@b.example>, to: [Alice Able <alice@a.example>],
         subject: "Re: Zoning", message_id: <z2@b.example>, in_reply_to: <z1@a.example>,
         text: Noted.}
""", encoding="utf-8")
    load_case_files(case, [extra])
    gaps = find_gaps(case, as_of=AS_OF, party="alice", kinds=["referenced-unproduced"])
    [lost] = [g for g in gaps if g.kind is GapKind.REFERENCED_UNPRODUCED]
    assert [(m.relation, m.produced_by) for m in lost.evidence.thread] == [
        ("missing", []), ("reply", ["bob BOB-0100"])]
