"""The one intake run: every format's import goes through :func:`run_import`.

It owns what all imports share: hashing the source files and the idempotency it gives (a
file loaded before, under the same party, is a no-op that says so), the owning party, the
new production and the requests it answers, the writer, families, party links, the QC
report, the ``source_file`` records and the event — all in one transaction, so a bad record
rolls back everything unless ``skip_bad`` is set. The format (an
:class:`~gaptrack.importers.base.Importer`) only reads and maps.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, select

from gaptrack.collector import collector_paused
from gaptrack.db import bulk_load
from gaptrack.errors import ConflictError, LoadFileError
from gaptrack.gaps.materialise import refresh_derived
from gaptrack.identity.report import participant_report
from gaptrack.importers.base import Importer
from gaptrack.importers.paths import visible_files
from gaptrack.importers.qc import (
    BadRecord,
    IntakeReport,
    bates_report,
    email_report,
    findings,
)
from gaptrack.importers.sources import already, loaded, loaded_digests, record_sources
from gaptrack.importers.writer import BulkWriter
from gaptrack.limits import ACTOR_WIDTH, PRODUCTION_WIDTH, check_text
from gaptrack.models import Party, Production, ProductionRequest, Request, SourceFile, SourceKind
from gaptrack.service.events import utcnow
from gaptrack.service.lookup import resolve
from gaptrack.writers import saved_but_not_derived, writing

# Called with (bytes read so far, records written so far) after every chunk.
Progress = Callable[[int, int], None]
MAX_BAD_LISTED = 1000


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", text.strip().lower()).strip("-")[:64] or "production"


class BadRecords:
    """Strict mode raises the first bad record; ``skip_bad`` lists them and carries on."""

    def __init__(self, skip: bool) -> None:
        self.skip = skip
        self.count = 0
        self.listed: list[BadRecord] = []

    def __call__(self, error: LoadFileError) -> None:
        if not self.skip:
            raise error
        self.count += 1
        if len(self.listed) < MAX_BAD_LISTED:
            self.listed.append(
                BadRecord(file=error.file, line=error.line, field=error.field, reason=error.reason)
            )


@dataclass
class ImportRequest:
    """What the user asked for: who produced it, as which production, and how to read it."""

    party: str
    production: str | None = None
    answers: Sequence[str] = ()
    received: dt.date | None = None
    skip_bad: bool = False
    force: bool = False  # load although the Bates prefix belongs to another party
    actor: str = "cli"
    progress: Progress | None = None
    options: dict[str, Any] = field(default_factory=dict)  # base.OPTIONS the format takes


@dataclass
class SourceInput:
    """A file the import reads (or read before: then it is skipped), with its SHA-256."""

    path: Path
    sha: str
    kind: SourceKind
    records: int = 0
    encoding: str | None = None
    details: dict[str, Any] | None = None  # None: the report, on the first file


class Run:
    """One import in progress: what the format's :meth:`~Importer.load` works with."""

    def __init__(
        self,
        importer: Importer,
        path: Path,
        request: ImportRequest,
        *,
        conn: Connection,
        session: Session,
        report: IntakeReport,
        owner: Party,
        inputs: list[SourceInput],
        state: Any,
    ) -> None:
        self.importer = importer
        self.path = path
        self.request = request
        self.conn = conn
        self.session = session
        self.report = report
        self.owner = owner
        assert owner.id is not None
        self.owner_id: int = owner.id
        self.inputs = inputs  # the files to load (those loaded before are left out)
        self.state = state  # what the format's prepare() set up
        self.bad = BadRecords(request.skip_bad)
        self.production: Production | None = None
        self.writer: BulkWriter | None = None
        self.extra_sources: list[SourceInput] = []  # e.g. the OPT beside a DAT
        self.findings: list[str] = []  # the format's own, after the QC's
        self.empty_message = "no record could be loaded"
        self.bates_prefix: str | None = None  # the production's prefix, when assigned
        self.source_id: int | None = None  # the first source_file row, once recorded

    def option(self, name: str, default: Any = None) -> Any:
        value = self.request.options.get(name)
        return default if value is None else value

    def progress(self, done: int, written: int) -> None:
        if self.request.progress is not None:
            self.request.progress(done, written)

    def open_production(self, *, field_names: list[str] | None = None) -> Production:
        """The new production this import fills (its name must be new)."""
        request = self.request
        name = request.production or self.path.stem
        slug = slugify(name)
        session = self.session
        if session.exec(select(Production).where(Production.slug == slug)).first() is not None:
            raise ConflictError(
                f"production {slug!r} already exists; give this volume its own --production name"
            )
        production = Production(
            slug=slug,
            party_id=self.owner_id,
            volume=name,
            date_received=request.received or utcnow().date(),
            load_format=self.importer.name,
            field_names=field_names,
        )
        session.add(production)
        session.flush()
        for text in request.answers:
            answered = resolve(session, Request, text)
            assert production.id is not None and answered.id is not None
            session.add(ProductionRequest(production_id=production.id, request_id=answered.id))
        session.flush()
        self.production = production
        self.report.production = production.slug
        return production

    def open_writer(self, **options: Any) -> BulkWriter:
        """The bulk writer of the production opened before (``options``: BulkWriter's)."""
        assert self.production is not None and self.production.id is not None
        self.writer = BulkWriter(
            self.conn,
            production_id=self.production.id,
            party_id=self.owner_id,
            file=str(self.path),
            on_bad=self.bad,
            **options,
        )
        return self.writer

    def previous_fields(self) -> tuple[str, list[str]] | None:
        """(volume, field names) of the party's latest production that recorded them."""
        row = self.session.exec(
            select(Production)
            .where(Production.party_id == self.owner_id, col(Production.field_names).is_not(None))
            .order_by(col(Production.date_received).desc(), col(Production.id).desc())
        ).first()
        if row is None or not row.field_names:
            return None
        return row.volume, list(row.field_names)

    def unread_files(self) -> list[Path]:
        """The files below the folder imported that this import neither read nor skipped as
        already loaded (hidden ones left out); none when one file was imported."""
        if not self.path.is_dir():
            return []
        passed = {i.path for i in self.inputs} | {Path(f) for f in self.report.skipped_files}
        return [p for p in visible_files(self.path) if p not in passed]

    def note_files(self, paths: Sequence[Path], says: str, advice: str = "") -> None:
        """A QC finding naming ``paths`` (the first five): "N files in the folder SAYS: …
        ADVICE", so that nothing a production holds is passed over without a word."""
        if not paths:
            return
        shown = ", ".join(str(p.relative_to(self.path)) for p in paths[:5])
        more = f" and {len(paths) - 5} more" if len(paths) > 5 else ""
        tail = f" {advice}" if advice else ""
        self.findings.append(f"{len(paths)} files in the folder {says}: {shown}{more}{tail}")

    def loaded_before(self, sha: str, kind: SourceKind) -> SourceFile | None:
        return loaded(self.session, sha, kind, self.owner_id)


