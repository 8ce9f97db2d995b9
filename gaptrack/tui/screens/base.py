"""A screen that loads its data in a worker and reloads when an action changes the database."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from gaptrack.tui.messages import DataChanged
from gaptrack.tui.runner import load
from gaptrack.tui.state import TuiState, state_of

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


class DataScreen(Screen[None]):
    loaded = False  # set once the first data reached the widgets (tests and benchmarks wait)

    @property
    def state(self) -> TuiState:
        return state_of(self)

    LOAD_AFTER_FIRST_FRAME = False  # start loading once the screen has painted

    def on_mount(self) -> None:
        if self.LOAD_AFTER_FIRST_FRAME:
            self.call_after_refresh(self.reload)
        else:
            self.reload()

    def reload(self) -> None:
        if not self.loaded:
            # Only the first load shows the indicator: on a reload the old rows stay in view
            # (and keep the focus and cursor) until the new ones arrive.
            self.loading_target().loading = True
        load(self, self.fetch, self._show, group=f"data-{id(self)}")

    def _show(self, data: Any) -> None:
        self.loading_target().loading = False
        self.show(data)
        self.loaded = True

    def loading_target(self) -> Any:
        return self

    def fetch(self, engine: Engine) -> Any:
        """Runs in a worker thread: query and return read models, never touch widgets."""
        raise NotImplementedError

    def show(self, data: Any) -> None:
        """Runs on the UI thread with what ``fetch`` returned."""
        raise NotImplementedError

    def on_data_changed(self, _: DataChanged) -> None:
        self.reload()
