"""What every command shares: the database URL and a lazily opened engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import typer

from gaptrack.config import database_url

if TYPE_CHECKING:  # the database layer is imported by the commands that open one
    from sqlalchemy.engine import Engine


@dataclass
class AppState:
    db: str | None = None
    actor: str = "cli"
    _engine: Engine | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return database_url(self.db)

    @property
    def engine(self) -> Engine:
        """For commands that write: creates and migrates the database when needed."""
        if self._engine is None:
            from gaptrack.db import open_database

            self._engine = open_database(self.url)
        return self._engine

    @property
    def existing(self) -> Engine:
        """For commands that read: the database must exist (``NotFoundError`` otherwise)."""
        if self._engine is None:
            from gaptrack.db import open_existing

            self._engine = open_existing(self.url)
        return self._engine

    def close(self) -> None:
        """Close the engine's pooled connections (a server sees the client leave at once)."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def state(ctx: typer.Context) -> AppState:
    root = ctx.find_root()
    if not isinstance(root.obj, AppState):
        root.obj = AppState()
    return root.obj