def run_import(
    engine: Engine, importer: Importer, path: Path, request: ImportRequest
) -> IntakeReport:
    """Load ``path`` with ``importer`` for ``request.party``, all or nothing."""
    path = Path(path)
    check_text(request.actor, ACTOR_WIDTH, "--actor")  # before any file is read
    if request.production is not None:
        check_text(request.production, PRODUCTION_WIDTH, "--production")
    files = importer.sources(path)
    with (
        writing(engine, actor=request.actor, what=f"import of {path.name}"),
        importer.prepare(path, request.options) as state,  # first: may overlap the hashing
        collector_paused(),
        engine.connect() as conn,
        bulk_load(conn) if importer.bulk(path) else nullcontext(),
        conn.begin(),
        Session(bind=conn) as session,
    ):
        hashes = [(f, file_sha256(f)) for f in files]
        sha = hashes[0][1] if len(hashes) == 1 else hashlib.sha256(
            "".join(h for _, h in hashes).encode()
        ).hexdigest()
        report = IntakeReport(kind=importer.name, source=str(path), sha256=sha, party=request.party)
        owner = resolve(session, Party, request.party)
        report.party = owner.slug
        inputs: list[SourceInput] = []
        seen: set[str] = set()
        before = loaded_digests(session, [h for _, h in hashes], importer.kind, owner.id)
        for file, digest in hashes:
            if digest in seen or digest in before:
                report.skipped_files.append(str(file))
                continue
            seen.add(digest)
            inputs.append(SourceInput(file, digest, importer.kind))
        if not inputs:
            existing = loaded(session, hashes[0][1], importer.kind, owner.id)
            assert existing is not None
            already(report, existing, session)
            report.skipped_files = report.skipped_files if len(hashes) > 1 else []
            if len(hashes) > 1:
                report.message = (
                    f"all {len(hashes)} files under {path} were already loaded (same SHA-256); "
                    "nothing changed"
                )
            return report
        run = Run(importer, path, request, conn=conn, session=session, report=report,
                  owner=owner, inputs=inputs, state=state)
        if importer.target == "documents":
            _load_documents(run)
            record_sources(run)
        else:  # read and checked first; written under the source_file row it cites
            importer.load(run)
            _close_report(run)
            record_sources(run)
            importer.finish(run)
        session.flush()
        # The writer linked the production's participants (writer.resolve_parties).
        linked = run.production.id if run.production is not None else None
    try:
        refresh_derived(engine, linked=linked)  # derived facts follow writes, never reads
    except sa.exc.DBAPIError as exc:  # the import is saved: say so, not "nothing changed"
        raise saved_but_not_derived(
            f"the import was saved ({report.documents} documents, production "
            f"{report.production})", exc) from exc
    return report


