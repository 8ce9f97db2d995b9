"""The gaptrack terminal app: its state, its global keys, its first screen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from gaptrack.config import resolve_actor
from gaptrack.tui.commands import GaptrackCommands
from gaptrack.tui.global_actions import GlobalActions
from gaptrack.tui.screens.main import MainScreen
from gaptrack.tui.state import TuiState


class GaptrackApp(GlobalActions, App[None]):
    """``url`` is a database URL; ``as_of`` fixes the date every gap is computed for."""

    CSS_PATH = Path(__file__).parent / "app.tcss"  # absolute: subclasses live elsewhere
    TITLE = "gaptrack"
    COMMANDS = App.COMMANDS | {GaptrackCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("D", "documents", "Documents", id="app.documents"),
        Binding("C", "letters", "Letters", id="app.letters"),
        Binding("T", "deadlines", "Deadlines", id="app.deadlines"),
        Binding("h", "home", "Home", id="app.home"),
        Binding("a", "as_of", "As of", id="app.as-of"),
        Binding("E", "export_status", "Export", id="app.export"),
        Binding("u", "undo", "Undo", id="app.undo"),
    ]

    def __init__(
        self,
        url: str,
        *,
        as_of: dt.date,
        actor: str | None = None,  # default: $GAPTRACK_ACTOR, else the OS user
        export_dir: Path | None = None,
        keymap: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.state = TuiState(url=url, as_of=as_of, actor=resolve_actor(actor),
                              export_dir=export_dir or Path.cwd())
        self.sub_title = f"as of {as_of.isoformat()}"
        if keymap:
            self.set_keymap(keymap)  # binding id -> keys, e.g. {"app.undo": "ctrl+z"}

    def on_mount(self) -> None:
        self.push_screen(MainScreen())

    def on_unmount(self) -> None:
        self.state.close()
