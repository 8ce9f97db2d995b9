"""``gaptrack``: the root command. Sub-commands live in one module each, imported when used."""

from __future__ import annotations

import sys

import typer

from gaptrack import __version__
from gaptrack.cli.context import AppState
from gaptrack.cli.lazy import Lazy, lazy_group
from gaptrack.config import resolve_actor
from gaptrack.errors import GaptrackError
from gaptrack.text import printable

EXIT_OK = 0
EXIT_GAPS = 1  # --check: outstanding gaps exist
EXIT_ERROR = 2  # bad input, unknown names, database errors

# Every command: its module under gaptrack.cli (whose ``register(app)`` adds it) and the first
# sentence of its help, listed by ``gaptrack --help`` without importing the module.
COMMANDS: dict[str, Lazy] = {
    "load": Lazy("case", "Load case files into the database, all of them or none."),
    "export": Lazy("case", "Write the whole database as one case file (YAML) that "
                   "`gaptrack load` reads back."),
    "gaps": Lazy("gaps", "List the gaps: known documents not produced, documents other "
                 "parties produced that the party left out, items with nothing produced, "
                 "passed deadlines, withheld documents, and emails referred to that nobody "
                 "produced."),
    "status": Lazy("gaps", "Show the status ledger: each request item per party."),
    "letter": Lazy("gaps", "Draft a deficiency letter to a party's counsel."),
    "tui": Lazy("tui", "Open the terminal app on the database (--db)."),
    "demo": Lazy("tui", "Load the demo cases into a fresh database and open the terminal app "
                 "on them."),
    "search": Lazy("analysis", "Full-text search over subjects, titles, participants and "
                   "document text."),
    "terms": Lazy("analysis", "Search-term report: per term, documents hit, with families."),
    "threads": Lazy("analysis", "Email threads rebuilt across every party's productions."),
    "coverage": Lazy("analysis", "Per period: documents the party produced (per custodian) "
                     "against documents other parties produced that it was on."),
    "deadlines": Lazy("deadlines", "List deadlines per party, overdue first, with staged "
                      "deadlines apart."),
    "serve": Lazy("serve", "Serve the terminal app to a web browser (textual-serve), on "
                  "http://127.0.0.1:8000 by default."),
    "db": Lazy("db", "Database location and schema migrations."),
    "import": Lazy("intake", "Load productions and privilege logs, with intake QC."),
    "production": Lazy("intake", "Productions: remove one loaded by mistake."),
    "findings": Lazy("gaps", "Decide on inferred findings: promote one to a known item, or "
                     "dismiss it."),
    "party": Lazy("party", "A party's names and addresses."),
    "committees": Lazy("committees", "Committees and their members, from the "
                       "unitedstates/congress-legislators files."),
    "audit": Lazy("audit", "The audit log: show the history; verify the event chain and "
                  "received files."),
}

app = typer.Typer(
    cls=lazy_group(COMMANDS),
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
    ctx.call_on_close(ctx.obj.close)  # the command's connections end with the command


def run(args: list[str] | None = None, prog_name: str | None = None) -> None:
    """Entry point: errors from the core become a message on stderr and exit code 2.
    ``args`` and ``prog_name`` default to the command line's (tests run it in process)."""
    try:
        # Without standalone mode Click *returns* the code of a ``typer.Exit`` (e.g. --check's 1).
        code = app(args=args, prog_name=prog_name, standalone_mode=False)
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
