"""``gaptrack tui`` and ``gaptrack demo``: the terminal app on a database, or on the demo cases.

Textual is imported only when the app is about to open, so ``gaptrack --help`` and
``demo --no-tui`` stay fast and the headless core never needs it.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import typer
from sqlalchemy.engine import Engine

from gaptrack.cli.context import state
from gaptrack.cli.dates import parse_date
from gaptrack.db import open_database

# The demo is shown as of the day the Judiciary Committee wrote its deficiency letter to
# Kushner's counsel (docs/architecture.md §1): a fixed date, so the demo shows the same
# gaps every time.
DEMO_AS_OF = dt.date(2017, 11, 16)
SYNTHETIC_AS_OF = dt.date(2017, 9, 1)


AsOfOption = typer.Option(
    None, "--as-of", metavar="DATE", help="Compute gaps as of this date (YYYY-MM-DD)."
)


KeymapOption = typer.Option(
    None, "--keymap", metavar="ID=KEYS,...",
    help="Remap keys by binding id, e.g. 'app.undo=ctrl+z,party.gaps=G' (ids: press ? in the app).",
)


def _keymap(text: str | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        binding_id, sep, keys = part.partition("=")
        if not sep or not binding_id.strip() or not keys.strip():
            raise typer.BadParameter(f"write each remapping as ID=KEYS, not {part!r}")
        out[binding_id.strip()] = keys.strip()
    return out


def _run_app(url: str, as_of: dt.date, actor: str, keymap: dict[str, str] | None = None) -> None:
    from gaptrack.tui.app import GaptrackApp

    GaptrackApp(url, as_of=as_of, actor=actor, keymap=keymap).run()


def tui_command(
    ctx: typer.Context, as_of: str | None = AsOfOption, keymap: str | None = KeymapOption
) -> None:
    """Open the terminal app on the database (--db). Default --as-of: today."""
    app_state = state(ctx)
    url = app_state.url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        # Reading never creates a database (the message is open_existing's).
        from gaptrack.db import open_existing

        open_existing(url)
    # The app opens (and migrates) the database in a worker; errors show in the app.
    when = parse_date(as_of, option="--as-of") or dt.date.today()
    _run_app(app_state.url, when, app_state.actor, _keymap(keymap))


def demo_command(
    ctx: typer.Context,
    as_of: str | None = AsOfOption,
    synthetic: int | None = typer.Option(
        None, "--synthetic", metavar="N",
        help="Build a synthetic case of about N documents instead of loading the demo cases.",
    ),
    no_tui: bool = typer.Option(
        False, "--no-tui", help="Print a summary per party and exit instead of opening the app."
    ),
    keep: Path | None = typer.Option(
        None, "--keep", metavar="FILE",
        help="Write the demo database to FILE (default: a temporary file, removed on exit).",
    ),
    screenshots: Path | None = typer.Option(
        None, "--screenshots", metavar="DIR",
        help="Instead of opening the app, save SVG screenshots of its main screens to DIR.",
    ),
    keymap: str | None = KeymapOption,
) -> None:
    """Load the demo cases into a fresh database and open the terminal app on them."""
    actor = state(ctx).actor
    keys = _keymap(keymap)
    with tempfile.TemporaryDirectory(prefix="gaptrack-demo-") as tmp:
        path = keep.resolve() if keep else Path(tmp) / "demo.db"
        if path.exists():
            raise typer.BadParameter(f"{path} exists; the demo needs a fresh database")
        url = f"sqlite:///{path}"
        engine = open_database(url)
        if synthetic:
            from gaptrack.synthetic import build_synthetic

            build_synthetic(engine, synthetic)
            default_as_of = SYNTHETIC_AS_OF
        else:
            from gaptrack.demo import case_files
            from gaptrack.service.cases import load_case_files

            load_case_files(engine, case_files(), actor=actor)
            default_as_of = DEMO_AS_OF
        when = parse_date(as_of, option="--as-of") or default_as_of
        if no_tui:
            _print_summary(engine, when)
            engine.dispose()
            return
        engine.dispose()
        if screenshots is not None:
            _save_screenshots(url, when, screenshots)
            return
        _run_app(url, when, actor, keys)


def _save_screenshots(url: str, as_of: dt.date, directory: Path) -> None:
    import asyncio

    from gaptrack.tui.app import GaptrackApp
    from gaptrack.tui.screenshots import save_screenshots

    app = GaptrackApp(url, as_of=as_of, actor="demo")
    for path in asyncio.run(save_screenshots(app, directory)):
        typer.echo(f"wrote {path}")


def _print_summary(engine: Engine, as_of: dt.date) -> None:
    from gaptrack.cli.output import OutputFormat, render_rows
    from gaptrack.service import gaps

    rows = [
        {
            "party": s.party,
            "name": s.name,
            "gaps": s.outstanding_gaps,
            "known produced": f"{s.known_produced}/{s.known_total}",
            "next deadline": s.next_deadline,
            "overdue": "yes" if s.overdue else "",
        }
        for s in gaps.party_summaries(engine, as_of=as_of)
    ]
    columns = ["party", "name", "gaps", "known produced", "next deadline", "overdue"]
    typer.echo(render_rows(rows, columns, OutputFormat.TABLE, title=f"Parties as of {as_of}"))


def register(app: typer.Typer) -> None:
    app.command("tui")(tui_command)
    app.command("demo")(demo_command)
