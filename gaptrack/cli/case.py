"""``gaptrack load`` and ``gaptrack export``: case files in and out of the database."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from sqlalchemy.engine import Engine

from gaptrack.casefile.report import LoadReport
from gaptrack.cli.context import state
from gaptrack.cli.output import FormatOption, OutputFormat, render_rows, write_output
from gaptrack.service.cases import export_case, load_case_files

_COLUMNS = ["file", "table", "added", "updated", "removed"]


def _rows(report: LoadReport) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for f in report.files:
        for table in sorted(set(f.added) | set(f.updated) | set(f.removed)):
            counts = (f.added[table], f.updated[table], f.removed[table])
            if any(counts):
                rows.append(dict(zip(_COLUMNS, (f.file, table, *counts), strict=True)))
    return rows


def load_command(
    ctx: typer.Context,
    files: list[Path] = typer.Argument(
        ..., help="Case files (YAML) to load, e.g. fixtures/*.yaml.", metavar="FILE..."
    ),
    fmt: OutputFormat = FormatOption,
    prune: bool = typer.Option(
        False, "--prune", help="Remove the parties' aliases, addresses and counsel that no "
        "file declares (listed first; asks unless --yes). Each removal is an event."),
    yes: bool = typer.Option(False, "--yes", "-y", help="With --prune: do not ask."),
) -> None:
    """Load case files into the database, all of them or none.

    Every file is checked first (YAML, fields, references to parties, requests, items and
    documents, Bates numbers); a problem is reported as FILE:LINE: field '...': reason,
    with exit code 2 and the database unchanged. Loading is idempotent: rows are matched
    on slugs, item numbers and Bates numbers, so loading the same files again changes
    nothing. Letter signatories are checked against the committee membership imported with
    `gaptrack committees import`; a mismatch is printed as a warning on stderr.

    A file owns only what it declares: fields it does not mention and a shared party's
    aliases, addresses and counsel that no file names are kept (listed on stderr); a field
    written as null is cleared. `--prune` removes those links, each removal an event.
    """
    app = state(ctx)
    paths = [str(f) for f in files]
    if prune and not _confirm_prune(app.engine, paths, app.actor, yes):
        typer.echo("nothing changed", err=True)
        return
    report = load_case_files(app.engine, paths, actor=app.actor, prune=prune)
    for warning in report.warnings:  # stderr: stdout stays the report
        typer.echo(f"warning: {warning}", err=True)
    verb = "removed" if report.pruned else "kept (not declared; --prune removes it)"
    for entry in report.not_declared:
        typer.echo(f"{verb}: {entry['party']} {entry['table']} {entry['value']!r}", err=True)
    if fmt is OutputFormat.JSON:
        typer.echo(json.dumps(report.to_dict(), indent=2))
        return
    if not report.changed:
        typer.echo("nothing changed")
        return
    if fmt is OutputFormat.TABLE:
        for f in report.files:
            if not f.changed:
                typer.echo(f"{f.file}: nothing changed")
                continue
            parts = [
                f"{verb} " + ", ".join(f"{n} {t}" for t, n in sorted(counter.items()) if n)
                for verb, counter in (("added", f.added), ("updated", f.updated),
                                      ("removed", f.removed))
                if any(counter.values())
            ]
            typer.echo(f"{f.file}: " + "; ".join(parts))
        return
    typer.echo(render_rows(_rows(report), _COLUMNS, fmt, title="Loaded"), nl=False)


def _confirm_prune(engine: Engine, paths: list[str], actor: str, yes: bool) -> bool:
    """List what ``--prune`` would remove (a dry run) and ask, unless ``yes``."""
    found = load_case_files(engine, paths, actor=actor, prune=True, dry_run=True).not_declared
    for entry in found:
        typer.echo(f"would remove: {entry['party']} {entry['table']} {entry['value']!r}",
                   err=True)
    if not found or yes:
        return True
    return typer.confirm(f"Remove these {len(found)}?", default=False, err=True)


def export_command(
    ctx: typer.Context,
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file instead of standard output."
    ),
) -> None:
    """Write the whole database as one case file (YAML) that `gaptrack load` reads back.

    The output is deterministic: load, export, load and export again gives the same bytes.
    """
    text = export_case(state(ctx).existing)
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_output(output, text)
        typer.echo(f"wrote {output}", err=True)


def register(app: typer.Typer) -> None:
    app.command("load")(load_command)
    app.command("export")(export_command)
