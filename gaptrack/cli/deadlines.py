"""``gaptrack deadlines``: every deadline per party, for people, scripts and calendars."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path

import typer
from sqlalchemy.engine import Engine

from gaptrack.cli.context import state
from gaptrack.cli.dates import parse_date
from gaptrack.cli.files import emit

EXIT_DUE = 1
CHECK_WINDOW = 7  # days, for --check without --due-within


class DeadlineFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    ICS = "ics"


def deadlines_command(
    ctx: typer.Context,
    party: str | None = typer.Option(None, "--party", "-p", help="Party slug, name or alias."),
    due_within: int | None = typer.Option(
        None,
        "--due-within",
        metavar="DAYS",
        min=0,
        help="Only deadlines that are overdue or fall within DAYS days of --as-of.",
    ),
    check: bool = typer.Option(
        False,
        "--check",
        help=f"Exit 1 when a deadline is overdue or due within the window (--due-within, "
        f"default {CHECK_WINDOW} days), for cron or Task Scheduler; 0 when none is.",
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", metavar="DATE", help="Count days from this date (default: today)."
    ),
    fmt: DeadlineFormat = typer.Option(
        DeadlineFormat.TABLE,
        "--format",
        "-f",
        help="table, json, or ics (an iCalendar file: one event per deadline, with a reminder).",
    ),
    remind: int = typer.Option(
        2,
        "--remind",
        metavar="DAYS",
        min=0,
        help="ics: a reminder this many business days before each deadline (0: none).",
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file instead of stdout."
    ),
) -> None:
    """List deadlines per party, overdue first, with staged deadlines apart: the date, days
    left, whether it is overdue (passed with items not certified complete), the letter and
    its items. `--format ics` writes them for Outlook or Google Calendar; re-importing a later
    export updates the same events (stable UIDs) rather than adding copies.

    Exit codes: 0 success (with --check: nothing due); 1 with --check when a deadline is
    overdue or due within the window; 2 error.
    """
    from gaptrack.reports.calendar import render_deadlines, render_ics
    from gaptrack.service.browse import deadlines

    engine = state(ctx).engine
    when = parse_date(as_of, option="--as-of") or dt.date.today()
    window = due_within if due_within is not None else (CHECK_WINDOW if check else None)
    slug = _party_slug(engine, party)
    rows = deadlines(engine, as_of=when, party=slug)
    if window is not None:
        rows = [r for r in rows if r.overdue or 0 <= r.days_left <= window]
    if fmt is DeadlineFormat.ICS:
        stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
        data = render_ics(rows, remind_days=remind, stamp=stamp)
        if output is None:
            typer.echo(data.decode("utf-8"), nl=False)
        else:
            output.write_bytes(data)
    else:
        emit(render_deadlines(rows, fmt.value, as_of=when, due_within=window), output)
    if check and rows:
        raise typer.Exit(EXIT_DUE)


def _party_slug(engine: Engine, party: str | None) -> str | None:
    if party is None:
        return None
    from sqlmodel import Session

    from gaptrack.models import Party
    from gaptrack.service.lookup import resolve

    with Session(engine) as session:
        return resolve(session, Party, party).slug


def register(app: typer.Typer) -> None:
    app.command("deadlines")(deadlines_command)
