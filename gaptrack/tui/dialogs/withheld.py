"""Mark a known item withheld: under which entry of the party's privilege log, and why."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from gaptrack.text import display
from gaptrack.tui.dialogs.form import FormDialog
from gaptrack.tui.plain import Text
from gaptrack.tui.runner import load

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from gaptrack.service.browse import Choice

NO_ENTRY = "no privilege-log entry"


def log_entries(engine: Engine, party: str) -> list[Choice]:
    from gaptrack.service.browse import privilege_entries

    return privilege_entries(engine, party=party)


class WithheldDialog(FormDialog[tuple[int | None, str]]):
    """Returns (privilege-log entry id or None, reason), or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="withheld.cancel"),
    ]

    def __init__(self, party: str, known: str, description: str) -> None:
        super().__init__()
        self.party, self.known, self.description = party, known, description

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(display(f"Mark withheld: {self.known}", 300), classes="dialog-title",
                        markup=False)
            yield Static(display(self.description), classes="dialog-body", markup=False)
            # Entries come from the party's own log; descriptions are data: plain Text.
            yield Select[int]([], prompt=NO_ENTRY, id="entry")
            yield Input(placeholder="why (recorded in the event log)", id="reason")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Mark withheld", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        load(self, lambda e: log_entries(e, self.party), self._show, group="entries")
        self.query_one("#reason", Input).focus()

    def _show(self, entries: list[Choice]) -> None:
        options = [
            (Text(f"{c.label} ({c.detail})" if c.detail else c.label), int(c.slug))
            for c in entries
        ]
        self.query_one("#entry", Select).set_options(options)

    @property
    def entry(self) -> int | None:
        value = self.query_one("#entry", Select).value
        return value if isinstance(value, int) else None

    def submit(self) -> None:
        self.dismiss((self.entry, self.query_one("#reason", Input).value.strip()))

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.submit()
