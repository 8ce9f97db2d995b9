"""Constants and loaders shared by the TUI tests (fixtures live in conftest.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.engine import Engine

from gaptrack.service.cases import load_case_files

FIXTURES = Path(__file__).resolve().parents[2] / "gaptrack" / "demo" / "cases"
# The day of the Judiciary Committee's deficiency letter to Kushner's counsel: fixed, so gaps,
# overdue flags and snapshots never depend on the clock.
AS_OF = dt.date(2017, 11, 16)
SIZE = (140, 40)


def load_demo(engine: Engine) -> None:
    load_case_files(engine, sorted(FIXTURES.glob("*.yaml")), actor="fixture")
