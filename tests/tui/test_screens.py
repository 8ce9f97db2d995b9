"""Pilot tests of the screens over the gap engine: parties, a party, an item, the palette,
exports. On SQLite and PostgreSQL with the demo cases loaded."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Static, TabbedContent

from gaptrack.tui.app import GaptrackApp
from gaptrack.tui.dialogs import TextViewDialog
from gaptrack.tui.screens.item import ItemScreen
from gaptrack.tui.screens.main import MainScreen
from gaptrack.tui.screens.party import PartyScreen
from tui.demo import AS_OF, SIZE
from tui.pilot import palette_search, rows, settle, static_text

KUSHNER_BATES = {"HICKS-000101", "DJTFP-0000340", "DJTFP-0000341"}


def _app(url: str, tmp_path: Path) -> GaptrackApp:
    return GaptrackApp(url, as_of=AS_OF, actor="tester", export_dir=tmp_path)


async def open_kushner(pilot: object, app: GaptrackApp) -> PartyScreen:
    table = app.screen.query_one("#parties", DataTable)
    table.move_cursor(row=table.get_row_index("kushner"))
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, PartyScreen)
    return app.screen


async def test_main_screen_parties_filter_and_sort(demo_url: str, tmp_path: Path) -> None:
    app = _app(demo_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        table = app.screen.query_one("#parties", DataTable)
        shown = rows(table)
        names = [r[0] for r in shown]
        assert "Jared Kushner" in names
        kushner = shown[names.index("Jared Kushner")]
        assert int(kushner[1]) >= 4  # the three forwards/copies and the phone records
        assert "/" in kushner[2] and ("█" in kushner[2] or "░" in kushner[2])
        # The 3 Nov deadline passed, but item 1 was produced and the 16 Nov letter renewed
        # the others with a new deadline: nothing is overdue (only what is still open is).
        assert kushner[4] == ""
        gaps = [int(r[1]) for r in shown]
        assert gaps == sorted(gaps, reverse=True)  # most gaps first

        await pilot.press("slash", *"kush")
        await settle(pilot)
        assert [r[0] for r in rows(table)] == ["Jared Kushner"]
        await pilot.press("escape")
        await settle(pilot)
        assert len(rows(table)) == len(shown)

        await pilot.click("#parties", offset=(2, 0))  # the "Party" header
        await settle(pilot)
        names = [r[0] for r in rows(table)]
        assert names == sorted(names, key=str.casefold)
        await pilot.click("#parties", offset=(2, 0))  # again: the other way
        await settle(pilot)
        assert [r[0] for r in rows(table)] == names[::-1]
        table.focus()
        await pilot.press("s")  # the key moves the sort to the next column (gaps)
        await settle(pilot)
        gaps = [int(r[1]) for r in rows(table)]
        assert gaps == sorted(gaps)


async def test_party_items_gaps_and_item_detail(demo_url: str, tmp_path: Path) -> None:
    app = _app(demo_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_kushner(pilot, app)
        items = rows(screen.query_one("#items-table", DataTable))
        refs = {(r[0], r[1]) for r in items}
        assert {("sjc-2017-10-18", "2"), ("sjc-2017-10-18", "3")} <= refs

        await pilot.press("g")
        await settle(pilot)
        assert screen.query_one(TabbedContent).active == "gaps"
        gap_rows = rows(screen.query_one(".gaps-table", DataTable))
        shown_bates = {b for r in gap_rows for b in r[3].split(", ") if b}
        assert shown_bates >= KUSHNER_BATES
        assert "inferred" in {r[0] for r in gap_rows}

        # The gap-detail pane follows the cursor; the documents behind it load beneath.
        table = screen.query_one(".gaps-table", DataTable)
        target = next(i for i, r in enumerate(gap_rows) if "HICKS-000101" in r[3])
        table.move_cursor(row=target)
        await settle(pilot)
        detail = static_text(screen.query_one(".gap-detail-text", Static))
        assert ("HICKS-000101" in detail and "matched on" in detail.lower()) or "Bates" in detail
        # The thread around it: the message it answers (nobody's), it, Hicks's reply.
        thread = [line for line in detail.splitlines()
                  if line.strip().split(" ")[0] in ("thread", "missing", "reply")]
        assert "produced by nobody" in thread[0] and "hicks HICKS-000101" in thread[1]
        assert "hicks HICKS-000102" in thread[2]
        documents = rows(screen.query_one(".gap-documents", DataTable))
        assert "HICKS-000101" in [d[0] for d in documents]

        # An item: its gaps only.
        await pilot.press("i")
        await settle(pilot)
        items_table = screen.query_one("#items-table", DataTable)
        items_table.move_cursor(row=items_table.get_row_index("sjc-2017-10-18#3"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ItemScreen)
        item_gaps = rows(app.screen.query_one(".gaps-table", DataTable))
        assert item_gaps and all(r[2] == "sjc-2017-10-18#3" for r in item_gaps)
        assert "HICKS-000101" in ", ".join(r[3] for r in item_gaps)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PartyScreen)


async def test_palette_jumps_to_a_party(demo_url: str, tmp_path: Path) -> None:
    app = _app(demo_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette_search(pilot, "Party: Jared")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PartyScreen) and app.screen.party == "kushner"


async def test_exports_write_files_and_say_where(demo_url: str, tmp_path: Path) -> None:
    app = _app(demo_url, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        report = tmp_path / f"gaptrack-status-{AS_OF.isoformat()}.md"
        assert report.exists() and "kushner" in report.read_text().lower()
        assert any(str(report) in n.message for n in app._notifications)

        await open_kushner(pilot, app)
        await pilot.press("L")  # draft the deficiency letter, read it, save it
        await settle(pilot)
        assert isinstance(app.screen, TextViewDialog)
        letter = static_text(app.screen.query_one("#view-text", Static))
        for bates in KUSHNER_BATES:
            assert bates in letter
        await pilot.press("s")
        await settle(pilot)
        saved = tmp_path / f"gaptrack-letter-kushner-{AS_OF.isoformat()}.md"
        assert saved.exists() and "HICKS-000101" in saved.read_text()
        assert any(str(saved) in n.message for n in app._notifications)


async def test_bad_as_of_is_refused_in_the_dialog(demo_url: str, tmp_path: Path) -> None:
    app = _app(demo_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one(Input).value = "16/11/2017"
        await pilot.press("enter")
        await settle(pilot)
        assert "YYYY-MM-DD" in str(app.screen.query_one("#problem").render())
        await pilot.press("escape")
        assert app.state.as_of == AS_OF
