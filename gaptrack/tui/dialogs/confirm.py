"""Ask before a destructive action; answer True or False."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from gaptrack.text import display


class ConfirmDialog(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, title: str, question: str, *, confirm: str = "Yes") -> None:
        super().__init__()
        self._title, self._question, self._confirm = title, question, confirm

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(display(self._title, 300), classes="dialog-title", markup=False)
            yield Static(display(self._question), classes="dialog-body", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._confirm, variant="error", id="yes")
                yield Button("Cancel", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()  # the safe answer has focus

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
