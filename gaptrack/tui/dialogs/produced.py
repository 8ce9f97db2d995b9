"""Mark a known item produced: pick the party's own document that is the produced copy."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Input, Label, Static

from gaptrack.text import display
from gaptrack.tui.dialogs.form import FormDialog
from gaptrack.tui.runner import load
from gaptrack.tui.widgets.table import Column, Record, RecordTable

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from gaptrack.service.browse import DocumentPage

PICK_ROWS = 200  # enough to choose from while typing; the filter narrows the rest

COLUMNS = [
    Column("bates", "Bates", 18),
    Column("date", "Sent", 16),
    Column("type", "Type", 10),
    Column("subject", "Subject / title"),
]


def find_documents(engine: Engine, party: str, typed: str) -> DocumentPage:
    """Typed text is tried as a Bates number first, then as words in the documents."""
    from gaptrack.service.browse import DocumentQuery, document_page

    page = document_page(engine, DocumentQuery(party=party, bates=typed), limit=PICK_ROWS)
    if typed and not page.rows:
        page = document_page(engine, DocumentQuery(party=party, text=typed), limit=PICK_ROWS)
    return page


class ProducedDialog(FormDialog[tuple[str, str]]):
    """Returns (Bates label, reason) or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="produced.cancel"),
    ]

    def __init__(self, party: str, known: str, description: str) -> None:
        super().__init__()
        self.party, self.known, self.description = party, known, description
        self.chosen: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(display(f"Mark produced: {self.known}", 300), classes="dialog-title",
                        markup=False)
            yield Static(display(self.description), classes="dialog-body", markup=False)
            yield Input(placeholder="Bates number or words in the party's documents", id="find")
            yield RecordTable(COLUMNS, id="candidates")
            yield Label("no document chosen", id="chosen", markup=False)
            yield Input(placeholder="why (recorded in the event log)", id="reason")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Mark produced", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self._search("")
        self.query_one("#find", Input).focus()

    def _search(self, typed: str) -> None:
        load(self, lambda e: find_documents(e, self.party, typed.strip()), self._show,
             group="candidates")

    def _show(self, page: DocumentPage) -> None:
        self.query_one(RecordTable).set_records(
            [
                Record(key=r.bates, cells=[r.bates, r.date_sent, r.doc_type, r.subject or ""],
                       data=r)
                for r in page.rows
            ]
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "find":
            self._search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "find":
            self.query_one(RecordTable).focus()
        else:
            self.submit()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value:
            self.chosen = event.row_key.value
            self.query_one("#chosen", Label).update(display(f"produced as {self.chosen}", 300))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.query_one("#reason", Input).focus()

    def submit(self) -> None:
        if not self.chosen:
            self.notify("choose the party's document first", severity="warning")
            return
        self.dismiss((self.chosen, self.query_one("#reason", Input).value.strip()))
