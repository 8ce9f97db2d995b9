"""What a load leaves alone, and what ``load --prune`` removes.

A case file owns only what it declares: a shared party's aliases, addresses and counsel that
no file of this load names (an earlier load's, or added in the TUI) are kept and listed. With
``--prune`` they are removed, each removal an event naming the row, so nothing a user loaded
disappears without a trace.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gaptrack.casefile.store import Undeclared, fetch
from gaptrack.models import metadata

T = metadata.tables
PRUNE = "casefile.prune"
# table -> (the column naming what it holds, how to show it)
_VALUE = {"party_alias": "alias", "party_address": "address", "representation": "counsel_id"}


def _slugs(conn: Connection, table: str, ids: set[int]) -> dict[int, str]:
    return {int(r["id"]): str(r["slug"]) for r in fetch(conn, T[table], "id", ids)}


def describe(conn: Connection, found: Sequence[Undeclared]) -> list[dict[str, Any]]:
    """One plain entry per undeclared row: file, table, the party's slug and the value."""
    parties = _slugs(conn, "party", {int(row["party_id"]) for _, _, row in found})
    counsel = _slugs(conn, "counsel", {int(row["counsel_id"]) for _, table, row in found
                                       if table.name == "representation"})
    out = []
    for report, table, row in found:
        value = row[_VALUE[table.name]]
        out.append({
            "file": Path(report.file).name, "table": table.name,
            "party": parties[int(row["party_id"])],
            "value": counsel[int(value)] if table.name == "representation" else value,
        })
    return out


def prune(conn: Connection, found: Sequence[Undeclared], listed: list[dict[str, Any]],
          at: Any, actor: str) -> None:
    """Delete the undeclared rows, one ``casefile.prune`` event each (sealed by the load)."""
    for (report, table, row), entry in zip(found, listed, strict=True):
        conn.execute(sa.delete(table).where(table.c.id == row["id"]))
        report.removed[table.name] += 1
        conn.execute(sa.insert(T["event"]).values(
            at=at, actor=actor, action=PRUNE, entity="party", entity_id=row["party_id"],
            entity_key=entry["party"],
            reason=f"{entry['table']} {entry['value']!r} not declared by {entry['file']}",
            data={"table": entry["table"], "value": entry["value"], "file": entry["file"]},
        ))
