"""The terminal app stays up while a real import writes to its database.

Opened during a large import, the app used to die with ``database is locked`` from a worker
started with ``exit_on_error=True``. Here a real ``gaptrack import dat`` runs in another process
while the app reloads its main screen again and again; the app must keep running (waiting,
retrying or saying the database is busy) and show the data once the import has finished.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy.engine import Engine
from textual.pilot import Pilot
from textual.widgets import DataTable

from gaptrack.importers.generate import generate_dat
from gaptrack.tui.app import GaptrackApp
from tui.demo import AS_OF, SIZE
from tui.pilot import rows, settle

RECORDS = 20_000  # a few seconds of writing: long enough to overlap many reloads


async def _reload_until_done(app: GaptrackApp, pilot: Pilot[None],
                             importer: subprocess.Popen[str]) -> int:
    """Press reload while the import runs; the number of reloads made during it."""
    reloads = 0
    deadline = time.monotonic() + 300
    while importer.poll() is None and time.monotonic() < deadline:
        await pilot.press("r")
        reloads += 1
        await pilot.pause(0.25)
        assert app.is_running
    return reloads


async def test_the_app_survives_a_real_import(demo_engine: Engine, demo_url: str,
                                              tmp_path: Path) -> None:
    dat = generate_dat(tmp_path / "big.dat", RECORDS, prefix="BIG-")
    app = GaptrackApp(demo_url, as_of=AS_OF, actor="tester", export_dir=tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        before = rows(app.screen.query_one("#parties", DataTable))
        importer = subprocess.Popen(
            [sys.executable, "-m", "gaptrack", "--db", demo_url, "import", "dat", str(dat),
             "--party", "kushner", "--production", "big-vol"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            reloads = await _reload_until_done(app, pilot, importer)
            _, stderr = importer.communicate(timeout=300)
        finally:
            if importer.poll() is None:
                importer.kill()
        assert importer.returncode == 0, stderr
        assert reloads >= 2, "the import ended before the app could reload during it"
        await pilot.press("r")
        await settle(pilot)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(w.is_running for w in app.workers):
            await pilot.pause(0.1)
        await settle(pilot)
        assert app.is_running
        after = rows(app.screen.query_one("#parties", DataTable))
        assert [r[0] for r in after] == [r[0] for r in before]  # every party still listed
        errors = [n.message for n in app._notifications
                  if n.severity == "error" and "busy" not in n.message.lower()]
        assert not errors, errors
