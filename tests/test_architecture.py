"""The headless core never imports Textual; every command explains itself."""

from __future__ import annotations

import subprocess
import sys

import click
import typer.main

from gaptrack.cli.main import app

CORE_MODULES = [
    "gaptrack",
    "gaptrack.models",
    "gaptrack.db",
    "gaptrack.errors",
    "gaptrack.bates",
    "gaptrack.matching",
    "gaptrack.casefile",
    "gaptrack.importers",
    "gaptrack.gaps",
    "gaptrack.reports",
    "gaptrack.service",
    "gaptrack.synthetic",
    "gaptrack.cli.main",
]


def test_core_imports_without_textual() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    try:\n"
        "        module = importlib.import_module(name)\n"
        "    except ModuleNotFoundError as exc:\n"
        "        if exc.name != name: raise\n"
        "        continue\n"
        "    for info in pkgutil.walk_packages(getattr(module, '__path__', []), name + '.'):\n"
        "        skip = ('gaptrack.tui', 'gaptrack.migrations')\n"
        "        if not info.name.startswith(skip) and not info.name.endswith('__main__'):\n"
        "            importlib.import_module(info.name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


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
        result = subprocess.run(
            [sys.executable, "-m", "gaptrack", *path, "--help"],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, (path, result.stderr)
        assert "Usage:" in result.stdout
