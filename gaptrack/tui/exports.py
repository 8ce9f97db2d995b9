"""Write the status report and a deficiency letter to files (run from a worker thread)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def status_report_text(engine: Engine, as_of: dt.date) -> str:
    from gaptrack.service import gaps

    return gaps.status_report(engine, as_of=as_of, fmt="md")


def letter_text(engine: Engine, as_of: dt.date, party: str) -> str:
    from gaptrack.service import gaps

    return gaps.draft_letter(engine, party=party, as_of=as_of, fmt="md")


def export_status(engine: Engine, as_of: dt.date, directory: Path) -> Path:
    path = directory / f"gaptrack-status-{as_of.isoformat()}.md"
    path.write_text(status_report_text(engine, as_of), encoding="utf-8")
    return path


def export_letter(engine: Engine, as_of: dt.date, party: str, directory: Path) -> Path:
    path = directory / f"gaptrack-letter-{party}-{as_of.isoformat()}.md"
    path.write_text(letter_text(engine, as_of, party), encoding="utf-8")
    return path
