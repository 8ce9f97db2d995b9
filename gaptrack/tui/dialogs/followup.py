"""Record a follow-up letter: which earlier letter, which of its items it renews, the deadline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, SelectionList

from gaptrack.text import display
from gaptrack.tui.dialogs.form import FormDialog
from gaptrack.tui.plain import Text
from gaptrack.tui.runner import load

if TYPE_CHECKING:
    from gaptrack.service.actions import FollowUpItem
    from gaptrack.service.browse import Choice

# The kinds of letter a follow-up can be (gaptrack.models.RequestKind values; the core is
# imported only in workers, after the first paint).
KINDS = ("follow-up", "deficiency", "subpoena")


@dataclass(frozen=True)
class FollowUpSpec:
    follows_up: str
    kind: str  # a gaptrack.models.RequestKind value
    items: list[FollowUpItem]
    date_sent: dt.date
    deadline: dt.date
    reason: str


def parse_date(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{what}: write the date as YYYY-MM-DD, not {text!r}") from None


class FollowUpDialog(FormDialog[FollowUpSpec]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="followup.cancel"),
    ]

    def __init__(self, party: str, letters: list[Choice], today: dt.date) -> None:
        super().__init__()
        self.party, self.letters, self.today = party, letters, today
        self._items: list[Choice] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(display(f"Follow-up letter to {self.party}", 300), classes="dialog-title",
                        markup=False)
            yield Select(  # Text, not markup: letter titles are data
                [(Text(f"{c.slug}: {c.label}"), c.slug) for c in self.letters],
                prompt="follows up which letter?", id="letter",
            )
            yield Select([(k, k) for k in KINDS], value="deficiency", allow_blank=False,
                         id="kind")
            yield Label("items it renews (space to tick):", markup=False)
            yield SelectionList[str](id="items")
            with Horizontal(classes="dialog-row"):
                yield Input(value=self.today.isoformat(), placeholder="sent YYYY-MM-DD", id="sent")
                yield Input(placeholder="deadline YYYY-MM-DD", id="deadline")
            yield Input(placeholder="why (recorded in the event log)", id="reason")
            yield Label("", id="problem", classes="dialog-problem", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Record letter", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        if len(self.letters) == 1:
            self.query_one("#letter", Select).value = self.letters[0].slug

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "letter" and event.value is not Select.NULL:
            slug = str(event.value)
            from gaptrack.service.browse import request_items

            load(self, lambda e: request_items(e, request=slug), self._show_items, group="items")

    def _show_items(self, items: list[Choice]) -> None:
        self._items = items
        selection = self.query_one(SelectionList)
        selection.clear_options()
        # Text, not markup: item text is data.
        selection.add_options([(Text(f"{c.label}. {c.detail}"), c.slug, True) for c in items])

    def _spec(self) -> FollowUpSpec:
        from gaptrack.service.actions import FollowUpItem

        letter = self.query_one("#letter", Select).value
        if letter is Select.NULL:
            raise ValueError("choose the letter this one follows up")
        chosen = set(self.query_one(SelectionList).selected)
        renewed = [c for c in self._items if c.slug in chosen]
        if not renewed:
            raise ValueError("tick at least one item to renew")
        sent = parse_date(self.query_one("#sent", Input).value, "sent")
        deadline = parse_date(self.query_one("#deadline", Input).value, "deadline")
        # A renewed item keeps its number, as real follow-up letters cite "the third request".
        items = [FollowUpItem(number=c.label, text=c.detail, renews=c.slug) for c in renewed]
        return FollowUpSpec(
            follows_up=str(letter), kind=str(self.query_one("#kind", Select).value),
            items=items, date_sent=sent, deadline=deadline,
            reason=self.query_one("#reason", Input).value.strip(),
        )

    def submit(self) -> None:
        try:
            spec = self._spec()
        except ValueError as exc:
            self.query_one("#problem", Label).update(display(str(exc), 1000))
            return
        self.dismiss(spec)
