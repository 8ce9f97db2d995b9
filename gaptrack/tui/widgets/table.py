"""A DataTable of records that filters as you type and sorts on any column.

Cells are always ``rich.text.Text``: a ``str`` cell would be read as markup, and a subject
like ``[b]x[/b]`` must show exactly so (docs/architecture.md §6). Records are held here, and at most
``MAX_ROWS`` are put into the DataTable at once: it measures every cell it is given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.text import Text as RichText
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from gaptrack.text import display
from gaptrack.tui.plain import Text

CELL_LIMIT = 500  # characters of one value in a table cell (the full text is in the dialogs)

MAX_ROWS = 2_000


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int | None = None


@dataclass(frozen=True)
class Record:
    key: str
    cells: Sequence[Text | str | int | float | dt.date | None]
    # Values to sort by, per column; defaults to the cells' plain text.
    sort: Sequence[Any] = ()
    data: Any = None  # the read model behind the row
    search: str = field(default="")


def cell(value: object) -> RichText:
    """Any value as plain text (never markup), one line, clipped to CELL_LIMIT characters."""
    if isinstance(value, RichText):
        plain = value.plain
        if len(plain) <= CELL_LIMIT and "\n" not in plain and display(plain, None) == plain:
            return value
        return Text(display(value.plain, CELL_LIMIT, keep_newlines=False), style=value.style)
    if value is None:
        return Text("")
    if isinstance(value, dt.datetime):
        return Text(value.strftime("%Y-%m-%d %H:%M"))
    if isinstance(value, dt.date):
        return Text(value.isoformat())
    return Text(display(value, CELL_LIMIT, keep_newlines=False))


def _sort_value(value: object) -> tuple[int, Any]:
    # None sorts last; numbers and dates by value; text by its folded plain form.
    if value is None or value == "":
        return (1, "")
    if isinstance(value, Text):
        return (0, value.plain.casefold())
    if isinstance(value, str):
        return (0, value.casefold())
    return (0, value)


class RecordTable(DataTable[RichText]):
    """Holds records; shows those matching the filter, in the chosen order."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "sort_next", "Sort", id="table.sort"),
        Binding("S", "sort_reverse", "Reverse", show=False, id="table.reverse"),
    ]

    def __init__(self, columns: Sequence[Column], **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self._columns = list(columns)
        self._records: list[Record] = []
        self._filter = ""
        self.sort_column: int | None = None
        self.sort_reverse = False
        self.shown: list[Record] = []

    def on_mount(self) -> None:
        for column in self._columns:
            self.add_column(Text(column.label), key=column.key, width=column.width)

    @property
    def records(self) -> list[Record]:
        return list(self._records)

    def set_records(self, records: Sequence[Record]) -> None:
        self._records = list(records)
        self._render_rows()

    def set_filter(self, text: str) -> None:
        self._filter = text.strip().casefold()
        self._render_rows()

    def sort_by(self, column: int, reverse: bool = False) -> None:
        self.sort_column, self.sort_reverse = column, reverse
        self._render_rows()

    @property
    def current(self) -> Record | None:
        if not self.shown or self.cursor_row < 0 or self.cursor_row >= len(self.shown):
            return None
        return self.shown[self.cursor_row]

    def _matches(self, record: Record) -> bool:
        if not self._filter:
            return True
        haystack = record.search or " ".join(cell(c).plain for c in record.cells)
        return all(word in haystack.casefold() for word in self._filter.split())

    def _render_rows(self) -> None:
        # The cursor stays on the row acted on; if that row left (a dismissed finding), on
        # the row that took its place.
        keep = self.current.key if self.current else None
        place = self.cursor_row
        rows = [r for r in self._records if self._matches(r)]
        if self.sort_column is not None:
            index = self.sort_column

            def key(record: Record) -> tuple[int, Any]:
                values = record.sort or record.cells
                return _sort_value(values[index] if index < len(values) else None)

            rows.sort(key=key, reverse=self.sort_reverse)
        self.shown = rows[:MAX_ROWS]
        self.clear()
        for record in self.shown:
            self.add_row(*(cell(c) for c in record.cells), key=record.key)
        if keep is None or not self.shown:
            return
        row = next((i for i, r in enumerate(self.shown) if r.key == keep), None)
        self.move_cursor(row=min(place, len(self.shown) - 1) if row is None else row,
                         animate=False)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        column = event.column_index
        reverse = not self.sort_reverse if self.sort_column == column else False
        self.sort_by(column, reverse)

    def action_sort_next(self) -> None:
        column = 0 if self.sort_column is None else (self.sort_column + 1) % len(self._columns)
        self.sort_by(column)
        self.notify(f"sorted by {self._columns[column].label}", timeout=2)

    def action_sort_reverse(self) -> None:
        self.sort_by(self.sort_column or 0, not self.sort_reverse)
