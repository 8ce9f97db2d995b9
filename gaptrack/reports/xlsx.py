"""Excel workbooks of the status ledger, the gaps and the intake QC report (``--format xlsx``).

A pure renderer: it takes the same read models and row shapes as the text formats
(:func:`gaptrack.reports.status.status_rows`, :func:`gaptrack.reports.gaps.gap_row`, the
intake report) and writes one sheet per view. Every sheet has a frozen header row, an
auto-filter and column widths fitted to its content; dates are Excel dates, counts are numbers,
and everything else (Bates numbers above all, whose leading zeros matter) is written as text —
never as a formula, so a subject beginning with ``=`` is shown as typed. The status and gaps
workbooks carry a native Excel chart of the known items produced per party.

Workbooks are written in XlsxWriter's constant-memory mode (each row goes to disk as it is
written), so a gaps sheet of a million rows does not hold every cell in memory. The output
is deterministic: the document's creation time is the report's ``as_of`` date, not the clock.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

import xlsxwriter

from gaptrack.gaps.model import Gap, PartySummary, RequestStatus
from gaptrack.importers.qcreport import IntakeReport

Kind = Literal["text", "date", "int", "bates"]
DATE_FORMAT = "yyyy-mm-dd"
MAX_WIDTH = 60
WIDTH_SAMPLE = 2000  # rows measured for column widths (the rest rarely change the fit)
KNOWN_SHEET = "Known items by party"


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    kind: Kind = "text"


@dataclass(slots=True)
class Sheet:
    name: str
    columns: Sequence[Column]
    rows: Sequence[Mapping[str, Any]]


@dataclass(slots=True)
class Chart:
    """A clustered bar chart on ``sheet``: one category column and one or more series."""

    sheet: str
    title: str
    category: str  # column key
    series: Sequence[str]  # column keys
    anchor: str = "J2"


@dataclass(slots=True)
class Workbook:
    as_of: dt.date
    title: str
    about: list[tuple[str, Any]] = field(default_factory=list)
    sheets: list[Sheet] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


def sheet_name(text: str) -> str:
    """Excel's rules: at most 31 characters, none of ``[]:*?/\\``."""
    return re.sub(r"[\[\]:*?/\\]", "-", text)[:31]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else ""
    return str(value)


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _widths(sheet: Sheet) -> list[int]:
    widths = [len(c.header) for c in sheet.columns]
    for row in sheet.rows[:WIDTH_SAMPLE]:
        for i, column in enumerate(sheet.columns):
            value = row.get(column.key)
            size = 10 if column.kind == "date" and value else len(_text(value))
            widths[i] = max(widths[i], size)
    return [min(w + 2, MAX_WIDTH) for w in widths]


def _write_sheet(book: Any, sheet: Sheet, formats: dict[str, Any]) -> None:
    ws = book.add_worksheet(sheet_name(sheet.name))
    for i, width in enumerate(_widths(sheet)):
        ws.set_column(i, i, width)
    for i, column in enumerate(sheet.columns):
        ws.write_string(0, i, column.header, formats["header"])
    for r, row in enumerate(sheet.rows, start=1):
        for c, column in enumerate(sheet.columns):
            value = row.get(column.key)
            if value is None or value == "":
                continue
            if column.kind == "date":
                day = _date(value)
                if day is not None:
                    ws.write_datetime(r, c, day, formats["date"])
            elif column.kind == "int" and isinstance(value, int | float):
                ws.write_number(r, c, value)
            elif text := _text(value):  # text and Bates numbers: a string, never a formula
                ws.write_string(r, c, text)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(sheet.rows), 1), len(sheet.columns) - 1)


