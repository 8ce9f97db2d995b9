"""A real terminal: tmux runs ``python -m gaptrack demo``; keys go in, ``capture-pane`` reads
the screen. Waits poll the screen with a generous limit; nothing asserts on time."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    TMUX is None, reason="tmux is not installed (apt-get install tmux): the real-terminal test "
    "drives `gaptrack demo` through it"
)


class Terminal:
    def __init__(self, socket: str, session: str) -> None:
        self.base = [str(TMUX), "-L", socket]
        self.session = session

    def tmux(self, *args: str) -> str:
        return subprocess.run([*self.base, *args], capture_output=True, text=True,
                              check=False).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.session)

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.session, *keys)

    def wait_for(self, *texts: str, limit: float = 90.0) -> str:
        deadline = time.monotonic() + limit
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(t in screen for t in texts):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"never saw {texts!r}; the screen was:\n{screen}")

    def alive(self) -> bool:
        return subprocess.run([*self.base, "has-session", "-t", self.session],
                              capture_output=True, check=False).returncode == 0


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    socket = f"gaptrack-test-{os.getpid()}"
    term = Terminal(socket, "demo")
    python = ROOT / ".venv" / "bin" / "python"
    command = f"cd {ROOT} && {python if python.exists() else sys.executable} -m gaptrack demo"
    env = {"HOME": str(tmp_path), "PATH": os.environ.get("PATH", ""), "TERM": "xterm-256color",
           "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    subprocess.run([*term.base, "-f", "/dev/null", "new-session", "-d", "-s", "demo", "-x", "140",
                    "-y", "40", command], check=True, env=env)
    yield term
    term.tmux("kill-server")


def test_demo_shows_parties_then_kushners_gaps(terminal: Terminal) -> None:
    # "outstanding gaps" is in the caption once the gap engine's counts replace the overview.
    screen = terminal.wait_for("Jared Kushner", "outstanding gaps", "as of 2017-11-16")
    assert "OVERDUE" in screen

    # Under heavy load the first keys have been seen to miss the filter (1 run in ~10 with
    # the rest of the suite running beside it); try again rather than fail on a lost key.
    for attempt in range(3):
        terminal.keys("/")
        terminal.keys("-l", "kush")
        try:
            terminal.wait_for("kush", limit=15)
            break
        except AssertionError:
            if attempt == 2:
                raise
            terminal.keys("Escape")
    terminal.keys("Enter")  # to the table
    # Likewise, an Enter that lands while the filtered table is being refilled opens
    # nothing (seen once with the suite beside it): press it again, as a person would.
    for attempt in range(3):
        terminal.keys("Enter")  # open the party
        try:
            terminal.wait_for("Requests & items", "sjc-2017-10-18", limit=20)
            break
        except AssertionError:
            if attempt == 2:
                raise
    terminal.keys("g")
    screen = terminal.wait_for("HICKS-000101", "inferred")
    assert "DJTFP-0000340" in screen

    terminal.keys("C-q")
    deadline = time.monotonic() + 30
    while terminal.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not terminal.alive()
