"""Helpers shared by tests (no fixtures here: those live in conftest.py)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.models import metadata


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per table: compare before and after to show that bad input changed nothing."""
    with engine.connect() as connection:
        return {
            name: int(
                connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            )
            for name, table in sorted(metadata.tables.items())
        }


def table_snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, sorted: a stronger 'nothing changed' than counts."""
    out: dict[str, list[tuple[object, ...]]] = {}
    with engine.connect() as connection:
        for name, table in sorted(metadata.tables.items()):
            rows = connection.execute(sa.select(table)).all()
            out[name] = sorted((tuple(r) for r in rows), key=repr)
    return out
