"""The headless core never imports Textual; every command explains itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import typer.main
from click.testing import CliRunner

from gaptrack.cli.main import app

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
        for name, command in group.commands.items():
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
            command = command.commands[name]
        assert (command.help or command.short_help or "").strip(), f"no help: {path}"
        # In process: each command's --help through Click's own runner (a subprocess per
        # command cost over a minute); the test below runs the real entry point once.
        result = CliRunner().invoke(root, [*path, "--help"], prog_name="gaptrack")
        assert result.exit_code == 0, (path, result.output)
        assert "Usage:" in result.output


def test_the_installed_entry_point_shows_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "gaptrack", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout
