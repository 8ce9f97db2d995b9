"""Gaps with their evidence: a table, a detail pane for the highlighted gap, and the documents
behind it and the thread around its missing email (loaded in a worker when a gap is
highlighted: the case view reads no thread)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Label, Static

from gaptrack.gaps.model import Gap, GapKind, ThreadMessage
from gaptrack.service import actions
from gaptrack.service.browse import DocumentRow, documents_by_ids
from gaptrack.service.gaps import attach_threads
from gaptrack.tui.dialogs import ConfirmDialog, DocumentDialog, TextDialog
from gaptrack.tui.plain import Text
from gaptrack.tui.runner import act, load
from gaptrack.tui.state import state_of
from gaptrack.tui.widgets.table import Column, Record, RecordTable

KIND_STYLE = {
    GapKind.KNOWN_NOT_PRODUCED: "bold red",
    GapKind.INFERRED: "bold yellow",
    GapKind.NOTHING_PRODUCED: "red",
    GapKind.OVERDUE: "magenta",
    GapKind.WITHHELD: "cyan",
    GapKind.REFERENCED_UNPRODUCED: "blue",
    GapKind.SILENT_PERIOD: "yellow",
    GapKind.INCOMPLETE_FAMILY: "bold magenta",
    GapKind.PRIVILEGE_CONTRADICTED: "bold cyan",
}

# "What is missing" is the first wide column: what a person reads first, never scrolled away.
GAP_COLUMNS = [
    Column("kind", "Kind", 21),
    Column("title", "What is missing", 44),
    Column("item", "Item", 18),
    Column("bates", "Bates", 28),
    Column("by", "Shown by", 18),
    Column("key", "Key", 11),
]
FOLD_BELOW = 26  # rows: a shorter panel folds the evidence so the gaps stay in view ('e')

DOC_COLUMNS = [
    Column("bates", "Bates", 18),
    Column("party", "Produced by", 16),
    Column("date", "Sent", 16),
    Column("from", "From", 24),
    Column("subject", "Subject"),
]


def gap_record(gap: Gap) -> Record:
    item = f"{gap.request}#{gap.item}" if gap.request and gap.item else gap.request or ""
    evidence = gap.evidence
    return Record(
        key=gap.key,
        cells=[
            Text(str(gap.kind), style=KIND_STYLE.get(gap.kind, "")),
            gap.title,
            item,
            ", ".join(evidence.bates),
            evidence.producing_party_name or evidence.citation or "",
            str(evidence.match_key) if evidence.match_key else "",
        ],
        data=gap,
    )


def describe(gap: Gap) -> Text:
    """The gap-detail pane: what, why, and the evidence a person can check."""
    e = gap.evidence
    out = Text()
    out.append(gap.title + "\n", style="bold")
    rows: list[tuple[str, object]] = [
        ("kind", gap.kind),
        ("owed by", gap.party_name),
        ("request", f"{gap.request} item {gap.item}" if gap.item else gap.request),
        ("item text", gap.item_text),
        ("known item", gap.known_item),
        ("date", gap.date),
        ("evidence", e.summary),
        ("produced by", e.producing_party_name),
        ("Bates", ", ".join(e.bates)),
        ("their role", e.role),
        ("matched on", e.match_key),
        ("citation", e.citation),
        ("privilege", e.privilege_entry),
        ("deadline", e.deadline),
        ("days overdue", e.days_overdue),
        ("referred by", ", ".join(e.referring_bates)),
    ]
    for label, value in rows:
        if value in (None, "", []):
            continue
        out.append(f"{label:>12}  ", style="bold")
        out.append(f"{value}\n")
    _thread(out, e.thread)
    return out


def _thread(out: Text, thread: list[ThreadMessage]) -> None:
    """The thread around the missing email: parent, it (marked), replies, with producers."""
    for number, message in enumerate(thread):
        out.append(f"{'thread' if number == 0 else '':>12}  ", style="bold")
        missing = message.relation == "missing"
        when = message.date.strftime("%Y-%m-%d %H:%M") if message.date else "undated"
        who = ", ".join(message.produced_by) or "produced by nobody"
        line = f"{message.relation:<7} {when}  {message.subject or '(no subject)'} — {who}\n"
        out.append(line, style="bold red" if missing else "")


class GapsPanel(Vertical):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("P", "promote", "Promote", id="gap.promote"),
        Binding("X", "dismiss_finding", "Dismiss", id="gap.dismiss"),
        Binding("n", "note", "Note", id="gap.note"),
        Binding("e", "toggle_evidence", "Evidence", id="gap.evidence"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.notes: dict[str, list[actions.Note]] = {}
        self.unfolded = False  # on a short terminal the evidence folds until asked for ('e')

    def on_resize(self, event: events.Resize) -> None:
        self._fold()

    def _fold(self) -> None:
        self.set_class(self.size.height < FOLD_BELOW and not self.unfolded, "folded")

    def action_toggle_evidence(self) -> None:
        self.unfolded = not self.unfolded
        self._fold()

    def compose(self) -> ComposeResult:
        yield RecordTable(GAP_COLUMNS, classes="gaps-table")
        with VerticalScroll(classes="gap-detail"):
            yield Static("no gap highlighted", classes="gap-detail-text", markup=False)
        yield Label("Documents behind this gap", classes="section-title", markup=False)
        yield RecordTable(DOC_COLUMNS, classes="gap-documents")

    @property
    def gap_table(self) -> RecordTable:
        return self.query_one(".gaps-table", RecordTable)

    @property
    def current(self) -> Gap | None:
        record = self.gap_table.current
        return record.data if record is not None else None

    def show_gaps(
        self, gaps: Sequence[Gap], notes: dict[str, list[actions.Note]] | None = None
    ) -> None:
        self.notes = notes or {}
        self.gap_table.set_records([gap_record(g) for g in gaps])
        self._show_current()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table is self.gap_table:
            self._show_current()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.has_class("gap-documents") and event.row_key.value:
            event.stop()
            self.app.push_screen(DocumentDialog(int(event.row_key.value)))

    def _show_current(self) -> None:
        gap = self.current
        pane = self.query_one(".gap-detail-text", Static)
        documents = self.query_one(".gap-documents", RecordTable)
        if gap is None:
            pane.update("no gaps")
            documents.set_records([])
            return
        self._show_detail(gap)
        ids = list(gap.evidence.document_ids)

        def fetch(engine: Any) -> list[DocumentRow]:
            attach_threads(engine, [gap])
            return documents_by_ids(engine, ids)

        def show(rows: list[DocumentRow]) -> None:
            current = self.current
            if current is not None and current.key == gap.key:  # the cursor may have moved
                self._show_detail(gap)
                self._show_documents(rows)

        load(self, fetch, show, group="gap-documents")

    def _show_detail(self, gap: Gap) -> None:
        text = describe(gap)
        for note in self.notes.get(gap.key, []):
            text.append(f"{'note':>12}  ", style="bold")
            text.append(f"{note.text} ({note.actor}, {note.at:%Y-%m-%d})\n")
        self.query_one(".gap-detail-text", Static).update(text)

    def _show_documents(self, rows: list[DocumentRow]) -> None:
        self.query_one(".gap-documents", RecordTable).set_records(
            [
                Record(key=str(r.id),
                       cells=[r.bates, r.party_name, r.date_sent, r.sender or "", r.subject or ""],
                       data=r)
                for r in rows
            ]
        )

    # --- actions on the highlighted gap --------------------------------------------------

    def _inferred(self) -> Gap | None:
        gap = self.current
        if gap is None or gap.kind is not GapKind.INFERRED:
            self.notify("only an inferred finding can be promoted or dismissed",
                        severity="warning")
            return None
        return gap

    def action_promote(self) -> None:
        gap = self._inferred()
        if gap is None:
            return
        actor = state_of(self).actor
        act(self, lambda e: actions.promote_finding(e, gap.key, actor=actor,
                                                    reason="promoted in the TUI"))

    def action_dismiss_finding(self) -> None:
        gap = self._inferred()
        if gap is None:
            return
        actor = state_of(self).actor

        def with_reason(reason: str | None) -> None:
            if reason:
                act(self, lambda e: actions.dismiss_finding(e, gap.key, actor=actor,
                                                            reason=reason))

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.app.push_screen(
                    TextDialog("Dismiss finding", "Why is this not a gap?"), with_reason
                )

        self.app.push_screen(
            ConfirmDialog("Dismiss finding?", f"Dismiss {gap.title!s}? It stays dismissed.",
                          confirm="Dismiss"),
            confirmed,
        )

    def action_note(self) -> None:
        gap = self.current
        if gap is None:
            return
        actor = state_of(self).actor

        def add(text: str | None) -> None:
            if text:
                act(self, lambda e: actions.add_note(e, entity="gap", key=gap.key, text=text,
                                                     actor=actor))

        self.app.push_screen(TextDialog("Note", f"Note on: {gap.title}"), add)
