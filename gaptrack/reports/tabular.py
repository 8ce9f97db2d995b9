"""Rows as text: a fixed-width table, CSV, Markdown or HTML. Deterministic and markup-free."""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from gaptrack.errors import InputError
from gaptrack.text import html_text, printable


class ReportFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MD = "md"
    HTML = "html"
    XLSX = "xlsx"  # binary: written by reports.xlsx to a file, not by the text renderers


def report_format(value: str | ReportFormat) -> ReportFormat:
    try:
        return ReportFormat(str(value).lower())
    except ValueError:
        names = ", ".join(f.value for f in ReportFormat)
        raise InputError(f"unknown format {value!r}; use one of: {names}") from None


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(cell(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else ""
    return str(value)


def to_json(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([printable(cell(row.get(c))) for c in columns])
    return buffer.getvalue()


def md_escape(value: Any) -> str:
    return html_text(cell(value)).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_md(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> list[str]:
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines.extend("| " + " | ".join(md_escape(row.get(c)) for c in columns) + " |" for row in rows)
    return lines


def to_html_table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> list[str]:
    out = [
        "<table>",
        "<thead><tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in columns) + "</tr></thead>",
        "<tbody>",
    ]
    for row in rows:
        out.append(
            "<tr>"
            + "".join(f"<td>{html.escape(printable(cell(row.get(c))))}</td>" for c in columns)
            + "</tr>"
        )
    out.extend(["</tbody>", "</table>"])
    return out


def html_page(title: str, body: Sequence[str]) -> str:
    head = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n"
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #999;padding:4px 6px;vertical-align:top;text-align:left}"
        "</style>\n</head>\n<body>\n"
    )
    return head + "\n".join(body) + "\n</body>\n</html>\n"


def to_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], title: str) -> str:
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        # Text, never markup: a subject "[draft] memo" must print as written.
        table.add_row(*(Text(printable(cell(row.get(c)))) for c in columns))
    console = Console(
        file=io.StringIO(), width=160, force_terminal=False, color_system=None, no_color=True
    )
    console.print(table)
    return str(console.file.getvalue())  # type: ignore[attr-defined]
