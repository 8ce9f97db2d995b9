"""The TUI faults of the case-view issue, each driven through Pilot on the demo cases: the item
screen at 80x24, the gap columns, the cursor after an action, C/T/D switching, the actor and
its undo, and notes shown where they were written."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from textual.widgets import DataTable, Static

from gaptrack.tui.app import GaptrackApp
from gaptrack.tui.dialogs import ConfirmDialog, TextDialog
from gaptrack.tui.screens.chains import ChainsScreen
from gaptrack.tui.screens.deadlines import DeadlinesScreen
from gaptrack.tui.screens.documents import DocumentsScreen
from gaptrack.tui.screens.item import ItemScreen
from gaptrack.tui.screens.main import MainScreen
from gaptrack.tui.widgets.gaps import GapsPanel
from tui.demo import AS_OF, SIZE
from tui.pilot import rows, settle, static_text
from tui.test_screens import open_kushner

SMALL = (80, 24)


def _app(url: str, tmp_path: Path, actor: str | None = "tester") -> GaptrackApp:
    return GaptrackApp(url, as_of=AS_OF, actor=actor, export_dir=tmp_path)


async def _open_item(pilot: object, app: GaptrackApp, ref: str) -> ItemScreen:
    screen = await open_kushner(pilot, app)
    table = screen.query_one("#items-table", DataTable)
    table.move_cursor(row=table.get_row_index(ref))
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, ItemScreen)
    return app.screen


async def test_item_screen_at_80x24_shows_five_gap_rows(demo_url: str, tmp_path: Path) -> None:
    app = _app(demo_url, tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        screen = await _open_item(pilot, app, "sjc-2017-11-16#2")
        table = screen.query_one(".gaps-table", DataTable)
        assert table.size.height - 1 >= 5  # the header row, then at least five gap rows
        # The renewed item shows what is outstanding since the first letter's item 2.
        assert len(rows(table)) >= 4
        assert {r[2] for r in rows(table)} == {"sjc-2017-10-18#2"}
        labels = [str(c.label) for c in table.columns.values()]
        assert labels[:2] == ["Kind", "What is missing"]
        assert screen.query_one(GapsPanel).has_class("folded")
        await pilot.press("e")  # the evidence unfolds on request
        await settle(pilot)
        assert not screen.query_one(GapsPanel).has_class("folded")


async def test_cursor_stays_on_the_row_acted_on(demo_url: str, tmp_path: Path) -> None:
    app = _app(demo_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_kushner(pilot, app)
        await pilot.press("k")
        await settle(pilot)
        table = screen.query_one("#known-table", DataTable)
        table.move_cursor(row=2)
        await pilot.press("x")  # disputed: a reason, no confirmation (it stays outstanding)
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        await pilot.press(*"counsel disputes it", "enter")
        await settle(pilot)
        assert table.cursor_row == 2
        assert rows(table)[2][2] == "disputed"


async def test_letters_deadlines_documents_switch_and_h_goes_home(
    demo_url: str, tmp_path: Path
) -> None:
    app = _app(demo_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_kushner(pilot, app)
        depth = len(app.screen_stack)
        for key, kind in (("C", ChainsScreen), ("T", DeadlinesScreen), ("D", DocumentsScreen),
                          ("C", ChainsScreen), ("T", DeadlinesScreen)):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, kind)
            assert len(app.screen_stack) == depth + 1  # switched, never stacked
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


def test_the_actor_is_the_os_user_or_gaptrack_actor(
    demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import getpass

    monkeypatch.delenv("GAPTRACK_ACTOR", raising=False)
    assert _app(demo_url, tmp_path, actor=None).state.actor == getpass.getuser()
    monkeypatch.setenv("GAPTRACK_ACTOR", "jsmith")
    assert _app(demo_url, tmp_path, actor=None).state.actor == "jsmith"
    assert _app(demo_url, tmp_path, actor="counsel").state.actor == "counsel"


async def test_undo_says_what_it_will_undo_per_actor(demo_url: str, tmp_path: Path) -> None:
    app = _app(demo_url, tmp_path, actor="alice")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = await open_kushner(pilot, app)
        await pilot.press("k")
        await settle(pilot)
        table = screen.query_one("#known-table", DataTable)
        table.move_cursor(row=table.get_row_index("kushner-phone-records"))
        await pilot.press("x", *"none exist", "enter")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        message = static_text(app.screen.query_one(".dialog-body", Static))
        assert "status change on kushner-phone-records (disputed: none exist)" in message
    other = _app(demo_url, tmp_path, actor="bob")
    async with other.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert not isinstance(other.screen, ConfirmDialog)  # bob has nothing of his to undo
        assert any("bob has nothing to undo" in n.message for n in other._notifications)


async def test_notes_show_where_they_were_written(demo_engine: Engine, demo_url: str,
                                                  tmp_path: Path) -> None:
    app = _app(demo_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_kushner(pilot, app)
        await pilot.press("n", *"asked counsel on 20 Nov", "enter")  # on the party
        await settle(pilot)
        caption = static_text(screen.query_one("#party-caption", Static))
        assert "note (tester" in caption and "asked counsel on 20 Nov" in caption
        await pilot.press("k")
        await settle(pilot)
        table = screen.query_one("#known-table", DataTable)
        table.move_cursor(row=table.get_row_index("kushner-millian-cc"))
        await pilot.press("n", *"two emails", "enter")
        await settle(pilot)
        row = rows(table)[table.get_row_index("kushner-millian-cc")]
        assert row[-1] == "two emails (tester)"
        await pilot.press("g")
        await settle(pilot)
        gaps = screen.query_one(".gaps-table", DataTable)
        gaps.focus()
        gaps.move_cursor(row=0)
        await pilot.press("n", *"see the cover letter", "enter")
        await settle(pilot)
        detail = static_text(screen.query_one(".gap-detail-text", Static))
        assert "see the cover letter (tester" in detail


async def test_party_screen_opens_on_the_kept_status_then_fills_its_tabs(
    demo_engine: Engine, demo_url: str, tmp_path: Path
) -> None:
    """Watched at the app's date, the main screen and the party header read the status part
    kept after the last write; the gaps and known items follow, the same as the live view's."""
    from gaptrack.service import view_store, views
    from gaptrack.tui.screens.party import PartyScreen, party_caption
    from gaptrack.tui.widgets.known import KnownTable

    view_store.watch(demo_engine, [AS_OF])
    assert view_store.stored_party(demo_engine, "kushner", AS_OF) is not None
    views.clear_cache()
    live = views.case_view(demo_engine, as_of=AS_OF, party="kushner").party_view("kushner")
    assert live is not None
    views.clear_cache()
    app = _app(demo_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_kushner(pilot, app)
        assert isinstance(screen, PartyScreen) and screen.complete
        assert static_text(screen.query_one("#party-caption", Static)).startswith(
            party_caption(live, AS_OF))
        assert len(rows(screen.query_one(".gaps-table", DataTable))) == len(live.gaps)
        assert len(rows(screen.query_one(KnownTable))) == len(live.known)
        assert not screen.query_one(GapsPanel).loading
        await pilot.press("n")  # an action: the kept part follows it once the worker is done
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        await pilot.press(*"call counsel", "enter")
        await settle(pilot)
        assert view_store.stored_party(demo_engine, "kushner", AS_OF) is not None
        assert "call counsel" in static_text(screen.query_one("#party-caption", Static))
