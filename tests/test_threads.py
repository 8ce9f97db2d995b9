"""Threads across productions on both backends: a middle message only a third party
produced, a thread known only from Thread-Index depth, copies merged, the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from gaptrack.cli.main import app
from gaptrack.service.threads import ThreadView, lacking_by_party, party_threads
from gaptrack.threads.outlook import decode_thread_index
from tests.analysiscase import load_analysis_case


@pytest.fixture
def case(engine: Engine, tmp_path: Path) -> Engine:
    load_analysis_case(engine, tmp_path)
    return engine


def by_subject(views: list[ThreadView], subject: str) -> ThreadView:
    [found] = [v for v in views if v.subject == subject]
    return found


def test_a_middle_message_only_a_third_party_produced(case: Engine) -> None:
    thread = by_subject(party_threads(case, "alice"), "Pipeline")
    copies = [[(c.party, c.bates) for c in m.copies] for m in thread.messages]
    assert copies == [[("bob", "BOB-0001")], [("carol", "CAROL-0001")], [("bob", "BOB-0002")]]
    assert [m.depth for m in thread.messages] == [0, 1, 2]
    middle = thread.messages[1]
    assert middle.on_it == ["alice", "bob", "carol"]
    assert middle.lacking == ["alice", "bob"]  # Bob was on it and did not produce it either
    assert thread.messages[2].parent == middle.key
    assert all("alice" in m.lacking for m in thread.messages)


def test_a_thread_known_only_from_decode_thread_index(case: Engine) -> None:
    thread = by_subject(party_threads(case, "alice"), "RE: RE: Travel")
    assert [m.ghost for m in thread.messages] == [True, True, False]
    assert [m.ghost_basis for m in thread.messages] == ["thread-index", "thread-index", ""]
    assert [m.depth for m in thread.messages] == [0, 1, 2]
    assert thread.messages[0].referenced_by == ["BOB-0004"]
    # Nobody produced the two earlier messages; Carol, who wrote the reply, was on them.
    assert thread.messages[0].copies == [] and thread.messages[0].lacking == ["carol"]
    last = thread.messages[2]
    assert last.lacking == ["alice", "carol"]


def test_threads_from_quoted_headers_where_ids_were_stripped(case: Engine) -> None:
    views = party_threads(case, "alice")
    budget = by_subject(views, "Budget")  # the quoted original is Alice's own ALICE-0002
    assert [[c.bates for c in m.copies] for m in budget.messages] == [["ALICE-0002"],
                                                                      ["CAROL-0003"]]
    assert budget.messages[1].parent == budget.messages[0].key
    permits = by_subject(views, "FW: Permits")  # the quoted original: nobody produced it
    original, forward = permits.messages
    assert original.ghost and original.ghost_basis == "quoted"
    assert original.date == dt.datetime(2017, 3, 24, 9, 0)
    assert original.on_it == ["alice", "carol"] and original.lacking == ["alice", "carol"]
    assert original.referenced_by == ["CAROL-0004"]
    assert forward.parent == original.key


def test_thread_index_decoding() -> None:
    assert decode_thread_index("AQAAAAAAAAECAwQFBgcICQoLDA0ODwAAAAEQAAAAAhA=") is not None
    assert decode_thread_index("not base64!") is None
    assert decode_thread_index("AAAA") is None  # too short for the 22-byte header


def test_threads_for_a_party_and_for_everyone(case: Engine) -> None:
    alice = party_threads(case, "alice")
    assert {v.subject for v in alice} == {"Budget", "Pipeline", "RE: RE: Travel",
                                          "FW: Permits"}
    everyone = party_threads(case)
    assert len(everyone) == 4
    # Budget reply 1, Pipeline 3, Travel 1, Permits 2 (the forward and the quoted original).
    assert lacking_by_party(alice)["alice"] == 7


def test_copies_of_one_message_are_one_message(case: Engine, tmp_path: Path) -> None:
    # Alice now produces her own copy of the first email: it stops lacking from her.
    extra = tmp_path / "extra.yaml"
    extra.write_text("""
productions:
  - slug: alice-vol2
    party: alice
    volume: ALICE002
    date_received: 2017-04-25
    bates_prefix: ALICE-
    documents:
      - {bates: ALICE-0100, type: email, custodian: Alice Able, date_sent: 2017-02-03 10:00:00,
         from: Alice Able <alice@a.example>, to: [Bob Baker <bob@b.example>],
         subject: Pipeline, message_id: <t1@a.example>, text: The pipeline route was approved.}
""", encoding="utf-8")
    from gaptrack.service.cases import load_case_files

    load_case_files(case, [extra])
    thread = by_subject(party_threads(case, "alice"), "Pipeline")
    assert len(thread.messages) == 3
    first = thread.messages[0]
    assert [(c.party, c.bates) for c in first.copies] == [("alice", "ALICE-0100"),
                                                          ("bob", "BOB-0001")]
    assert first.lacking == []


def test_cli(case: Engine, db_url: str) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["--db", db_url, "threads", "--party", "alice", "-f", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "thread,depth,date,subject,produced_by,on_it,lacking"
    assert "(produced by nobody)" in result.stdout
    assert any(line.endswith(",carol CAROL-0001,alice; bob; carol,alice; bob")
               for line in lines)
    data = json.loads(runner.invoke(app, ["--db", db_url, "threads", "-p", "bob", "-f",
                                          "json"]).stdout)
    assert data["schema"] == "gaptrack/threads@1" and len(data["threads"]) == 3
