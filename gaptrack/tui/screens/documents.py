"""The document browser: every produced document, by Bates, custodian, party and text.

The text filter is a full-text search (gaptrack.search): whole words, phrases, OR, -not; the
highlighted row's snippet shows under the table with the words found marked.

Server-side paging: one page of ``PAGE_SIZE`` rows is loaded at a time, filters and sort run in
SQL, so a million documents cost one page. ``]`` and ``[`` move between pages; in Bates order
the next page is sought from the last row's key (keyset), not skipped to with OFFSET.
"""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy.engine import Engine
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Input, Label, Select

from gaptrack.service import browse
from gaptrack.service.browse import DocumentPage, DocumentQuery, DocumentSort
from gaptrack.service.search import snippet_for
from gaptrack.tui.dialogs import DocumentDialog
from gaptrack.tui.plain import Text
from gaptrack.tui.runner import load
from gaptrack.tui.screens.base import DataScreen
from gaptrack.tui.widgets.snippet import SnippetView
from gaptrack.tui.widgets.table import Column, Record, RecordTable

COLUMNS = [
    Column(DocumentSort.BATES, "Bates", 18),
    Column(DocumentSort.PARTY, "Party", 16),
    Column(DocumentSort.CUSTODIAN, "Custodian", 16),
    Column(DocumentSort.TYPE, "Type", 10),
    Column(DocumentSort.DATE, "Sent", 16),
    Column(DocumentSort.SUBJECT, "Subject / title"),
]
SORTS = [DocumentSort(c.key) for c in COLUMNS]


class DocumentTable(RecordTable):
    """Sorting asks the database (the screen re-queries), not the rows in hand."""

    def sort_by(self, column: int, reverse: bool = False) -> None:
        self.sort_column, self.sort_reverse = column, reverse
        screen = self.screen
        if isinstance(screen, DocumentsScreen):
            screen.set_sort(SORTS[column], reverse)

    def _render_rows(self) -> None:
        saved, self.sort_column = self.sort_column, None  # rows arrive sorted
        super()._render_rows()
        self.sort_column = saved


class DocumentsScreen(DataScreen):
    AUTO_FOCUS = "#documents"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="documents.back"),
        Binding("right_square_bracket", "page(1)", "Next page", id="documents.next"),
        Binding("left_square_bracket", "page(-1)", "Prev page", id="documents.prev"),
        Binding("slash", "focus_filter", "Filter", id="documents.filter"),
    ]

    def __init__(self, party: str | None = None) -> None:
        super().__init__()
        self.query_spec = DocumentQuery(party=party or "")
        self.page_offset = 0
        self.after: browse.BatesKey | None = None
        self.seeks: list[browse.BatesKey | None] = []  # where earlier pages started
        self.page: DocumentPage | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="document-filters"):
            yield Input(placeholder="Bates", id="f-bates")
            yield Input(placeholder="custodian", id="f-custodian")
            yield Select[str]([], prompt="any party", id="f-party")
            yield Input(placeholder="search: words, \"a phrase\", a OR b, -not", id="f-text")
        yield DocumentTable(COLUMNS, id="documents")
        yield SnippetView(id="document-snippet")  # the search's words in the highlighted row
        yield Label("", id="page-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        # DataScreen.on_mount (the first page) runs too: Textual calls each class's handler.
        load(self, browse.parties, self._show_parties, group="parties")

    def _show_parties(self, choices: list[browse.Choice]) -> None:
        select = self.query_one("#f-party", Select)
        select.set_options([(c.label, c.slug) for c in choices])
        if self.query_spec.party:
            select.value = self.query_spec.party

    def loading_target(self) -> DocumentTable:
        return self.query_one(DocumentTable)

    def fetch(self, engine: Engine) -> DocumentPage:
        return browse.document_page(engine, self.query_spec, offset=self.page_offset,
                                    after=self.after)

    def show(self, page: DocumentPage) -> None:
        self.page = page
        self.query_one(DocumentTable).set_records(
            [
                Record(
                    key=str(r.id),
                    cells=[r.bates, r.party_name, r.custodian, r.doc_type, r.date_sent,
                           Text(r.subject or "")],
                    data=r,
                )
                for r in page.rows
            ]
        )
        total = f"{page.total:,}{'+' if page.total_capped else ''}"
        first = page.offset + 1 if page.rows else 0
        direction = "descending" if self.query_spec.descending else "ascending"
        self.query_one("#page-status", Label).update(
            f"documents {first:,}–{page.offset + len(page.rows):,} of {total} · "
            f"sorted by {self.query_spec.sort} ({direction}) · ] next page, [ previous"
        )

    def _requery(self, **changes: object) -> None:
        self.query_spec = self.query_spec.model_copy(update=changes)
        self.page_offset, self.after, self.seeks = 0, None, []
        self.reload()

    def set_sort(self, sort: DocumentSort, descending: bool) -> None:
        self._requery(sort=sort, descending=descending)

    def on_input_changed(self, event: Input.Changed) -> None:
        field = {"f-bates": "bates", "f-custodian": "custodian", "f-text": "text"}.get(
            event.input.id or ""
        )
        if field:
            self._requery(**{field: event.value})

    def on_select_changed(self, event: Select.Changed) -> None:
        value = "" if event.value is Select.NULL else str(event.value)
        if value != self.query_spec.party:
            self._requery(party=value)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        text, key = self.query_spec.text.strip(), event.row_key.value
        view = self.query_one(SnippetView)
        if not text or not key:
            view.show(None)
            return
        doc_id = int(key)
        load(self, lambda engine: snippet_for(engine, doc_id, text), view.show, group="snippet")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.app.push_screen(DocumentDialog(int(event.row_key.value)))

    def action_page(self, step: int) -> None:
        page = self.page
        if page is None:
            return
        if step > 0 and not page.has_next:
            self.notify("this is the last page", timeout=2)
            return
        if step < 0 and self.page_offset == 0:
            return
        if step > 0:
            self.seeks.append(self.after)
            self.after = page.rows[-1].bates_key if page.rows else None
        else:
            self.after = self.seeks.pop() if self.seeks else None
        self.page_offset = max(0, self.page_offset + step * browse.PAGE_SIZE)
        self.reload()

    def action_focus_filter(self) -> None:
        self.query_one("#f-bates", Input).focus()
