"""The headless core never imports Textual; every command explains itself."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import click
import typer.main
from click.testing import CliRunner

from gaptrack.cli.main import COMMANDS, app

PACKAGE = Path(__file__).resolve().parent.parent / "gaptrack"


def core_modules() -> list[str]:
    """Every module of the package except the TUI (a face) and the migration scripts."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[1:2] in (("tui",), ("migrations",)) or parts[-1] == "__main__":
            continue
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_core_imports_without_textual() -> None:
    modules = core_modules()
    assert "gaptrack.gaps.engine" in modules and "gaptrack.cli.main" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'textual')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_the_tui_does_import_textual() -> None:
    """The check above can fail: importing the TUI package does load Textual."""
    code = "import sys, gaptrack.tui.app; print('textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "True"


def _commands(group: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    if isinstance(group, click.Group):
        ctx = click.Context(group)
        for name in group.list_commands(ctx):  # the root's commands load on first use
            command = group.get_command(ctx, name)
            assert command is not None, (*path, name)
            found.extend(_commands(command, (*path, name)))
    return found


def test_every_command_has_help() -> None:
    root = typer.main.get_command(app)
    paths = _commands(root)
    assert len(paths) > 3
    for path in paths:
        command: click.Command = root
        for name in path:
            assert isinstance(command, click.Group)
            command = command.get_command(click.Context(command), name)  # type: ignore[assignment]
        assert (command.help or command.short_help or "").strip(), f"no help: {path}"
        # In process: each command's --help through Click's own runner (a subprocess per
        # command cost over a minute); the test below runs the real entry point once.
        result = CliRunner().invoke(root, [*path, "--help"], prog_name="gaptrack")
        assert result.exit_code == 0, (path, result.output)
        assert "Usage:" in result.output


def test_the_command_table_matches_the_commands() -> None:
    """The root lists each command from COMMANDS without importing it: each entry names the
    module that registers the command, and its summary opens the command's own help."""
    for name, lazy in COMMANDS.items():
        staging = typer.Typer()
        importlib.import_module(f"gaptrack.cli.{lazy.module}").register(staging)
        command = typer.main.get_group(staging).commands.get(name)
        assert command is not None, f"gaptrack.cli.{lazy.module} does not register {name}"
        first = " ".join((command.help or "").split("\n\n")[0].split())
        assert first.startswith(lazy.summary.rstrip(".")), (name, first)
    registered = set()
    for module in {lazy.module for lazy in COMMANDS.values()}:
        staging = typer.Typer()
        importlib.import_module(f"gaptrack.cli.{module}").register(staging)
        registered |= set(typer.main.get_group(staging).commands)
    assert registered == set(COMMANDS)


def test_help_imports_no_command_module() -> None:
    """``gaptrack --help`` lists every command without importing one (nor the database)."""
    code = (
        "import sys\n"
        "from gaptrack.cli.main import run\n"
        "try:\n"
        "    run(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('sqlalchemy', 'gaptrack.models', 'gaptrack.cli.db', 'gaptrack.cli.gaps')\n"
        "print(','.join(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "Usage:" in result.stdout
    assert result.stderr.strip() == ""


def test_the_installed_entry_point_shows_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "gaptrack", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout
