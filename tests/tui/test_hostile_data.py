"""The TUI survives its data (issue 17, line 9): markup, actions, escape sequences, bidi
overrides and huge values in names and titles are shown as plain, escaped text; the command
palette neither crashes nor runs actions; a locked database is waited for, then reported,
and the app keeps running. On SQLite and PostgreSQL, with the demo cases loaded."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from textual.command import CommandList
from textual.widgets import DataTable, Static

import gaptrack.db
from gaptrack.tui import runner
from gaptrack.tui.app import GaptrackApp
from gaptrack.tui.screens.main import MainScreen
from gaptrack.tui.screens.party import PartyScreen
from tui.demo import AS_OF, SIZE
from tui.pilot import palette_search, rows, settle, static_text

UNBALANCED = "Zed [/b] unbalanced"
CLICK = "[@click=app.quit]Quitter[/]"
LINK_TITLE = "[link=file:///etc/passwd]Passwords please[/link]"
ESCAPES = "Evil\x1b]0;pwned\x07 \x1b[31mred\x1b[0m \u202egnp.exe"
ESCAPES_SHOWN = "Evil\\x1b]0;pwned\\x07 \\x1b[31mred\\x1b[0m \\u202egnp.exe"
HUGE = "H" * 300_000


def _hostile(engine: Engine) -> None:
    with engine.begin() as conn:
        for slug, name in (("kushner", UNBALANCED), ("cia", CLICK), ("nsa", ESCAPES)):
            conn.execute(sa.text("UPDATE party SET name = :n WHERE slug = :s"),
                         {"n": name, "s": slug})
        conn.execute(sa.text("UPDATE request SET title = :t WHERE slug = 'ssci-2017-05-agencies'"),
                     {"t": LINK_TITLE})
        conn.execute(sa.text("UPDATE request_item SET text = :t"), {"t": ESCAPES + HUGE})


def _app(url: str, tmp_path: Path) -> GaptrackApp:
    return GaptrackApp(url, as_of=AS_OF, actor="tester", export_dir=tmp_path)


def _prompts(app: GaptrackApp) -> list[str]:
    found = app.screen.query_one(CommandList)
    return [str(found.get_option_at_index(i).prompt).split("\n")[0]
            for i in range(found.option_count)]


def _no_raw_escapes(cells: list[list[str]]) -> None:
    for row in cells:
        for value in row:
            assert "\x1b" not in value and "\u202e" not in value and "\x07" not in value
            assert len(value) <= 500


async def test_names_and_titles_show_as_plain_escaped_text(
    demo_engine: Engine, demo_url: str, tmp_path: Path
) -> None:
    _hostile(demo_engine)
    app = _app(demo_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        shown = rows(app.screen.query_one("#parties", DataTable))
        _no_raw_escapes(shown)
        names = [r[0] for r in shown]
        assert UNBALANCED in names and CLICK in names and ESCAPES_SHOWN in names

        await palette_search(pilot, "Zed")  # unbalanced markup: still found, shown verbatim
        assert f"Party: {UNBALANCED}" in _prompts(app)
        await pilot.press("escape")
        await settle(pilot)

        await palette_search(pilot, "Quitter")  # an action in a name is text, not a link
        assert f"Party: {CLICK}" in _prompts(app)
        await pilot.press("escape")
        await settle(pilot)

        await palette_search(pilot, "Request: ssci-2017-05")  # a link in a title: no crash
        found = app.screen.query_one(CommandList)
        full = [str(found.get_option_at_index(i).prompt) for i in range(found.option_count)]
        assert any(LINK_TITLE in p for p in full), full
        await pilot.press("escape")
        await settle(pilot)

        await palette_search(pilot, "pwned")  # the escapes are searchable as shown
        assert any(ESCAPES_SHOWN in p for p in _prompts(app))
        await pilot.press("escape")
        await settle(pilot)

        table = app.screen.query_one("#parties", DataTable)
        table.move_cursor(row=table.get_row_index("kushner"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PartyScreen)
        caption = static_text(app.screen.query_one("#party-caption", Static))
        assert caption.startswith(UNBALANCED)
        items = rows(app.screen.query_one("#items-table", DataTable))
        _no_raw_escapes(items)
        assert any(ESCAPES_SHOWN + "HHH" in c and c.endswith("…") for r in items for c in r)
        assert app.is_running  # no MarkupError, no quit


def _lock(path: Path, held: threading.Event, release: threading.Event) -> None:
    """Hold the SQLite database the way a large import does: rollback journal, exclusive."""
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=delete")
    connection.execute("BEGIN EXCLUSIVE")
    connection.execute("UPDATE party SET name = name")
    held.set()
    release.wait(30)
    connection.execute("ROLLBACK")
    connection.close()


@pytest.mark.parametrize("released", [True, False], ids=["released-retried", "still-locked"])
async def test_locked_database_retries_then_notifies_never_exits(
    demo_engine: Engine, demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    released: bool,
) -> None:
    if not demo_url.startswith("sqlite"):
        pytest.skip("SQLite's file lock; PostgreSQL readers are never blocked by a writer")
    monkeypatch.setattr(gaptrack.db, "BUSY_TIMEOUT_MS", 100)
    monkeypatch.setattr(runner, "BUSY_RETRY_DELAYS", (0.3, 0.3, 0.3))
    demo_engine.dispose()  # the lock needs the file to itself, as an import's switch does
    path = Path(sa.make_url(demo_url).database or "")
    held, release = threading.Event(), threading.Event()
    locker = threading.Thread(target=_lock, args=(path, held, release))
    locker.start()
    assert held.wait(10)
    app = _app(demo_url, tmp_path)
    state: Any = app.state
    state._engine = gaptrack.db.make_engine(demo_url)  # the migrations ran: open, not upgrade
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            if released:
                await pilot.pause(0.4)
                release.set()
            await settle(pilot)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and any(w.is_running for w in app.workers):
                await pilot.pause(0.1)
            await settle(pilot)
            assert app.is_running
            shown = rows(app.screen.query_one("#parties", DataTable))
            messages = [n.message for n in app._notifications]
            if released:
                assert any("kushner" in " ".join(r).lower() for r in shown)
            else:
                assert any("busy" in m for m in messages), messages
    finally:
        release.set()
        locker.join()


def test_tui_modules_build_text_through_the_sanitising_text() -> None:
    """Every TUI module makes its ``Text`` from gaptrack.tui.plain (escapes data as it comes)."""
    root = Path(__file__).resolve().parents[2] / "gaptrack" / "tui"
    raw = [
        str(path.relative_to(root)) for path in root.rglob("*.py")
        if path.name != "plain.py" and "from rich.text import Text\n" in path.read_text()
    ]
    assert raw == []
