"""One request item for one party: its status, why, its history, and its gaps with evidence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy.engine import Engine
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Header, Static

from gaptrack.gaps.model import Gap, ItemStatus
from gaptrack.service import actions
from gaptrack.text import display
from gaptrack.tui.dialogs import TextDialog
from gaptrack.tui.plain import Text
from gaptrack.tui.runner import act
from gaptrack.tui.screens.base import DataScreen
from gaptrack.tui.widgets.gaps import GapsPanel

SHORT = 32  # terminal rows below which the caption shrinks to four lines


@dataclass
class ItemData:
    status: ItemStatus | None
    gaps: list[Gap]
    notes: list[actions.Note]


class ItemScreen(DataScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="item.back"),
        Binding("N", "note_item", "Note on item", id="item.note"),
    ]

    def __init__(self, party: str, request: str, item: str) -> None:
        super().__init__()
        self.party, self.request, self.item = party, request, item

    @property
    def ref(self) -> str:
        return f"{self.request}#{self.item}"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(display(f"{self.party} · {self.ref}", 300), id="item-caption", markup=False)
        yield GapsPanel(id="item-gaps")
        yield Footer()

    def on_resize(self, event: events.Resize) -> None:
        # A short terminal: the caption gives its lines to the gaps (at least five in view).
        self.set_class(event.size.height < SHORT, "short")

    def loading_target(self) -> Any:
        return self.query_one(GapsPanel)

    def fetch(self, engine: Engine) -> ItemData:
        from gaptrack.service.views import case_view

        # The party's part of the case view: the party screen's rows, not a new computation.
        view = case_view(engine, as_of=self.state.as_of, party=self.party)
        party = view.party_view(self.party)
        status = None if party is None else next(
            (i for r in party.ledger if r.request == self.request
             for i in r.items if i.item == self.item),
            None,
        )
        found = party.item_gaps(self.request, self.item) if party is not None else []
        notes = actions.notes(engine, entity="request_item", key=self.ref)
        return ItemData(status=status, gaps=found, notes=notes)

    def show(self, data: ItemData) -> None:
        caption = Text()
        caption.append(f"{self.party} · {self.ref}", style="bold")
        if data.status is not None:
            s = data.status
            caption.append(f" · {s.status} · deadline {s.deadline or '—'}\n")
            caption.append(s.text + "\n")
            caption.append(f"why: {s.reason}\n", style="italic")
            if s.history:
                caption.append("renews: " + " → ".join(s.history) + "\n")
        for note in data.notes:
            caption.append(f"note ({note.actor}, {note.at:%Y-%m-%d}): {note.text}\n", style="dim")
        self.query_one("#item-caption", Static).update(caption)
        self.sub_title = self.ref
        panel = self.query_one(GapsPanel)
        panel.show_gaps(data.gaps)
        if not self.loaded:
            panel.gap_table.focus()

    def action_note_item(self) -> None:
        actor = self.state.actor

        def add(text: str | None) -> None:
            if text:
                act(self, lambda e: actions.add_note(e, entity="request_item", key=self.ref,
                                                     text=text, actor=actor))

        self.app.push_screen(TextDialog("Note", f"Note on item {self.ref}"), add)
