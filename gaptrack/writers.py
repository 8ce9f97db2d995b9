"""Who is writing: a claim file next to a SQLite database, read when a write must wait.

SQLite has one writer at a time; a second import or load waits (the busy timeout) and then
fails. So that it fails naming the writer in the way — "alice's import of vol1.dat (pid
4242) since 14:02" — an import or a load notes itself in ``<database>.writer`` (created
exclusively: the first writer's note stays while it works; a note left by a process that
is gone is replaced) and removes the note when done. PostgreSQL takes row locks and needs
no note: there a busy write is still a clean :class:`DatabaseError`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.db import is_busy
from gaptrack.errors import DatabaseError


def claim_path(engine: Engine) -> Path | None:
    """``<database>.writer`` for a SQLite file, None otherwise."""
    if engine.dialect.name != "sqlite":
        return None
    name = engine.url.database or ""
    if name.startswith("file:"):
        name = name[5:].split("?", 1)[0]
    if not name or name == ":memory:":
        return None
    return Path(name).with_name(Path(name).name + ".writer")


def _alive(note: dict[str, Any]) -> bool:
    if note.get("host") != socket.gethostname():
        return True  # another machine's process: cannot tell, so trust it
    try:
        os.kill(int(note.get("pid", 0)), 0)
    except ProcessLookupError:
        return False
    except (OSError, ValueError):
        return True
    return True


def read_claim(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    try:
        note = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return note if isinstance(note, dict) else None


def _take(path: Path, note: dict[str, Any]) -> bool:
    """Write ``note`` if no live writer has one there; whether it is ours now."""
    for _ in range(2):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            held = read_claim(path)
            if held is not None and _alive(held):
                return False
            with suppress(OSError):
                path.unlink()  # a note left by a process that is gone
            continue
        except OSError:
            return False  # a read-only folder: the write itself will say what is wrong
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(note, out)
        except OSError:  # a full disk: no note, and the write itself will say so
            with suppress(OSError):
                path.unlink()
            return False
        return True
    return False


def busy_error(path: Path | None, exc: BaseException) -> DatabaseError:
    """The clean error for a write that waited in vain, naming the writer when known."""
    note = read_claim(path)
    if note is not None:
        who = (f"{note.get('actor')}'s {note.get('what')} (pid {note.get('pid')} on "
               f"{note.get('host')}, since {note.get('since')})")
    else:
        who = "another program (the TUI, or a writer that left no note)"
    return DatabaseError(
        f"the database is busy: {who} is writing to it; nothing was changed — try again "
        "when it has finished",
        title="Database busy",
    )


@contextmanager
def writing(engine: Engine, *, actor: str, what: str) -> Iterator[None]:
    """Note this process as the writer for the block; a write that times out waiting for
    another writer becomes :func:`busy_error`."""
    path = claim_path(engine)
    note = {"actor": actor, "what": what, "pid": os.getpid(), "host": socket.gethostname(),
            "since": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")}
    mine = path is not None and _take(path, note)
    try:
        yield
    except sa.exc.OperationalError as exc:
        if is_busy(exc):
            raise busy_error(path, exc) from exc
        raise
    finally:
        if mine and path is not None and read_claim(path) == note:
            with suppress(OSError):
                path.unlink()


def saved_but_not_derived(saved: str, exc: BaseException) -> DatabaseError:
    """The error when a write committed and the derived facts after it could not be brought
    up to date (the server went away between the two): the user must not read "nothing was
    changed". The next load, import or action brings them up to date."""
    orig = getattr(exc, "orig", None) or exc
    reason = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    return DatabaseError(
        f"{saved}, but bringing the derived facts (gaps, parties on documents) up to date "
        f"failed: {reason}. The next load, import or action brings them up to date.",
        title="Database error",
    )
