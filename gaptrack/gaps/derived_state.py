"""The ``derived_state`` rows: what each refresh of derived facts last saw, by name."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gaptrack.gaps import sql as t
from gaptrack.service.events import utcnow


def read_state(connection: Connection, name: str) -> dict[str, Any] | None:
    """The data saved under ``name``, or None when no refresh has saved any."""
    data = connection.execute(
        sa.select(t.derived_state.c.data).where(t.derived_state.c.name == name)
    ).scalar()
    if isinstance(data, str):  # some drivers hand JSON back as text
        data = json.loads(data)
    return data if isinstance(data, dict) else None


def write_state(connection: Connection, name: str, data: dict[str, Any]) -> None:
    """Save ``data`` under ``name`` (update, else insert), stamped with the one clock."""
    table, now = t.derived_state, utcnow()
    done = connection.execute(
        sa.update(table).where(table.c.name == name).values(data=data, updated_at=now)
    ).rowcount
    if not done:
        connection.execute(sa.insert(table).values(name=name, data=data, updated_at=now))


def digest_tables(connection: Connection, tables: Sequence[tuple[sa.Table, Sequence[str]]]) -> str:
    """A signature of what these columns of these tables hold (sorted): what a derivation
    rests on, so that a refresh can tell whether its inputs changed."""
    digest = hashlib.sha256()
    for table, columns in tables:
        cols = [table.c[c] for c in columns]
        rows = connection.execute(sa.select(*cols).order_by(*cols)).all()
        digest.update(table.name.encode())
        digest.update(repr([tuple(r) for r in rows]).encode())  # a Row's own repr is slow
    return digest.hexdigest()


def only_added(connection: Connection, id_column: Any, *, after: int, before: int,
               now: int) -> bool:
    """Whether rows were only added to ``id_column``'s table since a refresh that saw
    ``before`` rows with ids up to ``after``: those plus the rows above ``after`` make the
    ``now`` there are. A removal does not add up, even when later rows took its ids."""
    newer = connection.execute(
        sa.select(sa.func.count()).select_from(id_column.table).where(id_column > after)
    ).scalar_one()
    return before + int(newer) == now
