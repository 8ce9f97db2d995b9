"""The README's screenshots, exported by the app itself (``App.save_screenshot``).

``gaptrack demo --screenshots DIR`` runs the app headless on the demo cases, walks through the
main screens and writes one SVG per screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable

from gaptrack.tui.app import GaptrackApp

SIZE = (140, 40)


async def _idle(pilot: Pilot[Any]) -> None:
    for _ in range(100):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in pilot.app.workers):
            return


async def _row(pilot: Pilot[Any], selector: str, key: str) -> None:
    table = pilot.app.screen.query_one(selector, DataTable)
    table.move_cursor(row=table.get_row_index(key))
    await _idle(pilot)


async def save_screenshots(app: GaptrackApp, directory: Path, party: str = "kushner"
                           ) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []

    def shot(name: str) -> None:
        saved.append(Path(app.save_screenshot(f"{name}.svg", str(directory))))

    async with app.run_test(size=SIZE) as pilot:
        await _idle(pilot)
        shot("main")
        await _row(pilot, "#parties", party)
        await pilot.press("enter")
        await _idle(pilot)
        shot("party")
        await pilot.press("h")  # the party's threads across productions
        await _idle(pilot)
        shot("threads")
        await pilot.press("escape", "v")  # its coverage heat map
        await _idle(pilot)
        shot("coverage")
        await pilot.press("escape")
        await _idle(pilot)
        await pilot.press("g")
        await _idle(pilot)
        shot("gaps")
        await pilot.press("escape", "T")
        await _idle(pilot)
        shot("deadlines")
        await pilot.press("escape", "C")
        await _idle(pilot)
        shot("letters")
        await pilot.press("escape", "D")
        await _idle(pilot)
        shot("documents")
        await pilot.press("escape", "question_mark")
        await _idle(pilot)
        shot("help")
        await pilot.press("escape")
    return saved
