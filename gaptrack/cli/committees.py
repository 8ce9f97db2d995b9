"""``gaptrack committees``: committees and members from the congress-legislators files."""

from __future__ import annotations

from pathlib import Path

import typer

from gaptrack.cli.context import state
from gaptrack.cli.dates import parse_date
from gaptrack.cli.output import FormatOption, OutputFormat, render_rows

app = typer.Typer(
    help="Committees and their members, from the unitedstates/congress-legislators files.",
    no_args_is_help=True,
)


@app.command("import")
def import_command(
    ctx: typer.Context,
    folder: Path = typer.Argument(
        ...,
        metavar="DIR",
        help="A folder holding committees-current.yaml, committee-membership-current.yaml "
        "and legislators-current.yaml.",
    ),
    since: str | None = typer.Option(
        None,
        "--since",
        metavar="DATE",
        help="The membership is valid from DATE (default: the start of the Congress of the "
        "newest House term in legislators-current.yaml).",
    ),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Import committees (by thomas_id), legislators (by bioguide id) and committee membership
    with titles, then check every letter's signatories against the membership on the
    letter's date, where the files cover it; a mismatch is printed as a warning (as `load`
    does). Importing the same files again changes nothing; a newer snapshot closes the older
    one the day before it begins.

    Exit codes: 0 success (warnings included); 2 error (a missing file, bad YAML).
    """
    from gaptrack.service.committees import import_committees

    app_state = state(ctx)
    report = import_committees(
        app_state.engine, folder, since=parse_date(since, option="--since"),
        actor=app_state.actor,
    )  # fmt: skip
    for warning in report.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if fmt is OutputFormat.JSON:
        typer.echo(report.model_dump_json(indent=2))
        return
    rows: list[dict[str, object]] = [
        {"what": "membership valid from", "count": report.valid_from.isoformat()},
        {"what": "committees added", "count": len(report.committees_added)},
        {"what": "committees matched", "count": report.committees_matched},
        {"what": "legislators", "count": report.legislators},
        {"what": "committee seats", "count": report.seats},
        {"what": "subcommittee seats skipped", "count": report.subcommittee_seats_skipped},
        {"what": "earlier seats closed", "count": report.seats_closed},
        {"what": "signatory warnings", "count": len(report.warnings)},
    ]
    typer.echo(render_rows(rows, ["what", "count"], fmt, title="Committees"), nl=False)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="committees")
