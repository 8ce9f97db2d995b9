"""``gaptrack import dat|mail|privlog``: load a production or a privilege log, then show the
intake QC report. A thin face over :mod:`gaptrack.service.intake`."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from gaptrack.cli.context import state
from gaptrack.cli.dates import parse_date
from gaptrack.cli.output import OutputFormat, render_rows
from gaptrack.importers.qc import IntakeReport
from gaptrack.service import intake

app = typer.Typer(
    help="Load productions (Concordance DAT/OPT, EML/MBOX) and privilege logs, with intake QC.",
    no_args_is_help=True,
)

PartyOption = typer.Option(..., "--party", "-p", help="The producing party (slug or name).")
FormatOption = typer.Option(
    OutputFormat.TABLE, "--format", "-f", help="Report format: table, json, csv or md."
)
SkipBadOption = typer.Option(
    False, "--skip-bad", help="List malformed records and load the rest (default: load nothing)."
)
ReceivedOption = typer.Option(
    None, "--received", help="Date the production was received (YYYY-MM-DD; default today)."
)
AnswersOption = typer.Option(
    [], "--answers", help="A request this production answers (repeatable)."
)


@contextmanager
def _progress(path: Path) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar over the bytes read, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    total = (
        sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        if path.is_dir()
        else path.stat().st_size
    )
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TextColumn("{task.fields[records]} documents"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(path.name, total=total, records=0)

        def update(done: int, records: int) -> None:
            bar.update(task, completed=done, records=records)

        yield update


def _show(report: IntakeReport, fmt: OutputFormat) -> None:
    if fmt is OutputFormat.JSON:
        typer.echo(report.model_dump_json(indent=2))
        return
    if report.already_loaded and fmt is OutputFormat.TABLE:
        typer.echo(report.message)
        return
    title = f"Intake QC: {report.production or report.party}"
    typer.echo(render_rows(report.summary_rows(), ["check", "result"], fmt, title=title), nl=False)


@app.command("dat")
def import_dat_command(
    ctx: typer.Context,
    dat: Path = typer.Argument(..., help="The Concordance DAT load file."),
    party: str = PartyOption,
    production: str = typer.Option(..., "--production", help="Name of this volume."),
    opt: Path | None = typer.Option(None, "--opt", help="The Opticon OPT image load file."),
    answers: list[str] = AnswersOption,
    encoding: str | None = typer.Option(
        None, "--encoding", help="Override the detected encoding (utf-8, cp1252, utf-16...)."
    ),
    mapping: list[str] = typer.Option(
        [], "--map", help="FIELD=COLUMN: read a gaptrack field from a column (name or number)."
    ),
    bates_prefix: str | None = typer.Option(
        None, "--bates-prefix", help="The Bates prefix, when it ends in a digit (ABC2017-)."
    ),
    skip_bad: bool = SkipBadOption,
    received: str | None = ReceivedOption,
    text_root: Path | None = typer.Option(
        None, "--text-root",
        help="Folder TEXTPATH files are read from (default: the DAT's folder); "
        "paths pointing outside it are reported, never read.",
    ),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Import a Concordance DAT (and OPT) as a new production, then show the intake QC."""
    app_state = state(ctx)
    received_on = parse_date(received, option="--received")  # fail before any work
    with _progress(dat) as progress:
        report = intake.import_dat(
            app_state.engine,
            dat,
            party=party,
            production=production,
            opt=opt,
            answers=answers,
            encoding=encoding,
            field_map=mapping,
            skip_bad=skip_bad,
            bates_prefix=bates_prefix,
            received=received_on,
            actor=app_state.actor,
            progress=progress,
            text_root=text_root,
        )
    _show(report, fmt)


@app.command("mail")
def import_mail_command(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="An EML file, a folder of them, or an MBOX mailbox."),
    party: str = PartyOption,
    production: str = typer.Option(..., "--production", help="Name of this volume."),
    bates_prefix: str | None = typer.Option(
        None,
        "--bates-prefix",
        help="Prefix of the Bates numbers assigned (default: from the production name); "
        "numbering continues after the last number used with it.",
    ),
    answers: list[str] = AnswersOption,
    skip_bad: bool = SkipBadOption,
    received: str | None = ReceivedOption,
    fmt: OutputFormat = FormatOption,
) -> None:
    """Import EML/MBOX mail as a new production (Bates numbers assigned), then show the QC."""
    app_state = state(ctx)
    received_on = parse_date(received, option="--received")  # fail before any work
    with _progress(path) as progress:
        report = intake.import_mail(
            app_state.engine,
            path,
            party=party,
            production=production,
            bates_prefix=bates_prefix,
            answers=answers,
            skip_bad=skip_bad,
            received=received_on,
            actor=app_state.actor,
            progress=progress,
        )
    _show(report, fmt)


@app.command("privlog")
def import_privlog_command(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="The privilege log, as CSV."),
    party: str = PartyOption,
    production: str | None = typer.Option(
        None, "--production", help="The production the log accompanies, if any."
    ),
    encoding: str | None = typer.Option(None, "--encoding", help="Override the encoding."),
    mapping: list[str] = typer.Option(
        [],
        "--map",
        help="FIELD=COLUMN (fields: entry_no, doc_date, author, recipients, cc, "
        "description, privilege, doc_type, bates).",
    ),
    skip_bad: bool = SkipBadOption,
    fmt: OutputFormat = FormatOption,
) -> None:
    """Import a privilege log (date, author, recipients, description, privilege claimed)."""
    app_state = state(ctx)
    report = intake.import_privlog(
        app_state.engine,
        path,
        party=party,
        production=production,
        encoding=encoding,
        field_map=mapping,
        skip_bad=skip_bad,
        actor=app_state.actor,
    )
    _show(report, fmt)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="import")
