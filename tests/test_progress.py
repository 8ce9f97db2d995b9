"""Progress over time per party (documents and known items produced by date, against each
deadline) on both backends, and its SVG chart in the HTML status report."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from gaptrack.cli.main import app
from gaptrack.reports.progress_svg import progress_svg
from gaptrack.service import views
from gaptrack.service.progress import progress_for
from tests.familycase import AS_OF, load_family_case

runner = CliRunner()


def test_progress_numbers_per_date(engine: Engine, tmp_path: Path) -> None:
    load_family_case(engine, tmp_path)
    views.clear_cache()
    progress = progress_for(engine, party="paula", as_of=AS_OF)
    assert progress.start == dt.date(2017, 2, 1)  # the first letter
    assert [(p.date.isoformat(), p.documents, p.known_produced) for p in progress.points] == [
        ("2017-03-10", 6, 0),
        ("2017-04-20", 8, 1),  # the second volume holds the copy of the known item
    ]
    assert progress.at(dt.date(2017, 3, 9)) == (0, 0)
    assert progress.at(dt.date(2017, 3, 10)) == (6, 0)
    assert [(d.request, d.deadline.isoformat(), d.documents, d.known_produced, d.known_total)
            for d in progress.deadlines] == [
        ("r1", "2017-03-15", 6, 0, 1),
        ("r2", "2017-05-01", 8, 1, 1),
    ]
    # The chart ends where the party's header does.
    summary = views.case_view(engine, as_of=AS_OF, party="paula").party_view("paula")
    assert summary is not None
    assert progress.at(AS_OF)[1] == summary.summary.known_produced


def test_progress_as_of_an_earlier_date(engine: Engine, tmp_path: Path) -> None:
    load_family_case(engine, tmp_path)
    views.clear_cache()
    progress = progress_for(engine, party="paula", as_of=dt.date(2017, 4, 1))
    # The second volume had not arrived; the April letter's deadline is still ahead.
    assert [(p.documents, p.known_produced) for p in progress.points] == [(6, 0)]
    assert [(d.request, d.passed, d.documents) for d in progress.deadlines] == [
        ("r1", True, 6), ("r2", False, 6),
    ]
    _days, documents, known = progress.series(5)
    assert documents == [0, 0, 0, 6, 6] and known == [0] * 5


def test_the_html_status_report_charts_progress(engine: Engine, tmp_path: Path) -> None:
    load_family_case(engine, tmp_path)
    views.clear_cache()
    url = engine.url.render_as_string(hide_password=False)
    result = runner.invoke(app, ["--db", url, "status", "--as-of", AS_OF.isoformat(),
                                 "--format", "html"])
    assert result.exit_code == 0, result.output
    page = result.output
    assert "<h2>Progress over time</h2>" in page
    [svg] = re.findall(r"<svg .*?</svg>", page, re.DOTALL)
    root = ET.fromstring(svg)  # well-formed
    ns = "{http://www.w3.org/2000/svg}"
    texts = ["".join(t.itertext()) for t in root.iter(f"{ns}text")]
    assert "Documents produced: 8" in texts and "Known items produced (of 1): 1" in texts
    assert {"r1", "r2"} <= set(texts)  # a line at each deadline
    paths = [p.get("d") or "" for p in root.iter(f"{ns}path")]
    assert len(paths) == 2 and all(p.count("V") == 2 for p in paths)  # two arrivals each
    markdown = runner.invoke(app, ["--db", url, "status", "--as-of", AS_OF.isoformat(),
                                   "--format", "md"])
    assert "<svg" not in markdown.output


def test_the_chart_escapes_names_and_slugs(engine: Engine, tmp_path: Path) -> None:
    from tests.familycase import CASE

    load_family_case(engine, tmp_path, CASE.replace(
        "name: Paula Park, aliases", 'name: "Paula <script>&\\"x", aliases'))
    views.clear_cache()
    progress = progress_for(engine, party="paula", as_of=AS_OF)
    svg = progress_svg(progress)
    assert "<script>" not in svg and "&lt;script&gt;&amp;" in svg
    ET.fromstring(svg)
