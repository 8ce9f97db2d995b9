"""SVG snapshots of the main screens on the demo cases, at a fixed as_of and terminal size.

``snap_compare`` is synchronous (never call it from an async test). Re-record after an
intended change with ``make snapshots``. SQLite only: these check drawing, not storage.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from textual.pilot import Pilot
from textual.widgets import DataTable

from gaptrack.tui.app import GaptrackApp
from tui.demo import AS_OF, SIZE, load_demo
from tui.pilot import rows, settle

Compare = Callable[..., bool]


@pytest.fixture
def demo_app(sqlite_engine: Engine) -> Iterator[GaptrackApp]:
    load_demo(sqlite_engine)
    url = sqlite_engine.url.render_as_string(hide_password=False)
    yield GaptrackApp(url, as_of=AS_OF, actor="snapshot")


def steps(*keys: str, gap_bates: str | None = None, known: str | None = None,
          item: str | None = None) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Settle, open Kushner, press keys (settling after each), optionally move to a row."""

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        app = pilot.app
        if keys:
            table = app.screen.query_one("#parties", DataTable)
            table.move_cursor(row=table.get_row_index("kushner"))
            await pilot.press("enter")
            await settle(pilot)
        for key in keys:
            if key == "@gap" and gap_bates:
                table = app.screen.query_one(".gaps-table", DataTable)
                table.move_cursor(row=next(i for i, r in enumerate(rows(table))
                                           if gap_bates in r[3]))
            elif key == "@item" and item:
                table = app.screen.query_one("#items-table", DataTable)
                table.move_cursor(row=table.get_row_index(item))
            elif key == "@known" and known:
                table = app.screen.query_one("#known-table", DataTable)
                table.move_cursor(row=table.get_row_index(known))
            else:
                await pilot.press(key)
            await settle(pilot)

    return run


def test_main_screen(snap_compare: Compare, demo_app: GaptrackApp) -> None:
    assert snap_compare(demo_app, terminal_size=SIZE, run_before=steps())


def test_party_screen(snap_compare: Compare, demo_app: GaptrackApp) -> None:
    assert snap_compare(demo_app, terminal_size=SIZE, run_before=steps("i"))


def test_gap_detail(snap_compare: Compare, demo_app: GaptrackApp) -> None:
    assert snap_compare(demo_app, terminal_size=SIZE,
                        run_before=steps("g", "@gap", gap_bates="HICKS-000101"))


def test_help_screen(snap_compare: Compare, demo_app: GaptrackApp) -> None:
    assert snap_compare(demo_app, terminal_size=SIZE, run_before=steps("question_mark"))


def test_confirm_modal(snap_compare: Compare, demo_app: GaptrackApp) -> None:
    assert snap_compare(demo_app, terminal_size=SIZE,
                        run_before=steps("k", "@known", "z", known="kushner-millian-cc"))


# The small and the large terminal: what a laptop split pane and a full screen show.
SMALL, LARGE = (80, 24), (160, 48)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x48"])
def test_main_screen_sized(snap_compare: Compare, demo_app: GaptrackApp,
                           size: tuple[int, int]) -> None:
    assert snap_compare(demo_app, terminal_size=size, run_before=steps())


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x48"])
def test_party_gaps_sized(snap_compare: Compare, demo_app: GaptrackApp,
                          size: tuple[int, int]) -> None:
    assert snap_compare(demo_app, terminal_size=size,
                        run_before=steps("g", "@gap", gap_bates="HICKS-000101"))


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x48"])
def test_item_screen_sized(snap_compare: Compare, demo_app: GaptrackApp,
                           size: tuple[int, int]) -> None:
    assert snap_compare(demo_app, terminal_size=size,
                        run_before=steps("@item", "enter", item="sjc-2017-11-16#2"))
