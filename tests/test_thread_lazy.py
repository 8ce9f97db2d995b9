"""The thread around a missing email is read only for the gaps a face shows it on: the case
view reads none, its counts do not depend on it, `gaps` reads it for JSON alone, and reading
it a few gaps at a time gives what reading all at once gives; on both backends."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from gaptrack.cli.main import app
from gaptrack.service import gaps as service
from gaptrack.service import views
from tests.analysiscase import load_analysis_case

AS_OF = dt.date(2017, 6, 1)


@pytest.fixture
def case(engine: Engine, tmp_path: Path) -> Engine:
    load_analysis_case(engine, tmp_path)
    views.clear_cache()
    return engine


def counts(engine: Engine) -> tuple[object, ...]:
    view = views.case_view(engine, as_of=AS_OF)
    return ([s.model_dump() for s in view.summaries], [r.model_dump() for r in view.ledger],
            len(view.gaps))


def test_the_view_reads_no_thread_and_its_counts_do_not_depend_on_one(case: Engine) -> None:
    before = counts(case)
    gaps = views.case_view(case, as_of=AS_OF).gaps
    assert gaps and all(g.evidence.thread == [] for g in gaps)
    service.attach_threads(case, gaps)
    assert sum(1 for g in gaps if g.evidence.thread) >= 4  # the analysis case's threads
    assert counts(case) == before  # the kept view, its gaps now carrying their threads
    views.clear_cache()
    assert counts(case) == before  # and a view computed afresh


def test_gaps_reads_the_thread_for_json_only(case: Engine, db_url: str) -> None:
    def run(fmt: str) -> str:
        result = CliRunner().invoke(app, ["--db", db_url, "gaps", "--party", "alice",
                                          "--format", fmt, "--as-of", AS_OF.isoformat()])
        assert result.exit_code == 0, result.output
        return result.stdout

    assert "CAROL-0001" in run("table")
    kept = views.case_view(case, as_of=AS_OF, party="alice").gaps
    assert all(g.evidence.thread == [] for g in kept)
    shown = json.loads(run("json"))["gaps"]
    assert any(g["evidence"]["thread"] for g in shown)


def test_a_few_gaps_at_a_time_read_what_all_at_once_read(
    case: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    at_once = [g.evidence.thread for g in service.find_gaps(case, as_of=AS_OF)]
    views.clear_cache()
    monkeypatch.setattr(service, "THREAD_BATCH", 2)
    in_twos = [g.evidence.thread for g in service.find_gaps(case, as_of=AS_OF)]
    assert in_twos == at_once and any(at_once)