def _load_documents(run: Run) -> None:
    """The format streams its documents into the writer; then the shared tail."""
    run.importer.load(run)
    writer, made, report, conn = run.writer, run.production, run.report, run.conn
    assert writer is not None and made is not None and made.id is not None
    if writer.written == 0:
        raise LoadFileError(run.empty_message, file=run.path)
    report.documents = writer.written
    report.orphan_attachments = writer.link_families()
    report.attachments_linked = writer.families - report.orphan_attachments
    run.importer.finish(run)
    writer.resolve_parties()
    _finish_production(conn, made, writer)
    if run.bates_prefix is not None:
        made.bates_prefix = run.bates_prefix
    run.session.add(made)
    run.session.flush()
    report.pages = made.page_count
    report.bates = bates_report(conn, made.id, run.owner_id, writer.bates)
    _check_prefix_owner(run, [p.prefix for p in report.bates.prefixes])
    report.email_metadata = email_report(conn, made.id, writer.tally)
    report.participants = participant_report(conn, made.id)
    _close_report(run)
    writer.close()


def _check_prefix_owner(run: Run, prefixes: list[str]) -> None:
    """Refuse a production whose Bates prefix another party's productions use — the usual
    sign of an import under the wrong party — unless ``force`` (then it is a finding)."""
    if not prefixes:
        return
    owners = run.session.exec(
        select(Production.bates_prefix, Party.slug)
        .join(Party, col(Party.id) == Production.party_id)
        .where(col(Production.bates_prefix).in_(prefixes), Production.party_id != run.owner_id)
        .order_by(col(Production.bates_prefix), col(Party.slug))
    ).all()
    if not owners:
        return
    named = "; ".join(f"{prefix!r} is {slug!r}'s" for prefix, slug in dict(owners).items())
    if not run.request.force:
        raise ConflictError(
            f"the Bates prefix belongs to another party ({named}); is this "
            f"{run.owner.slug!r}'s production? Import it under its owner, or pass --force"
        )
    run.findings.append(f"loaded with --force although the Bates prefix is another party's "
                        f"({named})")


def _close_report(run: Run) -> None:
    report = run.report
    report.bad_count, report.bad_records = run.bad.count, run.bad.listed
    report.findings = findings(report) + run.findings


def _finish_production(conn: Connection, production: Production, writer: BulkWriter) -> None:
    """Counts and Bates range of the production: as the writer counted them on the way in
    (SQLite), or else from its documents (one query)."""
    tally = writer.tally
    if tally is not None:
        production.doc_count = tally.documents
        production.page_count = tally.pages
        production.bates_first = tally.bates_first
        production.bates_last = tally.bates_last
        production.bates_prefix = tally.first_prefix
        return
    m = writer.sql.mark
    row = conn.exec_driver_sql(
        "SELECT count(*), sum(page_count), min(bates_begin), max(bates_end) FROM document"
        f" WHERE production_id = {m}",
        (production.id,),
    ).one()
    first_prefix = conn.exec_driver_sql(
        f"SELECT bates_prefix FROM document WHERE production_id = {m} ORDER BY id LIMIT 1",
        (production.id,),
    ).scalar()
    production.doc_count = int(row[0])
    production.page_count = int(row[1]) if row[1] is not None else None
    production.bates_first = int(row[2]) if row[2] is not None else None
    production.bates_last = int(row[3]) if row[3] is not None else None
    production.bates_prefix = first_prefix


