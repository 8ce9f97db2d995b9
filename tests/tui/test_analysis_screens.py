"""Pilot tests of search in the document browser, the thread view and the coverage heat map,
on SQLite and PostgreSQL, over the analysis case (tests/analysiscase.py) at 80x24."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.text import Text
from sqlalchemy.engine import Engine
from textual.widgets import Input, Static

from gaptrack.tui.app import GaptrackApp
from gaptrack.tui.screens.coverage import CoverageScreen
from gaptrack.tui.screens.documents import DocumentsScreen
from gaptrack.tui.screens.party import PartyScreen
from gaptrack.tui.screens.threads import ThreadsScreen
from gaptrack.tui.widgets.snippet import HIT_STYLE, SnippetView
from tests.analysiscase import load_analysis_case
from tui.pilot import rows, settle, static_text

AS_OF = dt.date(2017, 5, 1)
SIZE = (80, 24)


def _app(engine: Engine, tmp_path: Path) -> GaptrackApp:
    load_analysis_case(engine, tmp_path)
    url = engine.url.render_as_string(hide_password=False)
    return GaptrackApp(url, as_of=AS_OF, actor="tester", export_dir=tmp_path)


async def test_document_search_marks_hits_by_style(engine: Engine, tmp_path: Path) -> None:
    app = _app(engine, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DocumentsScreen)
        screen.query_one("#f-text", Input).value = "résumé"
        await settle(pilot)
        table = screen.query_one("#documents")
        assert sorted(r[0] for r in rows(table)) == ["ALICE-0004", "CAROL-0001"]
        assert "[draft] memo" in [r[5] for r in rows(table)]  # subjects stay verbatim
        table.focus()
        await pilot.press("home")
        await settle(pilot)
        view = screen.query_one(SnippetView)
        assert view.display
        content = view.content
        assert isinstance(content, Text)
        marked = [content.plain[s.start:s.end] for s in content.spans if s.style == HIT_STYLE]
        assert marked and marked[0].casefold() == "résumé"
        assert "[bold]attached[/bold]" in content.plain or "résumé" in content.plain
        screen.query_one("#f-text", Input).value = "pages"  # whole words: "page" is not it
        await settle(pilot)
        assert [r[0] for r in rows(table)] == ["ALICE-0003"]


async def test_thread_view_and_heat_map(engine: Engine, tmp_path: Path) -> None:
    app = _app(engine, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(PartyScreen("alice"))
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ThreadsScreen)
        found = rows(screen.query_one("#threads"))
        pipeline = [r for r in found if "Pipeline" in r[2]]
        assert [r[3] for r in pipeline] == ["bob BOB-0001", "carol CAROL-0001", "bob BOB-0002"]
        assert pipeline[1][4] == "alice, bob"
        ghosts = sorted(r[3] for r in found if r[3].startswith("nobody"))
        assert ghosts == ["nobody (quoted)", "nobody (reply depth)", "nobody (reply depth)"]
        caption = static_text(screen.query_one("#threads-caption", Static))
        assert caption.startswith("4 threads of alice; 7 messages alice was on")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        coverage = app.screen
        assert isinstance(coverage, CoverageScreen)
        heat = static_text(coverage.query_one("#coverage-map", Static))
        assert "1702!" in heat and "Bob Baker" in heat and "Alice Able" in heat
        flags = static_text(coverage.query_one("#coverage-flags", Static))
        assert flags.startswith("2017-02: silent; own 0, others 4")
        await pilot.press("w")
        await settle(pilot)
        assert coverage.report is not None and coverage.report.by.value == "week"
