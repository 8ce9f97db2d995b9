"""Pilot tests of the screens that read: documents, letter chains, deadlines, help, as_of.

Each runs on SQLite and PostgreSQL with the demo cases loaded.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.engine import Engine
from textual.widgets import DataTable, Input, Static, Tree

from gaptrack.service import browse
from gaptrack.service.browse import DocumentQuery
from gaptrack.tui.app import GaptrackApp
from gaptrack.tui.dialogs import DocumentDialog
from gaptrack.tui.screens.chains import ChainsScreen
from gaptrack.tui.screens.deadlines import DeadlinesScreen
from gaptrack.tui.screens.documents import DocumentsScreen
from gaptrack.tui.screens.help import HelpScreen
from tui.demo import AS_OF, SIZE
from tui.pilot import MARKUP_SUBJECTS, add_markup_documents, rows, settle, static_text


def _app(url: str, tmp_path: Path) -> GaptrackApp:
    return GaptrackApp(url, as_of=AS_OF, actor="tester", export_dir=tmp_path)


async def test_document_browser_filters_sorts_and_shows_text_verbatim(
    demo_engine: Engine, demo_url: str, tmp_path: Path
) -> None:
    add_markup_documents(demo_engine)
    app = _app(demo_url, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DocumentsScreen)
        table = screen.query_one("#documents", DataTable)
        everything = rows(table)
        total = browse.document_page(demo_engine, DocumentQuery()).total
        assert len(everything) == total
        subjects = [r[5] for r in everything]
        for subject in MARKUP_SUBJECTS:
            assert subject in subjects  # exactly as stored, brackets and all
        assert "[red]Custodian[/red]" in [r[2] for r in everything]

        # Text filter, as you type.
        screen.query_one("#f-text", Input).focus()
        await pilot.press(*"draft")
        await settle(pilot)
        assert [r[5] for r in rows(table)] == ["[draft] memo"]

        # Open it: the dialog shows the fields and the text as plain text.
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DocumentDialog)
        body = static_text(app.screen.query_one("#document-body", Static))
        assert "[draft] memo" in body and "body of [draft] memo" in body
        await pilot.press("escape")
        await settle(pilot)

        # Bates filter: a page number inside a document's range finds it.
        screen.query_one("#f-text", Input).value = ""
        screen.query_one("#f-bates", Input).value = "HICKS-000101"
        await settle(pilot)
        assert [r[0] for r in rows(table)] == ["HICKS-000101"]
        screen.query_one("#f-bates", Input).value = ""
        screen.query_one("#f-custodian", Input).value = "scheduling"
        await settle(pilot)
        found = rows(table)
        assert "DJTFP-0000340" in [r[0] for r in found]
        assert all("scheduling" in r[2].lower() for r in found)
        screen.query_one("#f-custodian", Input).value = ""
        await settle(pilot)

        # Sort by another column (the header click and the key do the same), in SQL.
        table.focus()
        await pilot.click("#documents", offset=(70, 0))  # the "Sent" header
        await settle(pilot)
        assert screen.query_spec.sort == "date"
        dates = [r[4] for r in rows(table) if r[4]]
        assert dates == sorted(dates)
        await pilot.click("#documents", offset=(70, 0))
        await settle(pilot)
        dates = [r[4] for r in rows(table) if r[4]]
        assert dates == sorted(dates, reverse=True)


async def test_document_browser_pages(demo_engine: Engine, demo_url: str, tmp_path: Path) -> None:
    total = browse.document_page(demo_engine, DocumentQuery()).total
    app = _app(demo_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DocumentsScreen)
        status = screen.query_one("#page-status")
        assert f"documents 1–{total} of {total}" in str(status.render())
        await pilot.press("right_square_bracket")  # a single page: stays
        await settle(pilot)
        assert screen.page_offset == 0
        assert browse.PAGE_SIZE <= 2_000


async def test_letter_chains_and_filter(demo_url: str, tmp_path: Path) -> None:
    app = _app(demo_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        assert isinstance(app.screen, ChainsScreen)
        tree = app.screen.query_one(Tree)
        committee = next(c for c in tree.root.children if "Judiciary" in str(c.label))
        initial = next(n for n in committee.children
                       if n.data is not None and n.data.slug == "sjc-2017-10-18")
        follow_ups = [n for n in initial.children if n.data is not None]
        assert [n.data.slug for n in follow_ups if n.data] == ["sjc-2017-11-16"]
        assert "[initial]" in str(initial.label)  # literal brackets, not markup

        app.screen.query_one(Input).value = "nothing matches this"
        await settle(pilot)
        assert len(tree.root.children) == 0
        await pilot.press("escape")


async def test_deadlines_overdue_first_and_as_of_switch(demo_url: str, tmp_path: Path) -> None:
    app = _app(demo_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        assert isinstance(app.screen, DeadlinesScreen)
        table = app.screen.query_one(DataTable)
        shown = rows(table)
        assert shown[0][2] == "OVERDUE"
        states = [r[2] == "OVERDUE" for r in shown]
        assert states == sorted(states, reverse=True)  # overdue first
        assert ["OVERDUE", "ssci-2017-04-28"] in [[r[2], r[4]] for r in shown]
        # Kushner's 3 Nov deadline passed, but its open items were renewed (due 27 Nov) and
        # item 1 was produced: passed, not overdue, as on the main screen.
        assert ["passed", "sjc-2017-10-18"] in [[r[2], r[4]] for r in shown]

        # Switch as_of from the keyboard: everything reloads for the new date.
        await pilot.press("a")
        await settle(pilot)
        field = app.screen.query_one(Input)
        field.value = "not a date"
        await pilot.press("enter")
        await settle(pilot)
        assert app.state.as_of == AS_OF  # refused, dialog still open
        field.value = "2017-10-20"
        await pilot.press("enter")
        await settle(pilot)
        assert app.state.as_of == dt.date(2017, 10, 20)
        assert isinstance(app.screen, DeadlinesScreen)
        shown = [[r[2], r[4]] for r in rows(app.screen.query_one(DataTable))]
        assert ["open", "sjc-2017-10-18"] in shown  # its deadline (3 Nov) is still ahead


async def test_help_lists_every_binding_by_id(demo_url: str, tmp_path: Path) -> None:
    app = _app(demo_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        keys = static_text(app.screen.query_one("#help-keys", Static))
        for binding_id in ("app.quit", "app.help", "app.undo", "app.documents", "app.as-of",
                           "main.filter", "table.sort"):
            assert binding_id in keys
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("ctrl+q")
    assert app.return_code == 0 or app.return_code is None


async def test_document_browser_pages_a_large_case(engine: Engine, tmp_path: Path) -> None:
    from gaptrack.synthetic import build_synthetic

    build_synthetic(engine, 1_200)
    url = engine.url.render_as_string(hide_password=False)
    app = GaptrackApp(url, as_of=dt.date(2017, 9, 1), export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DocumentsScreen)
        table = screen.query_one("#documents", DataTable)
        total = browse.document_page(engine, DocumentQuery()).total
        assert table.row_count == browse.PAGE_SIZE < total  # one page in the table, not all
        first_page = [r[0] for r in rows(table)]
        await pilot.press("right_square_bracket")
        await settle(pilot)
        second_page = [r[0] for r in rows(table)]
        expected = browse.document_page(engine, DocumentQuery(), offset=browse.PAGE_SIZE).rows
        assert second_page == [r.bates for r in expected]
        status = str(screen.query_one("#page-status").render())
        assert f"documents {browse.PAGE_SIZE + 1:,}–" in status
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert [r[0] for r in rows(table)] == first_page


async def test_keys_can_be_remapped_by_binding_id(demo_url: str, tmp_path: Path) -> None:
    app = GaptrackApp(demo_url, as_of=AS_OF, export_dir=tmp_path,
                      keymap={"app.deadlines": "ctrl+d"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert isinstance(app.screen, DeadlinesScreen)
