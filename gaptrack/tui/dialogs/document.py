"""One document in full: every field as produced, shown as plain text."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from gaptrack.text import clip, display
from gaptrack.tui.plain import Text
from gaptrack.tui.runner import load

if TYPE_CHECKING:
    from gaptrack.service.browse import DocumentDetail

FIELD_LIMIT = 5_000  # characters of one field shown
TEXT_LIMIT = 200_000  # characters of the document text shown (it scrolls)

FIELDS = [
    ("Bates", "bates"), ("to", "bates_end"), ("Party", "party_name"), ("Production", "production"),
    ("Custodian", "custodian"), ("Type", "doc_type"), ("Sent", "date_sent"), ("From", "sender"),
    ("To", "recipients"), ("Cc", "cc"), ("Bcc", "bcc"), ("Subject", "subject"),
    ("Message-ID", "message_id"), ("EDRM MIH", "mih"), ("Pages", "page_count"),
]


def describe(doc: DocumentDetail) -> Text:
    out = Text()
    for label, name in FIELDS:
        value = getattr(doc, name)
        if value in (None, ""):
            continue
        out.append(f"{label:>11}  ", style="bold")
        out.append(clip(str(value), FIELD_LIMIT) + "\n")
    if doc.text:
        out.append("\n")
        out.append(clip(doc.text, TEXT_LIMIT))
        if len(doc.text) > TEXT_LIMIT:
            out.append(f"\n[{len(doc.text) - TEXT_LIMIT + 1:,} more characters not shown]",
                       style="dim")
    return out


class DocumentDialog(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="document.close"),
    ]

    def __init__(self, document_id: int) -> None:
        super().__init__()
        self.document_id = document_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Document", classes="dialog-title", id="document-title", markup=False)
            with VerticalScroll(classes="dialog-scroll"):
                yield Static("loading…", id="document-body", markup=False)

    def on_mount(self) -> None:
        from gaptrack.service.browse import document_detail

        load(self, lambda engine: document_detail(engine, self.document_id), self._show)

    def _show(self, doc: DocumentDetail) -> None:
        self.query_one("#document-title", Label).update(display(f"Document {doc.bates}", 200))
        self.query_one("#document-body", Static).update(describe(doc))

    def action_close(self) -> None:
        self.dismiss(None)
