"""A command group that imports a sub-command's module only when that command runs.

Importing every command module up front pulled in the whole core (SQLAlchemy, the models, the
case-file schema, the importers, the reports) on every start: over a second before
``gaptrack --help`` printed a line. Here the root knows each command's module and one-line
summary (for its command list), and imports the module on first use.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from difflib import get_close_matches
from typing import ClassVar

import click
import typer
import typer.main
from typer.core import TyperGroup


@dataclass(frozen=True)
class Lazy:
    """Where a command lives (``gaptrack.cli.<module>``, whose ``register(app)`` adds it) and
    the first sentence of its help (tests/test_architecture.py checks that they agree)."""

    module: str
    summary: str


class LazyGroup(TyperGroup):
    """A Typer group whose commands named in ``lazy`` are imported on first use."""

    lazy: ClassVar[dict[str, Lazy]] = {}  # set per subclass (see ``lazy_group``)

    def list_commands(self, ctx: click.Context) -> list[str]:
        # The table's order whatever was loaded first; then any command added directly.
        return [*self.lazy, *(n for n in super().list_commands(ctx) if n not in self.lazy)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            self._load(self.lazy[cmd_name].module)
        return super().get_command(ctx, cmd_name)

    def _load(self, module: str) -> None:
        """Build the module's commands as Typer would, with the root's help style, and adopt
        every one of them (a module registers one or more)."""
        staging = typer.Typer(rich_markup_mode=self.rich_markup_mode)
        importlib.import_module(f"gaptrack.cli.{module}").register(staging)
        built = typer.main.get_group(staging)
        for name, command in built.commands.items():
            self.commands.setdefault(name, command)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from the summaries, so ``--help`` imports no command module."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = []
        for name in names:
            loaded = self.commands.get(name)
            if loaded is not None:
                if loaded.hidden:
                    continue
                rows.append((name, loaded.get_short_help_str(limit)))
            else:
                rows.append((name, click.utils.make_default_short_help(
                    self.lazy[name].summary, limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """Typer's "Did you mean" suggestions, drawn from every command, loaded or not."""
        try:
            return click.Group.resolve_command(self, ctx, args)
        except click.UsageError as exc:
            matches = get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if self.suggest_commands and matches:
                suggestions = ", ".join(f"{m!r}" for m in matches)
                exc.message = f"{exc.message.rstrip('.')}. Did you mean {suggestions}?"
            raise


def lazy_group(commands: dict[str, Lazy]) -> type[LazyGroup]:
    """A ``LazyGroup`` class that knows ``commands`` (Typer takes a class, not an instance)."""
    return type("GaptrackGroup", (LazyGroup,), {"lazy": commands})