def _add_chart(book: Any, chart: Chart, sheets: Mapping[str, Sheet]) -> None:
    sheet = sheets[chart.sheet]
    keys = [c.key for c in sheet.columns]
    last = len(sheet.rows)
    name = sheet_name(sheet.name)
    ws = book.get_worksheet_by_name(name)
    plot = book.add_chart({"type": "bar", "subtype": "stacked"})
    cat = keys.index(chart.category)
    for key in chart.series:
        col = keys.index(key)
        plot.add_series(
            {
                "name": [name, 0, col],
                "categories": [name, 1, cat, max(last, 1), cat],
                "values": [name, 1, col, max(last, 1), col],
            }
        )
    plot.set_title({"name": chart.title})
    plot.set_x_axis({"name": "known items", "major_gridlines": {"visible": True}})
    plot.set_y_axis({"reverse": True})
    plot.set_legend({"position": "bottom"})
    plot.set_size({"width": 640, "height": max(240, 40 + 28 * last)})
    ws.insert_chart(chart.anchor, plot)


def write_workbook(target: Path | IO[bytes], workbook: Workbook) -> None:
    """Write ``workbook`` to a file path or a binary stream."""
    stamp = dt.datetime.combine(workbook.as_of, dt.time())
    book = xlsxwriter.Workbook(
        str(target) if isinstance(target, Path) else target,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False},
    )
    try:
        book.set_properties({"title": workbook.title, "created": stamp})
        formats = {
            "header": book.add_format({"bold": True, "bottom": 1, "bg_color": "#DDEBF7"}),
            "date": book.add_format({"num_format": DATE_FORMAT, "align": "left"}),
        }
        about = Sheet(
            "About",
            [Column("field", "field"), Column("value", "value")],
            [{"field": "report", "value": workbook.title}]
            + [{"field": k, "value": v} for k, v in workbook.about],
        )
        _write_about(book, about, formats, workbook.as_of)
        for sheet in workbook.sheets:
            _write_sheet(book, sheet, formats)
        by_name = {s.name: s for s in workbook.sheets}
        for chart in workbook.charts:
            _add_chart(book, chart, by_name)
    finally:
        book.close()


def _write_about(book: Any, about: Sheet, formats: dict[str, Any], as_of: dt.date) -> None:
    ws = book.add_worksheet(about.name)
    ws.set_column(0, 0, 14)
    ws.set_column(1, 1, 60)
    ws.write_string(0, 0, "field", formats["header"])
    ws.write_string(0, 1, "value", formats["header"])
    ws.write_string(1, 0, "as of")
    ws.write_datetime(1, 1, as_of, formats["date"])
    for r, row in enumerate(about.rows, start=2):
        ws.write_string(r, 0, _text(row["field"]))
        ws.write_string(r, 1, _text(row["value"]))
    ws.freeze_panes(1, 0)


# The views -------------------------------------------------------------------------------

KNOWN_COLUMNS = [
    Column("name", "party"),
    Column("party", "slug"),
    Column("known_produced", "known produced", "int"),
    Column("known_outstanding", "known not produced", "int"),
    Column("known_total", "known items", "int"),
    Column("outstanding_gaps", "outstanding gaps", "int"),
    Column("next_deadline", "next deadline", "date"),
    Column("overdue", "overdue"),
]


def known_sheet(summaries: Sequence[PartySummary]) -> tuple[Sheet, Chart]:
    """Known items produced per party, and the chart drawn from it."""
    rows = [
        s.model_dump() | {"known_outstanding": s.known_total - s.known_produced}
        for s in summaries
    ]
    sheet = Sheet(KNOWN_SHEET, KNOWN_COLUMNS, rows)
    chart = Chart(
        KNOWN_SHEET,
        "Known items produced per party",
        "name",
        ["known_produced", "known_outstanding"],
    )
    return sheet, chart


STATUS_COLUMNS = [
    Column("party", "party"),
    Column("committee", "committee"),
    Column("request", "request"),
    Column("item", "item"),
    Column("text", "text"),
    Column("status", "status"),
    Column("deadline", "deadline", "date"),
    Column("documents", "documents", "int"),
    Column("known_produced", "known produced", "int"),
    Column("known_total", "known items", "int"),
    Column("gaps", "gaps", "int"),
    Column("reason", "reason"),
    Column("history", "history"),
]


