"""Ask for a line of text (a note, a reason, a date); show a long text (a letter draft)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from gaptrack.text import display
from gaptrack.tui.dialogs.form import FormDialog


class TextDialog(FormDialog[str]):
    """Returns the text, or None when cancelled. ``check`` returns an error message or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="text.cancel"),
    ]

    def __init__(
        self,
        title: str,
        prompt: str,
        *,
        value: str = "",
        placeholder: str = "",
        required: bool = True,
        check: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__()
        self._title, self._prompt = title, prompt
        self._value, self._placeholder = value, placeholder
        self._required, self._check = required, check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(display(self._title, 300), classes="dialog-title", markup=False)
            yield Static(display(self._prompt), classes="dialog-body", markup=False)
            yield Input(value=self._value, placeholder=self._placeholder, id="text")
            yield Label("", id="problem", classes="dialog-problem", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("OK", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def submit(self) -> None:
        text = self.query_one(Input).value.strip()
        problem = "this cannot be empty" if self._required and not text else None
        if problem is None and self._check is not None:
            problem = self._check(text)
        if problem:
            self.query_one("#problem", Label).update(display(problem, 1000))
            return
        self.dismiss(text)

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.submit()


class TextViewDialog(ModalScreen[bool]):
    """A long plain text (a letter draft); ``s`` saves it (returns True), Esc closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="view.close"),
        Binding("s", "save", "Save to file", id="view.save"),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self._title, self._text = title, text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(display(self._title, 300), classes="dialog-title", markup=False)
            with VerticalScroll(classes="dialog-scroll"):
                yield Static(display(self._text, 200_000), markup=False, id="view-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save to file", variant="primary", id="save")
                yield Button("Close", id="close")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "save")

    def action_close(self) -> None:
        self.dismiss(False)

    def action_save(self) -> None:
        self.dismiss(True)
