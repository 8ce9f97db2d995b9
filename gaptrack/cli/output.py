"""One set of output options for every reporting command: ``--format table|json|csv|md``."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from gaptrack.errors import GaptrackError
from gaptrack.text import html_text, printable, safe_output


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MD = "md"


FormatOption = typer.Option(
    OutputFormat.TABLE, "--format", "-f", help="Output format: table, json, csv or md."
)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    return str(value)


def write_output(path: Path, text: str) -> None:
    """Write a report to ``path`` (``-o``): a folder, a missing folder or a full disk is a
    clean error naming the file, never a traceback."""
    try:
        with path.open("w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise GaptrackError(
            f"{path}: cannot write: {reason}", title="Cannot write output"
        ) from None


def render_rows(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: OutputFormat,
    *,
    title: str | None = None,
    document: Any = None,
) -> str:
    """Render rows as text. ``document`` (JSON-able) replaces the rows in JSON output."""
    if fmt is OutputFormat.JSON:
        payload = document if document is not None else list(rows)
        return safe_output(json.dumps(payload, indent=2, sort_keys=False, default=str) + "\n",
                           "json")
    if fmt is OutputFormat.CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([printable(_cell(row.get(c))) for c in columns])
        return buffer.getvalue()
    if fmt is OutputFormat.MD:
        def esc(value: Any) -> str:
            return html_text(_cell(value)).replace("|", "\\|").replace("\n", " ")

        lines = [f"## {title}", ""] if title else []
        lines.append("| " + " | ".join(columns) + " |")
        lines.append("|" + "|".join("---" for _ in columns) + "|")
        lines.extend("| " + " | ".join(esc(row.get(c)) for c in columns) + " |" for row in rows)
        return "\n".join(lines) + "\n"
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column)
    for row in rows:
        # Text, never markup: a subject "[draft] memo" must print as written.
        table.add_row(*(Text(printable(_cell(row.get(c)))) for c in columns))
    # Fit a real terminal; in a pipe, wide enough that evidence columns stay readable.
    width = shutil.get_terminal_size((160, 24)).columns if sys.stdout.isatty() else 160
    console = Console(file=io.StringIO(), width=width, force_terminal=False, color_system=None)
    console.print(table)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    return str(out)