def status_workbook(
    ledger: Sequence[RequestStatus],
    summaries: Sequence[PartySummary],
    *,
    as_of: dt.date,
    filters: Mapping[str, Any] | None = None,
) -> Workbook:
    from gaptrack.reports.status import status_rows

    known, chart = known_sheet(summaries)
    return Workbook(
        as_of=as_of,
        title=f"Status as of {as_of.isoformat()}",
        about=_filters(filters),
        sheets=[Sheet("Status", STATUS_COLUMNS, status_rows(ledger)), known],
        charts=[chart],
    )


GAP_COLUMNS = [
    Column("party", "party"),
    Column("party_name", "party name"),
    Column("kind", "kind"),
    Column("committee", "committee"),
    Column("request", "request"),
    Column("item", "item"),
    Column("title", "title"),
    Column("date", "date", "date"),
    Column("producing_party_name", "produced by"),
    Column("bates", "Bates", "bates"),
    Column("role", "role"),
    Column("match_key", "matched on"),
    Column("basis", "basis"),
    Column("citation", "citation"),
    Column("privilege_entry", "privilege log"),
    Column("deadline", "deadline", "date"),
    Column("days_overdue", "days overdue", "int"),
    Column("summary", "evidence"),
    Column("key", "key"),
]


def gaps_workbook(
    gaps: Sequence[Gap],
    summaries: Sequence[PartySummary],
    *,
    as_of: dt.date,
    filters: Mapping[str, Any] | None = None,
) -> Workbook:
    from gaptrack.reports.gaps import gap_row

    known, chart = known_sheet(summaries)
    return Workbook(
        as_of=as_of,
        title=f"Gaps as of {as_of.isoformat()}",
        about=[*_filters(filters), ("gaps", len(gaps))],
        sheets=[Sheet("Gaps", GAP_COLUMNS, [gap_row(g) for g in gaps]), known],
        charts=[chart],
    )


def _filters(filters: Mapping[str, Any] | None) -> list[tuple[str, Any]]:
    return [(k, v) for k, v in (filters or {}).items() if v]


def intake_workbook(report: IntakeReport, *, as_of: dt.date) -> Workbook:
    """The intake QC report: the checks, each Bates prefix, the Bates findings, bad records."""
    sheets = [Sheet("QC", [Column("check", "check"), Column("result", "result")],
                    report.summary_rows())]
    if report.bates is not None:
        sheets.append(
            Sheet(
                "Bates prefixes",
                [
                    Column("prefix", "prefix", "bates"),
                    Column("first", "first", "int"),
                    Column("last", "last", "int"),
                    Column("documents", "documents", "int"),
                    Column("previous_last", "previous last", "int"),
                    Column("previous_production", "previous production"),
                    Column("status", "status"),
                    Column("detail", "detail"),
                ],
                [p.model_dump() for p in report.bates.prefixes],
            )
        )
        sheets.append(
            Sheet(
                "Bates findings",
                [
                    Column("kind", "kind"),
                    Column("after", "after", "bates"),
                    Column("at", "at", "bates"),
                    Column("missing", "numbers missing", "int"),
                ],
                [f.model_dump() for f in report.bates.examples],
            )
        )
    if report.bad_records:
        sheets.append(
            Sheet(
                "Bad records",
                [
                    Column("file", "file"),
                    Column("line", "line", "int"),
                    Column("field", "field"),
                    Column("reason", "reason"),
                ],
                [b.model_dump() for b in report.bad_records],
            )
        )
    about = [("source", report.source), ("sha256", report.sha256), ("party", report.party),
             ("production", report.production)]
    return Workbook(
        as_of=as_of,
        title=f"Intake QC: {report.production or report.party}",
        about=[(k, v) for k, v in about if v],
        sheets=sheets,
    )
