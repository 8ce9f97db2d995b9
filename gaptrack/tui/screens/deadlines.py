"""Every deadline per party, overdue first."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy.engine import Engine
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Input

from gaptrack.service import browse
from gaptrack.service.browse import DeadlineRow
from gaptrack.tui.plain import Text
from gaptrack.tui.screens.base import DataScreen
from gaptrack.tui.widgets.table import Column, Record, RecordTable

COLUMNS = [
    Column("deadline", "Deadline", 10),
    Column("days", "Days", 6),
    Column("state", "State", 9),
    Column("party", "Party", 20),
    Column("request", "Request", 24),
    Column("items", "Items", 10),
    Column("committee", "Committee", 10),
]


def deadline_record(row: DeadlineRow) -> Record:
    state = (
        Text("OVERDUE", style="bold red") if row.overdue
        else Text("passed", style="dim") if row.days_left < 0
        else Text("open")
    )
    return Record(
        key=f"{row.party}|{row.request}|{row.items}|{row.deadline}",
        cells=[row.deadline, row.days_left, state, row.party_name, row.request, row.items,
               row.committee],
        sort=[row.deadline, row.days_left, not row.overdue, row.party_name, row.request,
              row.items, row.committee],
        data=row,
    )


class DeadlinesScreen(DataScreen):
    AUTO_FOCUS = "#deadlines"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="deadlines.back"),
        Binding("slash", "focus_filter", "Filter", id="deadlines.filter"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="filter deadlines (type to filter)", id="deadlines-filter")
        yield RecordTable(COLUMNS, id="deadlines")
        yield Footer()

    def loading_target(self) -> RecordTable:
        return self.query_one(RecordTable)

    def fetch(self, engine: Engine) -> list[DeadlineRow]:
        from gaptrack.service.views import case_view

        # "Overdue" is the case view's answer (an item still open after its deadline), as on
        # the main screen; the passed deadlines of produced or renewed items are "passed".
        overdue = case_view(engine, as_of=self.state.as_of).overdue_deadlines()
        rows = [
            r.model_copy(update={"overdue": (r.party, r.request, r.deadline) in overdue})
            for r in browse.deadlines(engine, as_of=self.state.as_of)
        ]
        return sorted(rows, key=lambda r: (not r.overdue, r.deadline, r.party, r.request))

    def show(self, rows: list[DeadlineRow]) -> None:
        self.sub_title = f"Deadlines as of {self.state.as_of.isoformat()}"
        table = self.query_one(RecordTable)
        table.set_records([deadline_record(r) for r in rows])  # service order: overdue first
        if not self.loaded:
            table.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one(RecordTable).set_filter(event.value)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from gaptrack.tui.screens.party import PartyScreen

        record = self.query_one(RecordTable).current
        if record is not None:
            self.app.push_screen(PartyScreen(record.data.party))

    def action_focus_filter(self) -> None:
        self.query_one(Input).focus()
