"""Case files: load them into the database and write the database back out.

The faces call these; the work is done in :mod:`gaptrack.casefile`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.casefile.exporter import export_case as _export_case
from gaptrack.casefile.loader import load_case_files as _load_case_files
from gaptrack.casefile.report import FileReport, LoadReport
from gaptrack.gaps.materialise import refresh_derived
from gaptrack.writers import saved_but_not_derived

__all__ = ["FileReport", "LoadReport", "export_case", "load_case_files"]


def load_case_files(
    engine: Engine, paths: Sequence[str | Path], *, actor: str = "cli",
    prune: bool = False, dry_run: bool = False,
) -> LoadReport:
    """Validate every file, then load them all in one transaction; idempotent.

    Files merge: a shared party's aliases, addresses and counsel that no file declares are
    kept (listed in ``report.not_declared``); ``prune`` removes them, each as an event.
    ``dry_run`` reports what the load would do and changes nothing. Raises
    :class:`gaptrack.errors.CaseFileError` (file, line, field) on bad input, with the
    database left exactly as it was.
    """
    report = _load_case_files(engine, paths, actor=actor, prune_undeclared=prune,
                              dry_run=dry_run)
    if dry_run:
        return report
    if report.changed:
        try:
            refresh_derived(engine)  # derived facts follow writes, never reads
        except sa.exc.DBAPIError as exc:  # the load is saved: say so
            raise saved_but_not_derived("the case files were loaded", exc) from exc
    from gaptrack.service.committees import signatory_warnings

    with engine.connect() as connection:
        report.warnings = signatory_warnings(connection)
    return report


def export_case(engine: Engine) -> str:
    """The whole database as one case file (YAML), deterministically ordered."""
    return _export_case(engine)
