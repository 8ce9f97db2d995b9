"""Writing reports to files: Excel workbooks and CSV with or without a byte-order mark.

CSV and a BOM: Excel opens a UTF-8 CSV without a BOM as cp1252 (``Grassley’s`` turns into
``Grassleyâ€™s``), while scripts and Unix tools expect none. So a CSV written to a file with
``-o FILE.csv`` starts with a BOM (``\\ufeff``) unless ``--no-bom`` is given; CSV on stdout has
none unless ``--bom`` is given.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from gaptrack.errors import InputError

if TYPE_CHECKING:  # the importers' modules stay off the reporting commands' start
    from gaptrack.importers.qc import IntakeReport

BOM = "\ufeff"

BomOption = typer.Option(
    None,
    "--bom/--no-bom",
    help="Start CSV output with a UTF-8 byte-order mark, which Excel needs to read UTF-8. "
    "Default: a BOM when -o names a .csv file, none on stdout.",
)


def wants_bom(bom: bool | None, output: Path | None) -> bool:
    if bom is not None:
        return bom
    return output is not None and output.suffix.lower() == ".csv"


def emit(text: str, output: Path | None, *, bom: bool = False, fmt: str | None = None) -> None:
    """Text to stdout or to ``output`` (UTF-8), with a BOM when asked. Control characters
    and bidi overrides in the data are escaped first (gaptrack.text.safe_output; JSON keeps
    its meaning); a file that cannot be written is a clean error."""
    from gaptrack.cli.output import write_output
    from gaptrack.text import safe_output

    if fmt is None:
        fmt = "json" if text.lstrip().startswith(("{", "[")) else "text"
    text = safe_output(text, fmt)
    if bom:
        text = BOM + text
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_output(output, text)


def require_output(output: Path | None, fmt: str) -> Path:
    if output is None:
        raise InputError(f"--format {fmt} writes a binary file: give -o FILE.{fmt}")
    return output


REPORT_SUFFIXES = (".xlsx", ".json", ".csv", ".md")


def _report_path(value: Path | None) -> Path | None:
    """Checked before the import starts, so a misspelt suffix costs nothing."""
    if value is not None and value.suffix.lower() not in REPORT_SUFFIXES:
        raise typer.BadParameter(f"name a {', '.join(REPORT_SUFFIXES)} file, not {value}")
    return value


ReportFileOption = typer.Option(
    None,
    "--report",
    metavar="FILE",
    callback=_report_path,
    help="Also write the intake QC report to FILE: .xlsx (a workbook), .json, .csv or .md.",
)


def write_intake_report(report: IntakeReport, path: Path, *, as_of: dt.date) -> None:
    """The intake QC report in the format the file's suffix names."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from gaptrack.reports.xlsx import intake_workbook, write_workbook

        write_workbook(path, intake_workbook(report, as_of=as_of))
    elif suffix == ".json":
        path.write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
    elif suffix in {".csv", ".md"}:
        from gaptrack.reports.tabular import to_csv, to_md

        rows = report.summary_rows()
        if suffix == ".csv":
            emit(to_csv(rows, ["check", "result"]), path, bom=True)
        else:
            title = f"# Intake QC: {report.production or report.party}\n\n"
            emit(title + "\n".join(to_md(rows, ["check", "result"])) + "\n", path)
    else:
        raise InputError(
            f"--report {path}: name a .xlsx, .json, .csv or .md file", field="--report"
        )
