"""``gaptrack audit``: the event history, and checks that it and the received files are intact.

A thin face over :mod:`gaptrack.audit`.
"""

from __future__ import annotations

from pathlib import Path

import typer

from gaptrack.cli.context import state
from gaptrack.cli.dates import parse_date
from gaptrack.cli.output import FormatOption, OutputFormat, render_rows
from gaptrack.errors import GaptrackError

app = typer.Typer(
    help="The audit log: show the history; verify the event chain and received files.",
    no_args_is_help=True,
)

EXIT_BROKEN = 1
_COLUMNS = ["seq", "at", "actor", "action", "entity", "key", "reason"]


@app.command("verify")
def verify_command(
    ctx: typer.Context,
    files: Path | None = typer.Option(
        None, "--files", help="Also re-hash the received files under this folder against the "
        "SHA-256 recorded when each was loaded (matched by file name).",
    ),
    head: str | None = typer.Option(
        None, "--head", help="A head hash printed by an earlier verify: check it is still in "
        "the chain (detects newer events cut off).",
    ),
) -> None:
    """Check the event log's SHA-256 chain (and received files with --files).

    Exit codes: 0 intact; 1 a broken event (the first is named) or a changed file; 2 error.
    """
    from gaptrack.audit import verify, verify_files

    if files is not None and not files.is_dir():
        raise GaptrackError(f"{files} is not a folder", title="Bad option --files")
    engine = state(ctx).engine
    with engine.connect() as conn:
        report = verify(conn, head=head)
        checked = verify_files(conn, files) if files is not None else None
    broken = not report.intact
    if broken:
        typer.echo(f"audit log BROKEN at {report.problems[0]}", err=True)
        for problem in report.problems[1:10]:
            typer.echo(f"  also: {problem}", err=True)
    else:
        typer.echo(f"audit log intact: {report.events} events; head {report.head}")
    if checked is not None:
        typer.echo(f"files: {checked.checked} checked, {len(checked.matched)} match the "
                   f"recorded SHA-256, {len(checked.changed)} changed, "
                   f"{len(checked.unknown)} never loaded")
        for name in checked.changed:
            typer.echo(f"  CHANGED: {name}", err=True)
        broken = broken or bool(checked.changed)
    if broken:
        raise typer.Exit(EXIT_BROKEN)


@app.command("log")
def log_command(
    ctx: typer.Context,
    party: str | None = typer.Option(None, "--party", "-p", help="Only events about this party."),
    since: str | None = typer.Option(None, "--since", metavar="DATE",
                                     help="Only events on or after this date (YYYY-MM-DD)."),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Show the event history (who did what, when, why), oldest first."""
    from sqlmodel import Session

    from gaptrack.audit import history
    from gaptrack.models import Party
    from gaptrack.service.lookup import resolve

    engine = state(ctx).engine
    when = parse_date(since, option="--since")
    with Session(engine) as session:
        found = resolve(session, Party, party) if party else None
        party_id, slug = (found.id, found.slug) if found is not None else (None, None)
    with engine.connect() as conn:
        rows = history(conn, party_id=party_id, party_slug=slug, since=when)
    typer.echo(render_rows(rows, _COLUMNS, fmt, title="Audit log", document=rows), nl=False)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="audit")
