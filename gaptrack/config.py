"""Where the database lives: ``--db`` beats ``GAPTRACK_DATABASE_URL`` beats the user data dir."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

ENV_URL = "GAPTRACK_DATABASE_URL"
ENV_ACTOR = "GAPTRACK_ACTOR"


def default_database_path() -> Path:
    return Path(user_data_dir("gaptrack", appauthor=False)) / "gaptrack.db"


def database_url(db: str | None = None) -> str:
    """Turn a ``--db`` value (a path or a URL), the environment, or the default into a URL."""
    value = db or os.environ.get(ENV_URL)
    if value is None:
        path = default_database_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    if "://" in value:
        # Accept the common short forms of a PostgreSQL URL; psycopg 3 is the driver we ship.
        if value.startswith("postgres://"):
            value = "postgresql://" + value.removeprefix("postgres://")
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def resolve_actor(given: str | None) -> str:
    """The actor a face records: ``given`` (``--actor``), else :func:`default_actor`; one the
    event log cannot store is an :class:`gaptrack.errors.InputError`."""
    from gaptrack.limits import ACTOR_WIDTH, check_text

    return check_text(given or default_actor(), ACTOR_WIDTH, "--actor")


def default_actor() -> str:
    """Who the event log names when no ``--actor`` is given: ``$GAPTRACK_ACTOR``, else the OS
    user (so two staff on one database keep their own undo)."""
    import getpass

    value = os.environ.get(ENV_ACTOR, "").strip()
    if value:
        return value
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment or the password database
        return "unknown"
