"""What every screen shares: the database, the ``as_of`` date, who is acting, where exports go.

The engine is opened lazily, from a worker thread: opening may run migrations, and nothing
that touches the database may run on the UI thread (docs/architecture.md §6).
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


@dataclass
class TuiState:
    url: str
    as_of: dt.date  # every gap computation uses this, never the clock
    actor: str = "tui"
    export_dir: Path = field(default_factory=Path.cwd)
    _engine: Engine | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def engine(self) -> Engine:
        """The engine; call only from a worker thread (the first call may migrate)."""
        with self._lock:
            if self._engine is None:
                # Imported here, in the worker: the core's imports cost more than a first
                # paint should (see bench/bench_tui.py).
                from gaptrack.db import open_database

                self._engine = open_database(self.url)
            return self._engine

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None


def state_of(node: Any) -> TuiState:
    """The app's state, from any widget or screen (avoids importing the app: no cycles)."""
    value = node.app.state
    assert isinstance(value, TuiState)
    return value
