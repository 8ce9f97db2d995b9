"""The ``source_file`` rows of an import: each file read, by SHA-256, so that loading the
same file again changes nothing — asked for every file at once, and written in one
statement (a maildir sends hundreds of thousands)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlmodel import Session, select

from gaptrack.importers.qcreport import IntakeReport
from gaptrack.models import Production, SourceFile, SourceKind
from gaptrack.service.events import record, utcnow

if TYPE_CHECKING:
    from gaptrack.importers.run import Run


def loaded(
    session: Session, sha: str, kind: SourceKind, party_id: int | None
) -> SourceFile | None:
    return session.exec(
        select(SourceFile).where(
            SourceFile.sha256 == sha, SourceFile.kind == kind, SourceFile.party_id == party_id
        )
    ).first()


def loaded_digests(
    session: Session, digests: list[str], kind: SourceKind, party_id: int | None
) -> set[str]:
    """Which of ``digests`` were loaded before (as :func:`loaded`, for many files at once: a
    maildir of half a million messages asked one query per file)."""
    found: set[str] = set()
    for at in range(0, len(digests), 500):
        found.update(session.exec(
            select(SourceFile.sha256).where(
                SourceFile.sha256.in_(digests[at:at + 500]),  # type: ignore[attr-defined]
                SourceFile.kind == kind, SourceFile.party_id == party_id,
            )
        ).all())
    return found


def already(report: IntakeReport, existing: SourceFile, session: Session) -> IntakeReport:
    production = session.get(Production, existing.production_id) if existing.production_id else None
    where = f" as production {production.slug!r}" if production else ""
    report.already_loaded = True
    report.production = production.slug if production else None
    report.message = (
        f"{report.source} was already loaded on {existing.loaded_at:%Y-%m-%d %H:%M}{where} "
        f"(same SHA-256); nothing changed"
    )
    report.encoding = existing.encoding
    report.records = existing.records
    return report


def record_sources(run: Run) -> None:
    """A ``source_file`` row per file read (the SHA-256 that makes a reload a no-op), and the
    event."""
    report, session = run.report, run.session
    details = report.model_dump(mode="json")
    made = run.production
    now = utcnow()
    rows: list[dict[str, Any]] = [
        {
            "production_id": made.id if made else None,
            "party_id": run.owner_id,
            "kind": source.kind,
            "path": str(source.path)[:1000],
            "sha256": source.sha,
            "size": source.path.stat().st_size,
            "encoding": source.encoding,
            "records": source.records,
            "loaded_at": now,
            "details": source.details if source.details is not None or index else details,
        }
        for index, source in enumerate([*run.inputs, *run.extra_sources])
    ]
    # The import's own row first, as an object: its id is what the event and QC cite.
    first = SourceFile.model_validate(rows[0]) if rows else None
    if first is not None:
        session.add(first)
        session.flush()
    if len(rows) > 1:  # one statement for the rest (a maildir sends hundreds of thousands)
        session.execute(sa.insert(SourceFile).values(), rows[1:])
    run.source_id = first.id if first is not None else None
    data: dict[str, Any] = {
        "path": str(run.path),
        "files": len(run.inputs),
        "sha256": report.sha256,
        "bad": report.bad_count,
    }
    if run.importer.target == "documents":
        data["documents"] = report.documents
        entity, entity_id, key = "production", made.id if made else None, made.slug if made else ""
    else:
        data["entries"] = report.entries
        entity, entity_id, key = "party", run.owner_id, run.owner.slug
    record(session, actor=run.request.actor, action=f"import.{run.importer.name}",
           entity=entity, entity_id=entity_id, key=key, data=data)
