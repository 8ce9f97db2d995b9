"""Email threads of one party across every production: each message with who produced it,
who was on it, and the parties on it whose productions lack it (gaptrack.service.threads).

One row per message, threads one after another; replies are indented under what they
answer. A message nobody produced shows as such, with how we know it existed.
"""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy.engine import Engine
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Static

from gaptrack.service.threads import MessageView, ThreadView, party_threads
from gaptrack.tui.plain import Text
from gaptrack.tui.screens.base import DataScreen
from gaptrack.tui.widgets.table import Column, Record, RecordTable

COLUMNS = [
    Column("thread", "#", 3),
    Column("sent", "Sent", 16),
    Column("message", "Message"),
    Column("produced", "Produced by", 24),
    Column("lacking", "Lacking", 14),
]


def _produced(message: MessageView) -> Text:
    if message.ghost:
        how = {"thread-index": "reply depth", "quoted": "quoted"}.get(message.ghost_basis,
                                                                      "replied to")
        return Text(f"nobody ({how})", style="bold red")
    return Text("; ".join(f"{c.party} {c.bates}" for c in message.copies))


def thread_records(threads: list[ThreadView]) -> list[Record]:
    records = []
    for n, thread in enumerate(threads, start=1):
        for m in thread.messages:
            subject = Text("  " * m.depth + ("↳ " if m.depth else ""))
            subject.append(m.subject or ("(not produced)" if m.ghost else "(no subject)"))
            records.append(Record(
                key=f"{n}:{m.key}",
                cells=[str(n), m.date, subject, _produced(m),
                       Text(", ".join(m.lacking), style="yellow" if m.lacking else "")],
                sort=[n, m.date, m.depth, m.key, len(m.lacking)],
                data=m,
            ))
    return records


def detail(message: MessageView) -> Text:
    """What the highlighted message says in full: plain text, never markup."""
    text = Text()
    text.append("from: ", style="dim")
    text.append(message.sender or "?")
    text.append("  on it: ", style="dim")
    text.append(", ".join(message.on_it) or "-")
    if message.lacking:
        text.append("  lacking from: ", style="dim")
        text.append(", ".join(message.lacking), style="yellow")
    if message.referenced_by:
        text.append("  cited by: ", style="dim")
        text.append(", ".join(message.referenced_by))
    return text


class ThreadsScreen(DataScreen):
    AUTO_FOCUS = "#threads"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="threads.back"),
    ]

    def __init__(self, party: str) -> None:
        super().__init__()
        self.party = party
        self.threads: list[ThreadView] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="threads-caption", markup=False)
        yield RecordTable(COLUMNS, id="threads")
        yield Static("", id="thread-detail", markup=False)
        yield Footer()

    def loading_target(self) -> RecordTable:
        return self.query_one(RecordTable)

    def fetch(self, engine: Engine) -> list[ThreadView]:
        return party_threads(engine, self.party)

    def show(self, threads: list[ThreadView]) -> None:
        self.threads = threads
        self.sub_title = f"threads of {self.party}"
        missing = sum(1 for t in threads for m in t.messages if self.party in m.lacking)
        self.query_one("#threads-caption", Static).update(Text(
            f"{len(threads)} threads of {self.party}; {missing} messages "
            f"{self.party} was on and did not produce"
        ))
        self.query_one(RecordTable).set_records(thread_records(threads))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value
        found = next((r.data for r in self.query_one(RecordTable).records if r.key == key), None)
        view = self.query_one("#thread-detail", Static)
        view.update(detail(found) if isinstance(found, MessageView) else Text(""))
