"""``gaptrack db``: where the database is, and its schema migrations."""

from __future__ import annotations

from pathlib import Path

import typer

from gaptrack.cli.context import state
from gaptrack.db import current_revision, head_revision, make_engine, upgrade_and_derive

app = typer.Typer(help="Database location and schema migrations.", no_args_is_help=True)


@app.command("init")
def init_command(ctx: typer.Context) -> None:
    """Create the database (or bring an existing one to the newest schema)."""
    engine = state(ctx).engine
    typer.echo(f"database ready at {engine.url.render_as_string(hide_password=True)}, "
               f"revision {current_revision(engine)}")


@app.command("upgrade")
def upgrade_command(ctx: typer.Context) -> None:
    """Apply every pending schema migration (also done automatically on first use)."""
    engine = make_engine(state(ctx).url)
    if current_revision(engine) != head_revision():
        upgrade_and_derive(engine)  # a new derived table is filled before anyone reads it
    typer.echo(f"schema at revision {current_revision(engine)}")


@app.command("info")
def info_command(ctx: typer.Context) -> None:
    """Show the database URL and the schema revision (creates nothing)."""
    url = state(ctx).url
    path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else None
    if path is not None and not Path(path).is_file():
        typer.echo(f"url: {url}\nrevision: (no database); newest: {head_revision()}")
        return
    engine = make_engine(url)
    typer.echo(f"url: {engine.url.render_as_string(hide_password=True)}")
    typer.echo(f"revision: {current_revision(engine) or '(empty)'}; newest: {head_revision()}")


@app.command("watch")
def watch_command(
    ctx: typer.Context,
    as_of: list[str] = typer.Option(..., "--as-of", metavar="DATE",
                                    help="A date (YYYY-MM-DD) to keep; repeat for more."),
) -> None:
    """Keep the status ledger and the parties' counts for these dates after every write
    (today's are always kept), so `status` and the TUI's first screens read them at once.
    The newest three dates asked for are kept."""
    from gaptrack.cli.dates import parse_date
    from gaptrack.service.view_store import WATCHED, watch

    dates = [parse_date(d, option="--as-of") for d in as_of]
    engine = state(ctx).existing
    watch(engine, [d for d in dates if d is not None])
    typer.echo("kept for " + ", ".join(d.isoformat() for d in dates if d is not None)
               + f" (the newest {WATCHED} dates asked for, and today)")


@app.command("backup")
def backup_command(
    ctx: typer.Context,
    target: Path = typer.Argument(..., help="The new backup file."),
) -> None:
    """Copy the whole database to a new file (SQLite: online backup, safe while in use;
    PostgreSQL: pg_dump's custom format)."""
    from gaptrack.backup import backup
    from gaptrack.db import open_existing

    engine = open_existing(state(ctx).url)
    backup(engine, target)
    typer.echo(f"backed up {engine.url.render_as_string(hide_password=True)} to {target}")


@app.command("restore")
def restore_command(
    ctx: typer.Context,
    source: Path = typer.Argument(..., help="A file made by gaptrack db backup."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask before replacing."),
) -> None:
    """Replace the whole database with a backup (asks first; --yes does not). The backup is
    checked first: a file that is not a sound gaptrack database changes nothing."""
    from gaptrack.backup import restore
    url = state(ctx).url
    engine = make_engine(url)
    where = engine.url.render_as_string(hide_password=True)
    if not yes and not typer.confirm(f"Replace everything in {where} with {source}?"):
        raise typer.Abort()
    restore(engine, source)
    engine = make_engine(url)
    if current_revision(engine) != head_revision():
        upgrade_and_derive(engine)  # a backup from an older gaptrack: derived once, here
    typer.echo(f"restored {where} from {source}; revision {current_revision(engine)}")



def register(root: typer.Typer) -> None:
    root.add_typer(app, name="db")
