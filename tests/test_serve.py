"""``gaptrack serve``: a real server in a subprocess, its page fetched over loopback; any
other address is refused without ``--i-know-there-is-no-login``."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from gaptrack.cli.serve import is_loopback, tui_command_line
from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str, deadline: float) -> tuple[int, str]:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture
def server(sqlite_engine: Engine, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "gaptrack", "--db", str(sqlite_engine.url.database), "serve",
         "--port", str(port)],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        yield process, port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_serves_the_page_over_loopback(server: tuple[subprocess.Popen[bytes], int]) -> None:
    process, port = server
    status, page = fetch(f"http://127.0.0.1:{port}/", time.monotonic() + 60)
    assert process.poll() is None
    assert status == 200
    assert "xterm.css" in page  # the browser terminal
    assert f"ws://127.0.0.1:{port}/ws" in page  # where the browser connects to run the app
    # Connect as the page does: the server starts the app, whose screen arrives as bytes.
    screen = asyncio.run(app_output(f"ws://127.0.0.1:{port}/ws?width=80&height=24", b"parties"))
    assert b"parties" in screen  # the main screen's summary line: "0 parties · ..."


async def app_output(url: str, wanted: bytes, timeout: float = 90) -> bytes:
    import aiohttp

    received = b""
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
        await ws.send_json(["resize", {"width": 80, "height": 24}])
        deadline = time.monotonic() + timeout
        while wanted not in received and time.monotonic() < deadline:
            try:
                message = await ws.receive(timeout=max(deadline - time.monotonic(), 0.1))
            except TimeoutError:
                break
            if message.type == aiohttp.WSMsgType.BINARY:
                received += message.data
            elif message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                break
    return received


def test_other_addresses_are_refused_without_the_flag(sqlite_engine: Engine) -> None:
    port = free_port()
    result = subprocess.run(
        [sys.executable, "-m", "gaptrack", "--db", str(sqlite_engine.url.database), "serve",
         "--host", "0.0.0.0", "--port", str(port)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert "has no login" in result.stderr
    assert "--i-know-there-is-no-login" in result.stderr
    with socket.socket() as s:  # nothing was bound
        assert s.connect_ex(("127.0.0.1", port)) != 0


def test_loopback_addresses() -> None:
    assert all(is_loopback(h) for h in ["127.0.0.1", "localhost", "::1", "127.0.0.2", "[::1]"])
    assert not any(is_loopback(h) for h in ["0.0.0.0", "::", "192.168.1.5", "example.org"])


def test_the_database_url_is_not_on_the_command_line() -> None:
    line = tui_command_line(None, "cli")
    assert line.endswith("-m gaptrack --actor cli tui") and "sqlite" not in line
