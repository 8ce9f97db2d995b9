"""``gaptrack party``: a party's names (aliases), and re-linking the documents they touch."""

from __future__ import annotations

import json

import typer

from gaptrack.cli.context import state
from gaptrack.cli.output import FormatOption, OutputFormat, render_rows
from gaptrack.service.parties import add_aliases

party_app = typer.Typer(help="A party's names and addresses.", no_args_is_help=True)
alias_app = typer.Typer(help="Aliases: other names a party goes by.", no_args_is_help=True)
party_app.add_typer(alias_app, name="alias")


@alias_app.command("add")
def alias_add(
    ctx: typer.Context,
    party: str = typer.Argument(..., help="The party: slug, name or an existing alias."),
    aliases: list[str] = typer.Argument(
        ..., help='Names to add, e.g. "Hicks, Hope" "HHICKS".', metavar="ALIAS..."
    ),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Add aliases to a party and re-link the stored participants with those names.

    Names are folded as everywhere (case, white space, accents, titles, "Last, First"),
    so "Hicks, Hope" and "Hope Hicks" are one alias. A name another party also has links
    to neither party afterwards; the output says so. Recorded as an event.
    """
    app = state(ctx)
    report = add_aliases(app.engine, party, aliases, actor=app.actor)
    if fmt is OutputFormat.JSON:
        typer.echo(json.dumps({
            "party": report.party, "added": report.added, "already": report.already,
            "relinked": report.relinked, "ambiguous": report.ambiguous,
        }, indent=2))
        return
    title = f"{report.party}: {report.relinked} participant rows re-linked"
    typer.echo(render_rows(report.rows(), ["alias", "result"], fmt, title=title), nl=False)


def register(app: typer.Typer) -> None:
    app.add_typer(party_app, name="party")
