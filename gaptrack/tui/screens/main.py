"""The main screen: every party with outstanding gaps, share produced, next deadline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Input, Static

from gaptrack.tui.plain import Text
from gaptrack.tui.runner import load
from gaptrack.tui.screens.base import DataScreen
from gaptrack.tui.widgets.bar import share_bar
from gaptrack.tui.widgets.table import Column, Record, RecordTable

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from gaptrack.gaps.model import PartySummary  # pydantic: off the first paint
    from gaptrack.service.browse import PartyOverview

# Narrow enough that the overdue flag shows at 80 columns beside a party name of 27.
COLUMNS = [
    Column("party", "Party"),
    Column("gaps", "Gaps", 6),
    Column("produced", "Known produced", 14),
    Column("deadline", "Next deadline", 13),
    Column("overdue", "Overdue", 8),
    Column("requests", "Requests", 8),
]


def party_record(summary: PartySummary) -> Record:
    overdue = Text("OVERDUE", style="bold red") if summary.overdue else Text("")
    share = summary.known_produced / summary.known_total if summary.known_total else 1.0
    return Record(
        key=summary.party,
        cells=[
            Text(summary.name),
            summary.outstanding_gaps,
            share_bar(summary.known_produced, summary.known_total, width=6),
            summary.next_deadline,
            overdue,
            summary.requests,
        ],
        sort=[
            summary.name,
            summary.outstanding_gaps,
            share,
            summary.next_deadline,
            not summary.overdue,
            summary.requests,
        ],
        data=summary,
        search=f"{summary.party} {summary.name}",
    )


def overview_record(row: PartyOverview) -> Record:
    # "Overdue" waits for the case view too: only it knows which items are still open.
    pending = Text("…", style="dim")
    return Record(
        key=row.party,
        cells=[Text(row.name), pending, Text("computing…", style="dim"), row.next_deadline,
               pending, row.requests],
        sort=[row.name, None, None, row.next_deadline, None, row.requests],
        data=row,
        search=f"{row.party} {row.name}",
    )


class MainScreen(DataScreen):
    """Parties; Enter opens one."""

    AUTO_FOCUS = "#parties"
    # The first screen: its workers' imports (the database layer, the service) would compete
    # with its first frame for the interpreter.
    LOAD_AFTER_FIRST_FRAME = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_filter", "Filter", id="main.filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="main.clear-filter"),
        Binding("r", "reload", "Reload", id="main.reload"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="main-body"):
            yield Static("", id="main-caption", markup=False)
            yield Input(placeholder="filter parties (type to filter)", id="filter")
            yield RecordTable(COLUMNS, id="parties")
        yield Footer()

    previewed = False  # the cheap overview is in view (the gap counts are still computing)
    _preview_key: str | None = None

    def loading_target(self) -> Any:
        # The caption shows the loading indicator, not the table: a loading widget gives up
        # the focus, and the table keeps it from the first frame (AUTO_FOCUS).
        return self.query_one("#main-caption", Static)

    def reload(self) -> None:
        if not self.loaded:
            # Parties, letters and deadlines come from a few small queries; the gap counts
            # need the gap engine, which takes seconds on a million documents. Show the
            # first at once and fill in the second when it arrives.
            load(self, self._overview, self._show_overview, group=f"overview-{id(self)}")
        super().reload()

    def _overview(self, engine: Engine) -> list[PartyOverview]:
        from gaptrack.service import browse

        return browse.party_overview(engine, as_of=self.state.as_of)

    def _show_overview(self, rows: list[PartyOverview]) -> None:
        if self.loaded:
            return  # the engine's figures were quicker
        table = self.query_one(RecordTable)
        self.loading_target().loading = False
        if table.sort_column is None:
            table.sort_column, table.sort_reverse = 1, True
        table.set_records([overview_record(r) for r in rows])
        self.query_one("#main-caption", Static).update(
            f"{len(rows)} parties · computing gaps as of {self.state.as_of.isoformat()}…"
        )
        self._first_rows(table)
        self._preview_key = table.current.key if table.current else None
        self.previewed = True

    def _first_rows(self, table: RecordTable) -> None:
        """The first rows in view: the cursor on the top row."""
        table.move_cursor(row=0)

    def fetch(self, engine: Engine) -> list[PartySummary]:
        from gaptrack.service import gaps

        return gaps.party_summaries(engine, as_of=self.state.as_of)

    def show(self, data: list[PartySummary]) -> None:
        table = self.query_one(RecordTable)
        if table.sort_column is None:
            # Most gaps first: the parties that owe the most are the first to look at.
            table.sort_column, table.sort_reverse = 1, True
        table.set_records([party_record(s) for s in data])
        open_gaps = sum(s.outstanding_gaps for s in data)
        overdue = sum(1 for s in data if s.overdue)
        self.query_one("#main-caption", Static).update(
            f"{len(data)} parties · {open_gaps} outstanding gaps · {overdue} overdue · "
            f"as of {self.state.as_of.isoformat()}"
        )
        if not self.loaded:
            # Once only (a reload must not move the user); after the overview, only if the
            # cursor is still where the overview put it: the order changed under it.
            current = table.current.key if table.current else None
            if not self.previewed or current == self._preview_key:
                self._first_rows(table)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one(RecordTable).set_filter(event.value)

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.query_one(RecordTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from gaptrack.tui.screens.party import PartyScreen

        if event.row_key.value:
            self.app.push_screen(PartyScreen(event.row_key.value))

    def action_focus_filter(self) -> None:
        self.query_one(Input).focus()

    def action_clear_filter(self) -> None:
        self.query_one(Input).value = ""
        self.query_one(RecordTable).focus()

    def action_reload(self) -> None:
        self.reload()
