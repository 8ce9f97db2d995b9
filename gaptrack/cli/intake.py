"""``gaptrack import [FORMAT] PATH…``: load productions and privilege logs, then show the
intake QC report. A thin face over :mod:`gaptrack.service.intake`.

The format commands (``import dat``, ``import mail``…) are made from the importer registry
(:mod:`gaptrack.importers.base`), each with the options its format takes; ``import PATH…``
detects each path's format from its content.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
import typer
from typer.core import TyperGroup

from gaptrack.cli.context import state
from gaptrack.cli.dates import parse_date
from gaptrack.cli.files import ReportFileOption, write_intake_report
from gaptrack.cli.output import OutputFormat, render_rows
from gaptrack.importers.base import OPTIONS, REGISTRY, importers
from gaptrack.importers.qc import IntakeReport
from gaptrack.service import intake
from gaptrack.service.productions import remove_production

AUTO = "detect"


class FormatGroup(TyperGroup):
    """``import PATH…`` goes to the detecting command; ``import FORMAT PATH`` to a format's."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = [AUTO, *args]
        return super().resolve_command(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in super().list_commands(ctx) if name != AUTO]


def _list_formats(value: bool) -> None:
    if not value:
        return
    for found in importers():
        flags = " ".join("--" + o.replace("_", "-") for o in found.options)
        typer.echo(f"{found.name:10} {found.summary}" + (f"  [{flags}]" if flags else ""))
    raise typer.Exit()


app = typer.Typer(
    cls=FormatGroup,
    help=(
        "Load productions and privilege logs, with intake QC: gaptrack import PATH… detects "
        "the format from the content; gaptrack import FORMAT PATH names it "
        f"({', '.join(REGISTRY)})."
    ),
    no_args_is_help=True,
)


@app.callback()
def formats(
    list_formats: bool = typer.Option(
        False, "--list-formats", callback=_list_formats, is_eager=True,
        help="List the formats gaptrack reads, with their options, and exit.",
    ),
) -> None:
    """Load productions and privilege logs, with intake QC."""


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


def _run(
    ctx: typer.Context, fmt_name: str | None, paths: list[Path], values: dict[str, Any]
) -> None:
    """One import per path, each reported in turn."""
    app_state = state(ctx)
    received_on = parse_date(values.pop("received"), option="--received")  # before any work
    fmt: OutputFormat = values.pop("fmt")
    report_file: Path | None = values.pop("report_file")
    common = {k: values.pop(k) for k in ("party", "production", "answers", "skip_bad", "force")}
    if len(paths) > 1 and common["production"]:
        raise typer.BadParameter("--production names one volume: give one PATH, or none "
                                 "(each production is then named after its file)")
    if len(paths) > 1 and report_file is not None:
        raise typer.BadParameter("--report writes one file: give one PATH")
    for path in paths:
        with _progress(path) as progress:
            report = intake.import_path(
                app_state.engine, path, format=fmt_name, received=received_on,
                actor=app_state.actor, progress=progress, **common, **values,
            )
        _show(report, fmt)
        if report_file is not None:
            write_intake_report(report, report_file, as_of=received_on or dt.date.today())


def _parameters(options: tuple[str, ...], *, many: bool) -> list[inspect.Parameter]:
    """The command's parameters: the path(s), what every import takes, the format's own."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    path_help = "The files or folders to load." if many else "The file or folder to load."
    params = [
        inspect.Parameter("ctx", keyword, annotation=typer.Context),
        inspect.Parameter(
            "paths", keyword, annotation=list[Path] if many else Path,
            default=typer.Argument(..., help=path_help, metavar="PATH..." if many else "PATH"),
        ),
        inspect.Parameter("party", keyword, annotation=str, default=typer.Option(
            ..., "--party", "-p", help="The producing party (slug or name).")),
        inspect.Parameter("production", keyword, annotation=str | None, default=typer.Option(
            None, "--production",
            help="Name of this volume (default: the file's name); a privilege log: the "
                 "production it accompanies, if any.")),
        inspect.Parameter("answers", keyword, annotation=list[str], default=typer.Option(
            [], "--answers", help="A request this production answers (repeatable).")),
        inspect.Parameter("skip_bad", keyword, annotation=bool, default=typer.Option(
            False, "--skip-bad",
            help="List malformed records and load the rest (default: load nothing).")),
        inspect.Parameter("force", keyword, annotation=bool, default=typer.Option(
            False, "--force",
            help="Load although the Bates prefix belongs to another party's productions.")),
        inspect.Parameter("received", keyword, annotation=str | None, default=typer.Option(
            None, "--received",
            help="Date the production was received (YYYY-MM-DD; default today).")),
        inspect.Parameter("fmt", keyword, annotation=OutputFormat, default=typer.Option(
            OutputFormat.TABLE, "--format", "-f",
            help="Report format: table, json, csv or md.")),
        inspect.Parameter("report_file", keyword, annotation=Path | None,
                          default=ReportFileOption),
    ]
    for name in options:
        spec = OPTIONS[name]
        flag = "--" + name.replace("_", "-")
        annotation: Any = list[str] if spec.multiple else Path | None if spec.path else str | None
        default = typer.Option([] if spec.multiple else None, flag, help=spec.help)
        params.append(inspect.Parameter(name, keyword, annotation=annotation, default=default))
    return params


def _command(fmt_name: str | None, options: tuple[str, ...], doc: str) -> Callable[..., None]:
    many = fmt_name is None

    def command(**values: Any) -> None:
        ctx = values.pop("ctx")
        paths = values.pop("paths")
        _run(ctx, fmt_name, list(paths) if many else [paths], values)

    command.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        _parameters(options, many=many)
    )
    command.__doc__ = doc
    return command


def _register_formats() -> None:
    every: list[str] = []
    for found in importers():
        app.command(found.name)(_command(found.name, found.options, f"{found.summary}."))
        every.extend(o for o in found.options if o not in every)
    app.command(AUTO, hidden=True)(_command(
        None, tuple(every),
        "Detect each path's format from its content and load it (options apply to the "
        "formats that take them).",
    ))


_register_formats()


productions = typer.Typer(help="Productions: remove one loaded by mistake.",
                           no_args_is_help=True)


@productions.command("remove")
def remove_command(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The production (slug or volume name)."),
    force: bool = typer.Option(
        False, "--force", help="Remove it although known items cite its documents."),
    reason: str | None = typer.Option(None, "--reason", help="Why, for the event log."),
    fmt: OutputFormat = typer.Option(
        OutputFormat.TABLE, "--format", "-f", help="Report format: table, json, csv or md."),
) -> None:
    """Remove a production and its documents (recorded as an event; refused while a known
    item cites its documents, unless --force)."""
    app_state = state(ctx)
    removed = remove_production(app_state.engine, name, force=force, reason=reason,
                                actor=app_state.actor)
    if fmt is OutputFormat.JSON:
        typer.echo(json.dumps(removed, indent=2))
        return
    rows = [{"check": key, "result": ", ".join(value) if isinstance(value, list) else value}
            for key, value in removed.items()]
    typer.echo(render_rows(rows, ["check", "result"], fmt, title="Removed"), nl=False)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="import")
    root.add_typer(productions, name="production")
