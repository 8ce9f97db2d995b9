"""``gaptrack serve``: the terminal app in a web browser, through ``textual-serve``.

Each browser tab that connects starts its own ``gaptrack tui`` process on the same database.
There is no login: anyone who can reach the port can read and change the case. So the server
binds to the loopback address unless told otherwise, and binding to any other address is
refused unless ``--i-know-there-is-no-login`` is given (with a warning either way).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import shlex
import sys

import typer

from gaptrack.cli.context import state
from gaptrack.cli.dates import parse_date
from gaptrack.config import ENV_URL
from gaptrack.errors import InputError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
NO_LOGIN_WARNING = (
    "warning: gaptrack serve has no login: anyone who can reach {host}:{port} can read and "
    "change every case in this database. Bind to 127.0.0.1 (the default) and use an SSH "
    "tunnel or an authenticating reverse proxy to share it."
)


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name other than localhost: may resolve to anything
        return False


def tui_command_line(as_of: dt.date | None, actor: str) -> str:
    """The command each connection runs. The database URL travels in the environment, not on
    the command line, so a password in it is neither logged nor shown in the process list."""
    args = [sys.executable, "-m", "gaptrack", "--actor", actor, "tui"]
    if as_of is not None:
        args += ["--as-of", as_of.isoformat()]
    return shlex.join(args)


def serve_command(
    ctx: typer.Context,
    host: str = typer.Option(
        DEFAULT_HOST, "--host", help="Address to listen on (default: loopback only)."
    ),
    port: int = typer.Option(DEFAULT_PORT, "--port", min=1, max=65535, help="TCP port."),
    as_of: str | None = typer.Option(
        None, "--as-of", metavar="DATE", help="Open the app as of this date (default: today)."
    ),
    public_url: str | None = typer.Option(
        None, "--public-url", help="The URL browsers use, when it is not http://HOST:PORT."
    ),
    no_login: bool = typer.Option(
        False,
        "--i-know-there-is-no-login",
        help="Allow a --host other than loopback, although the server has no authentication.",
    ),
) -> None:
    """Serve the terminal app to a web browser (textual-serve), on http://127.0.0.1:8000 by
    default. There is no login, so any address other than loopback is refused unless
    --i-know-there-is-no-login is given. Ctrl+C stops the server.

    Exit codes: 0 stopped; 2 error (a refused address, a bad option).
    """
    app_state = state(ctx)
    when = parse_date(as_of, option="--as-of")
    if not is_loopback(host):
        typer.echo(NO_LOGIN_WARNING.format(host=host, port=port), err=True)
        if not no_login:
            raise InputError(
                f"refusing to listen on {host}: add --i-know-there-is-no-login to allow it",
                field="--host",
            )
    os.environ[ENV_URL] = app_state.url  # inherited by every app process
    from textual_serve.server import Server

    server = Server(
        tui_command_line(when, app_state.actor),
        host=host,
        port=port,
        title="gaptrack",
        public_url=public_url,
    )
    server.serve()


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
