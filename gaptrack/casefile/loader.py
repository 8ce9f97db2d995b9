"""Load case files: validate all of them, then write all of them in one transaction.

Rows are matched on natural keys (slugs; request + item number; Bates prefix + number +
suffix; party + privilege-log entry number; an event's time, actor and action), so a second
load of the same files writes nothing and records no event. Documents get their matching
keys and participants from :func:`gaptrack.derive.derive`, exactly like imported ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.audit import seal
from gaptrack.casefile.catalog import build_catalog, check_against_database
from gaptrack.casefile.load_documents import productions_and_documents
from gaptrack.casefile.load_history import events, known_items, privilege_logs
from gaptrack.casefile.load_parties import committees_and_parties, requests_and_items
from gaptrack.casefile.loadstate import LoadState, T
from gaptrack.casefile.prune import describe, prune
from gaptrack.casefile.reader import ParsedFile, read_case_file
from gaptrack.casefile.report import FileReport, LoadReport
from gaptrack.errors import CaseFileError
from gaptrack.search import rebuild_index
from gaptrack.service.events import utcnow
from gaptrack.writers import writing


def read_all(paths: Sequence[str | Path]) -> list[ParsedFile]:
    """Parse and validate every file (the first problem raises)."""
    unique = list(dict.fromkeys(str(p) for p in paths))
    return [read_case_file(p) for p in unique]


class _DryRun(Exception):
    """Raised inside the load's transaction to roll it back (``dry_run``)."""


def load_parsed(
    engine: Engine, files: list[ParsedFile], *, actor: str = "cli", prune_undeclared: bool = False,
    dry_run: bool = False,
) -> LoadReport:
    """Load ``files`` in one transaction. Undeclared links are kept and listed in the report
    (``not_declared``), or removed as events with ``prune_undeclared``; ``dry_run`` reports
    what the load would do and changes nothing."""
    cat = build_catalog(files)
    reports = [FileReport(f.name) for f in files]
    result = LoadReport(reports, pruned=prune_undeclared)
    what = "load of " + ", ".join(Path(f.name).name for f in files)
    try:
        with writing(engine, actor=actor, what=what[:200]), engine.begin() as conn:
            check_against_database(conn, cat)
            before = conn.execute(sa.select(sa.func.max(T["event"].c.id))).scalar() or 0
            load = LoadState(conn, cat, reports)
            committees_and_parties(load)
            requests_and_items(load)
            productions_and_documents(load)
            privilege_logs(load)
            known_items(load)
            events(load, actor)
            if any(r.updated.get("document") for r in reports):  # words changed in place
                rebuild_index(conn)
            at = utcnow()
            result.not_declared = describe(conn, load.undeclared)
            if prune_undeclared:
                prune(conn, load.undeclared, result.not_declared, at, actor)
            for parsed, report in zip(files, reports, strict=True):
                if report.changed:
                    conn.execute(sa.insert(T["event"]).values(
                        at=at, actor=actor, action="load", entity="casefile",
                        entity_key=Path(report.file).name[:200],
                        reason=f"loaded {report.file}",
                        data={**report.to_dict(), "sha256": parsed.sha256},
                    ))
            seal(conn, conn.execute(
                sa.select(T["event"].c.id).where(T["event"].c.id > before)
            ).scalars().all())
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except sa.exc.IntegrityError as exc:
        # The checks above catch what they can name a line for; this is the safety net.
        raise CaseFileError(
            f"conflicts with the database: {exc.orig}", file=", ".join(f.name for f in files)
        ) from exc
    return result


def load_case_files(
    engine: Engine, paths: Sequence[str | Path], *, actor: str = "cli",
    prune_undeclared: bool = False, dry_run: bool = False,
) -> LoadReport:
    """Validate ``paths``, then load them all in one transaction (all or nothing)."""
    return load_parsed(engine, read_all(paths), actor=actor,
                       prune_undeclared=prune_undeclared, dry_run=dry_run)
