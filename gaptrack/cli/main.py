"""``gaptrack``: the root command. Sub-commands live in one module each."""

from __future__ import annotations

import sys

import typer

from gaptrack import __version__
from gaptrack.cli import db as db_commands
from gaptrack.cli.context import AppState
from gaptrack.config import resolve_actor
from gaptrack.errors import GaptrackError
from gaptrack.text import printable

EXIT_OK = 0
EXIT_GAPS = 1  # --check: outstanding gaps exist
EXIT_ERROR = 2  # bad input, unknown names, database errors

app = typer.Typer(
    name="gaptrack",
    help=(
        "Track congressional document requests against productions, and show the gaps: "
        "what was requested and not produced, and what is known to exist but was left out.\n\n"
        "Exit codes: 0 success; 1 outstanding gaps (with --check); 2 error."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gaptrack {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    db: str | None = typer.Option(
        None,
        "--db",
        help="SQLite file or database URL (postgresql://...). "
        "Default: $GAPTRACK_DATABASE_URL, else gaptrack.db in the user data directory.",
        envvar=None,
    ),
    actor: str | None = typer.Option(
        None,
        "--actor",
        help="Who to record in the event log (and whose actions undo reverses). "
        "Default: $GAPTRACK_ACTOR, else the OS user.",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    ctx.obj = AppState(db=db, actor=resolve_actor(actor))


app.add_typer(db_commands.app, name="db")


def _register() -> None:
    """Attach the optional command modules that exist (each is one face of one service)."""
    import importlib

    modules = ("case", "intake", "gaps", "party", "tui", "analysis", "deadlines", "serve",
               "committees", "audit")
    for name in modules:
        try:
            module = importlib.import_module(f"gaptrack.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"gaptrack.cli.{name}":
                raise
            continue
        module.register(app)


_register()


def run() -> None:
    """Entry point: errors from the core become a message on stderr and exit code 2."""
    try:
        # Without standalone mode Click *returns* the code of a ``typer.Exit`` (e.g. --check's 1).
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except GaptrackError as exc:
        typer.echo(printable(f"error: {exc.title}: {exc.message}"), err=True)
        sys.exit(EXIT_ERROR)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(EXIT_ERROR)
    except Exception as exc:  # click usage errors arrive here in non-standalone mode
        import click

        if isinstance(exc, click.ClickException):
            # One error style for every error: "error: <title>: <message>".
            title = "Bad usage" if isinstance(exc, click.UsageError) else "Bad input"
            hint = ""
            if isinstance(exc, click.UsageError) and exc.ctx is not None:
                hint = f" (see {exc.ctx.command_path} --help)"
            typer.echo(f"error: {title}: {exc.format_message()}{hint}", err=True)
            sys.exit(EXIT_ERROR)
        problem = database_problem(exc)
        if problem is not None:  # a database fault, not a bug: no traceback, data as it was
            typer.echo(printable(f"error: Database error: {problem}"), err=True)
            sys.exit(EXIT_ERROR)
        raise


def database_problem(exc: BaseException) -> str | None:
    """What went wrong, when ``exc`` is the database's failure (locked, read-only, corrupt,
    disk full, server gone) rather than gaptrack's; None otherwise. Every transaction was
    rolled back by then, so the data is as it was."""
    import sqlite3

    import sqlalchemy as sa

    if isinstance(exc, sa.exc.DBAPIError):
        orig = exc.orig if exc.orig is not None else exc
        first = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
        return f"{first} (nothing was changed)"
    if isinstance(exc, sqlite3.Error):
        return f"{exc} (nothing was changed)"
    return None
