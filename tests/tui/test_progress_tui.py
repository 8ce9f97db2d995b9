"""Pilot test of the progress chart on the party screen, on SQLite and PostgreSQL, at 80x24:
reached by its key, drawn from the service's figures (tests/familycase.py)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine
from textual.widgets import Sparkline, Static, TabbedContent

from gaptrack.tui.app import GaptrackApp
from gaptrack.tui.screens.party import PartyScreen
from gaptrack.tui.widgets.progress import SAMPLES, DeadlineMarks, ProgressPanel
from tests.familycase import AS_OF, load_family_case
from tui.pilot import settle, static_text


async def test_the_progress_chart_is_a_key_away(engine: Engine, tmp_path: Path) -> None:
    load_family_case(engine, tmp_path)
    url = engine.url.render_as_string(hide_password=False)
    app = GaptrackApp(url, as_of=AS_OF, actor="tester", export_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(PartyScreen("paula"))
        await settle(pilot)
        screen = app.screen
        await pilot.press("r")
        await settle(pilot)
        assert screen.query_one(TabbedContent).active == "progress"
        panel = screen.query_one(ProgressPanel)
        assert panel.has_focus  # the keyboard is in the tab, so it scrolls
        documents = list(screen.query_one("#progress-documents", Sparkline).data or [])
        known = list(screen.query_one("#progress-known", Sparkline).data or [])
        # From the first letter (2017-02-01) to 2017-06-01: nothing, 6 documents from
        # 2017-03-10, 8 from 2017-04-20; the known item's copy arrived 2017-04-20.
        assert len(documents) == SAMPLES and documents[0] == 0 and documents[-1] == 8
        assert sorted(set(documents)) == [0, 6, 8]
        assert documents == sorted(documents)  # cumulative
        assert known[0] == 0 and known[-1] == 1
        assert documents.index(8) == known.index(1)  # the same volume brought both
        lines = static_text(screen.query_one("#progress-deadlines", Static)).splitlines()
        assert lines == [
            "▲ r1 due 2017-03-15 (passed): 6 documents, known items 0/1",
            "▲ r2 due 2017-05-01 (passed): 8 documents, known items 1/1",
        ]
        caption = static_text(screen.query_one("#progress-documents-caption", Static))
        assert caption == "Documents produced: 8 by 2017-06-01 (2017-02-01 to 2017-06-01)"
        # A mark under the chart where each deadline falls: 42 and 89 of 120 days.
        marks = screen.query_one("#progress-documents-marks", DeadlineMarks)
        row = str(marks.render())
        width = marks.size.width
        assert [i for i, c in enumerate(row) if c == "▲"] == [
            round(42 / 120 * (width - 1)), round(89 / 120 * (width - 1))
        ]
        # Every part of the tab is on screen at 80x24.
        for widget in panel.children:
            assert widget.region.height > 0 and widget.region.right <= 80
            assert widget.region.bottom <= 23
