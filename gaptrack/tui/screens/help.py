"""``?``: what every key does on the screen below, and how gaptrack reads its data."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from gaptrack.tui.plain import Text

ABOUT = (
    "gaptrack shows what each party was asked to produce, what it produced, and what is known "
    "to exist but is missing. Gaps are computed as of the date in the title bar (change it with "
    "a, or from the command palette).\n\n"
    "Every change is recorded in the event log with who, when and why; u undoes the last one.\n"
    "ctrl+p opens the command palette: jump to a party or a request, export the status report "
    "or a deficiency letter, draft a letter, change the as-of date, change the theme.\n"
    "Keys can be remapped by binding id (shown on the right)."
)


def bindings_text(screen: Screen[object]) -> Text:
    """The keys of the screen below that have an id (gaptrack's own); widgets' navigation keys
    are summed up in one line."""
    out = Text()
    actives = sorted(
        (a for a in screen.active_bindings.values() if a.binding.id),
        key=lambda a: a.binding.id or "",
    )
    for active in actives:
        binding = active.binding
        out.append(f"{screen.app.get_key_display(binding):>10}  ", style="bold")
        out.append(f"{binding.description or binding.action:<24}")
        out.append(f"{binding.id}\n", style="dim")
    out.append(f"{'arrows':>10}  ", style="bold")
    out.append("move; pgup/pgdn page; enter opens; tab moves between panes; "
               "click a column header to sort\n")
    return out


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close", id="help.close"),
    ]

    def __init__(self, below: Screen[object]) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide", id="help"):
            yield Label("gaptrack — keys", classes="dialog-title")
            yield Static(bindings_text(self.below), markup=False, id="help-keys")
            yield Static(ABOUT, markup=False, id="help-about")

    def action_close(self) -> None:
        self.dismiss(None)
