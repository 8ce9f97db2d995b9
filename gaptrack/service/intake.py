"""Production intake: load a DAT/OPT pair, a mailbox or a privilege log in one transaction.

Each import is all or nothing: the rows, the production, the ``source_file`` records (with
the SHA-256 that makes a second load of the same file a no-op) and the event are written in
one transaction, and a bad record rolls all of it back unless ``skip_bad`` is set. The result
is an :class:`~gaptrack.importers.qc.IntakeReport`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, select

from gaptrack.collector import collector_paused
from gaptrack.db import bulk_load
from gaptrack.errors import ConflictError, LoadFileError
from gaptrack.gaps.materialise import refresh_derived
from gaptrack.importers import privlog as privlog_format
from gaptrack.importers.dat import DatReader, DatRecord
from gaptrack.importers.encoding import detect_encoding, normalise_encoding
from gaptrack.importers.fieldmap import (
    build_field_map,
    looks_like_header,
    normalise_field_name,
    parse_overrides,
)
from gaptrack.importers.mail import mail_files, read_file
from gaptrack.importers.mapping import (
    DocumentDraft,
    check_limits,
    columns_left_empty,
    mail_prefix,
    map_mail,
)
from gaptrack.importers.opt import read_documents
from gaptrack.importers.pipeline import ChildMapper, LocalMapper, MapSettings
from gaptrack.importers.qc import (
    BadRecord,
    IntakeReport,
    bates_report,
    email_report,
    field_report,
    findings,
    page_report,
)
from gaptrack.importers.writer import (
    IN_ORDER_INDEXES,
    BulkWriter,
    defer_indexes,
    indexes_left_empty,
    rebuild_indexes,
)
from gaptrack.models import (
    Party,
    PrivilegeEntry,
    Production,
    ProductionRequest,
    Request,
    SourceFile,
    SourceKind,
)
from gaptrack.search import index_production
from gaptrack.service.events import record, utcnow
from gaptrack.service.lookup import resolve

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


def _require_file(path: Path) -> None:
    if not path.is_file():
        raise LoadFileError("no such file", file=path)


def _loaded(
    session: Session, sha: str, kind: SourceKind, party_id: int | None
) -> SourceFile | None:
    return session.exec(
        select(SourceFile).where(
            SourceFile.sha256 == sha, SourceFile.kind == kind, SourceFile.party_id == party_id
        )
    ).first()


def _owner(session: Session, report: IntakeReport, party: str) -> tuple[Party, int]:
    """The producing party, as typed (slug, name or alias), recorded on the report."""
    owner = resolve(session, Party, party)
    report.party = owner.slug
    assert owner.id is not None
    return owner, owner.id


def _already(report: IntakeReport, existing: SourceFile, session: Session) -> IntakeReport:
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


def _new_production(
    session: Session,
    *,
    party: Party,
    name: str,
    load_format: str,
    received: dt.date | None,
    answers: Sequence[str],
    field_names: list[str] | None = None,
) -> Production:
    slug = slugify(name)
    if session.exec(select(Production).where(Production.slug == slug)).first() is not None:
        raise ConflictError(
            f"production {slug!r} already exists; give this volume its own --production name"
        )
    assert party.id is not None
    production = Production(
        slug=slug,
        party_id=party.id,
        volume=name,
        date_received=received or utcnow().date(),
        load_format=load_format,
        field_names=field_names,
    )
    session.add(production)
    session.flush()
    for text in answers:
        request = resolve(session, Request, text)
        assert production.id is not None and request.id is not None
        session.add(ProductionRequest(production_id=production.id, request_id=request.id))
    session.flush()
    return production


def _finish_production(conn: Connection, production: Production, writer: BulkWriter) -> None:
    """Counts and Bates range of the production: as the writer counted them on the way in
    (SQLite), or else from its documents (one query)."""
    index_production(conn, production.id)  # full-text index, in the import's transaction
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


def _source_file(
    session: Session,
    *,
    path: Path,
    sha: str,
    kind: SourceKind,
    party: Party,
    production: Production | None,
    encoding: str | None,
    records: int,
    details: dict[str, Any] | None,
) -> SourceFile:
    source = SourceFile(
        production_id=production.id if production else None,
        party_id=party.id,
        kind=kind,
        path=str(path)[:1000],
        sha256=sha,
        size=path.stat().st_size,
        encoding=encoding,
        records=records,
        loaded_at=utcnow(),
        details=details,
    )
    session.add(source)
    session.flush()
    return source


def _previous_fields(session: Session, party_id: int) -> tuple[str, list[str]] | None:
    row = session.exec(
        select(Production)
        .where(Production.party_id == party_id, col(Production.field_names).is_not(None))
        .order_by(col(Production.date_received).desc(), col(Production.id).desc())
    ).first()
    if row is None or not row.field_names:
        return None
    return row.volume, list(row.field_names)


def _sqlite_tuning(conn: Connection) -> None:
    # A 48 MB page cache for the import's connection: enough for the indexes written in key
    # order; the others are rebuilt at the end of a big load (writer.defer_indexes), whose
    # sorting needs memory of its own. Sized so that a million-record import — this
    # process plus its mapping child (importers.pipeline) — peaks under 300 MB RSS; 64 MB
    # was ~3 % faster at 100k records but pushed the pair over.
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA cache_size = -49152")


# From about this size (≈ 30,000 records) a DAT is read and mapped in a child process while
# this one writes (importers.pipeline): the child costs ~0.3 s to start.
PIPELINE_MIN_BYTES = 8_000_000


def _use_pipeline(path: Path, wanted: bool | None) -> bool:
    if wanted is not None:
        return wanted
    return (os.cpu_count() or 1) >= 2 and path.stat().st_size >= PIPELINE_MIN_BYTES


# From about this size (≈ 50,000 records of ~300 bytes) a DAT is a bulk load: SQLite writes
# it with the rollback journal (db.bulk_load) and, if it is at least as big as the
# table, rebuilds the random-keyed indexes after it (_big_load).
BULK_LOAD_MIN_BYTES = 15_000_000


@contextmanager
def _mapping_child(path: Path, wanted: bool | None) -> Iterator[ChildMapper | None]:
    """The child process that will read and map ``path``, if it is to have one (stopped
    on the way out, whatever happens)."""
    if not _use_pipeline(path, wanted):
        yield None
        return
    child = ChildMapper()
    try:
        yield child
    finally:
        child.close()


def _bulk(path: Path) -> bool:
    return path.stat().st_size >= BULK_LOAD_MIN_BYTES


def _big_load(conn: Connection, path: Path) -> bool:
    """Worth rebuilding indexes: a bulk load at least as big (≈ records) as the table."""
    if not _bulk(path):
        return False
    existing = conn.exec_driver_sql("SELECT max(id) FROM document").scalar() or 0
    return path.stat().st_size // 300 >= int(existing)


def import_dat(
    engine: Engine,
    dat: Path,
    *,
    party: str,
    production: str,
    opt: Path | None = None,
    answers: Sequence[str] = (),
    encoding: str | None = None,
    field_map: Sequence[str] | dict[str, str] = (),
    skip_bad: bool = False,
    bates_prefix: str | None = None,
    received: dt.date | None = None,
    actor: str = "cli",
    progress: Progress | None = None,
    pipeline: bool | None = None,
    text_root: Path | None = None,
) -> IntakeReport:
    """Load a Concordance DAT (and its Opticon OPT) as a new production of ``party``.

    TEXTPATH files are read only from inside ``text_root`` (default: the DAT's folder);
    paths that point elsewhere are reported, never read.

    ``pipeline`` reads and maps the records in a child process while this one writes
    (:mod:`gaptrack.importers.pipeline`); by default it does so for large files on a machine
    with more than one core. Either way the same rows are written.
    """
    dat = Path(dat)
    _require_file(dat)
    if opt is not None:
        opt = Path(opt)
        _require_file(opt)
    overrides = dict(field_map) if isinstance(field_map, dict) else parse_overrides(field_map)
    text_base = Path(text_root) if text_root is not None else dat.parent
    if not text_base.is_dir():
        raise LoadFileError("the text root is not a folder", file=text_base, field="--text-root")
    with (
        _mapping_child(dat, pipeline) as child,  # first: its start overlaps the hashing
        collector_paused(),
        engine.connect() as conn,
        bulk_load(conn) if _bulk(dat) else nullcontext(),
        conn.begin(),
        Session(bind=conn) as session,
    ):
        sha = file_sha256(dat)
        report = IntakeReport(kind="dat", source=str(dat), sha256=sha, party=party)
        owner, owner_id = _owner(session, report, party)
        existing = _loaded(session, sha, SourceKind.DAT, owner_id)
        if existing is not None:
            return _already(report, existing, session)
        try:
            codec = normalise_encoding(encoding) if encoding else detect_encoding(dat)
        except LookupError as exc:
            raise LoadFileError(f"unknown encoding {encoding!r}", file=dat) from exc
        report.encoding = codec
        report.text_root = str(text_base)
        reader = DatReader(dat, codec)
        records = iter(reader)
        first = next(records, None)
        if first is None:
            raise LoadFileError("the file holds no records", file=dat)
        previous = _previous_fields(session, owner_id)
        named = {normalise_field_name(c) for c in overrides.values() if not c.isdigit()}
        header = looks_like_header(first.values) or bool(
            named and named <= {normalise_field_name(v) for v in first.values}
        )
        if header:
            columns = [c.strip() for c in first.values]
            data: Iterable[DatRecord] = records
        else:
            width = len(first.values)
            if previous is not None and len(previous[1]) == width:
                columns = previous[1]  # a headerless volume follows its predecessor's layout
            else:
                columns = [f"column {i}" for i in range(1, width + 1)]
            data = _chain(first, records)
        fields = build_field_map(columns, overrides, file=str(dat))
        if "begin_bates" not in fields.index:
            raise LoadFileError(
                "no Bates column found; name one with --map begin_bates=COLUMN "
                f"(columns: {', '.join(columns)})",
                file=dat,
                line=first.line,
                field="begin_bates",
            )
        report.fields = field_report(
            columns, fields.mapping(), fields.unmapped, header, previous if header else None
        )
        made = _new_production(
            session,
            party=owner,
            name=production,
            load_format="dat",
            received=received,
            answers=answers,
            # Generic "column N" names say nothing about the layout: keep no field list then.
            field_names=columns if (header or (previous is not None and columns == previous[1]))
            else None,
        )
        report.production = made.slug
        assert made.id is not None
        _sqlite_tuning(conn)
        deferred: list[str] = []
        if _big_load(conn, dat):
            kept = indexes_left_empty(fields.index)
            if child is not None:
                kept += IN_ORDER_INDEXES
            deferred = defer_indexes(conn, keep=kept)
        bad = BadRecords(skip_bad)
        writer = BulkWriter(
            conn, production_id=made.id, party_id=owner_id, file=str(dat), on_bad=bad,
            unfilled=columns_left_empty(fields.index),
        )
        settings = MapSettings(
            path=dat,
            encoding=codec,
            fields=fields,
            file=str(dat),
            bates_prefix=bates_prefix,
            text_base=text_base,
            sqlite_dates=conn.dialect.name == "sqlite",
            skip_first=header,
            rows=writer.plan,  # SQLite: rows made ready for executemany by the mapper
        )
        source: LocalMapper | ChildMapper
        if child is not None:
            records.close()  # type: ignore[attr-defined]  # the child reads the file itself
            child.start(settings)
            source = child
        else:
            source = LocalMapper(settings, iter(data), reader)
        # Counted in a local: the report is a Pydantic model, whose attribute writes are slow.
        seen = report.records
        try:
            if settings.rows is not None:
                for ready in source.batches():
                    seen += ready.records
                    for error in ready.errors:
                        bad(error)
                    written = writer.written
                    writer.add_prepared(ready.rows)
                    if progress is not None and writer.written != written:
                        progress(ready.bytes_read, writer.written)
            else:
                mapped = 0
                chunk = writer.chunk
                add = writer.add
                for item in source:
                    seen += 1
                    if isinstance(item, LoadFileError):
                        bad(item)
                        continue
                    add(item)
                    mapped += 1
                    if progress is not None and mapped % chunk == 0:
                        progress(source.bytes_read, writer.written)
        finally:
            source.close()
            report.records = seen
        report.text_files_missing += source.text_missing
        report.text_files_outside += source.text_outside
        writer.flush()
        if progress is not None:
            progress(source.bytes_read, writer.written)
        if writer.written == 0:
            raise LoadFileError("no record could be loaded", file=dat)
        report.documents = writer.written
        rebuild_indexes(conn, deferred)
        report.orphan_attachments = writer.link_families()
        report.attachments_linked = writer.families - report.orphan_attachments
        opt_sha = file_sha256(opt) if opt is not None else None
        if opt is not None:
            first_chunk = True
            batch: list[Any] = []
            for document in read_documents(opt, detect_encoding(opt), bates_prefix):
                batch.append(document)
                if len(batch) >= writer.chunk:
                    writer.stage_opt(batch, first=first_chunk)
                    first_chunk, batch = False, []
            writer.stage_opt(batch, first=first_chunk)
            page_check = page_report(conn, made.id, 0)
            page_check.filled_from_opt = writer.apply_opt()
            report.page_check = page_check
        writer.resolve_parties()
        _finish_production(conn, made, writer)
        session.add(made)
        session.flush()
        report.pages = made.page_count
        report.bates = bates_report(conn, made.id, owner_id, writer.bates)
        report.email_metadata = email_report(conn, made.id, writer.tally)
        report.bad_count, report.bad_records = bad.count, bad.listed
        report.findings = findings(report)
        opt_known = opt_sha is not None and _loaded(session, opt_sha, SourceKind.OPT, owner_id)
        if opt_known:
            # The same image file came with an earlier volume (a re-sent OPT): it is used,
            # but recorded once.
            report.findings.append(f"{opt} was already loaded with an earlier volume")
        writer.close()
        details = report.model_dump(mode="json")
        _source_file(
            session,
            path=dat,
            sha=sha,
            kind=SourceKind.DAT,
            party=owner,
            production=made,
            encoding=codec,
            records=report.records,
            details=details,
        )
        if opt is not None and opt_sha is not None and not opt_known:
            assert report.page_check is not None
            _source_file(
                session,
                path=opt,
                sha=opt_sha,
                kind=SourceKind.OPT,
                party=owner,
                production=made,
                encoding=None,
                records=report.page_check.opt_documents,
                details={"dat": str(dat)},
            )
        record(
            session,
            actor=actor,
            action="import.dat",
            entity="production",
            entity_id=made.id,
            key=made.slug,
            data={
                "file": str(dat),
                "sha256": sha,
                "documents": report.documents,
                "bad": report.bad_count,
            },
        )
        session.flush()
    refresh_derived(engine)  # derived facts follow writes, never reads
    return report


def _chain(first: DatRecord, rest: Iterator[DatRecord]) -> Iterator[DatRecord]:
    yield first
    yield from rest


def import_mail(
    engine: Engine,
    path: Path,
    *,
    party: str,
    production: str,
    bates_prefix: str | None = None,
    answers: Sequence[str] = (),
    skip_bad: bool = False,
    received: dt.date | None = None,
    actor: str = "cli",
    progress: Progress | None = None,
) -> IntakeReport:
    """Load EML files, a folder of them, or an MBOX as a new production, numbering Bates."""
    path = Path(path)
    files = mail_files(path)
    if not files:
        raise LoadFileError("no EML or MBOX files found", file=path)
    hashes = [(f, file_sha256(f)) for f in files]
    combined = hashlib.sha256("".join(h for _, h in hashes).encode()).hexdigest()
    report = IntakeReport(kind="mail", source=str(path), sha256=combined, party=party)
    with engine.begin() as conn, Session(bind=conn) as session:
        owner, owner_id = _owner(session, report, party)
        todo: list[tuple[Path, str]] = []
        seen: set[str] = set()
        for file, sha in hashes:
            if sha in seen or _loaded(session, sha, SourceKind.MAIL, owner_id) is not None:
                report.skipped_files.append(str(file))
                continue
            seen.add(sha)
            todo.append((file, sha))
        if not todo:
            existing = _loaded(session, hashes[0][1], SourceKind.MAIL, owner_id)
            assert existing is not None
            _already(report, existing, session)
            if len(hashes) > 1:
                report.message = (
                    f"all {len(hashes)} files under {path} were already loaded (same SHA-256); "
                    "nothing changed"
                )
            return report
        made = _new_production(
            session,
            party=owner,
            name=production,
            load_format="mail",
            received=received,
            answers=answers,
        )
        assert made.id is not None
        report.production = made.slug
        prefix = bates_prefix or mail_prefix(production)
        m = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        last = conn.exec_driver_sql(
            f"SELECT max(bates_end) FROM document WHERE bates_prefix = {m}", (prefix,)
        ).scalar()
        number = int(last or 0) + 1
        bad = BadRecords(skip_bad)
        writer = BulkWriter(
            conn, production_id=made.id, party_id=owner_id, file=str(path), on_bad=bad
        )
        done_bytes = 0
        per_file: list[tuple[Path, str, int]] = []
        for file, sha in todo:
            count = 0
            file_bytes = 0
            messages = read_file(file)
            for message, file_bytes in messages:
                report.records += 1
                count += 1
                if isinstance(message, LoadFileError):
                    bad(message)
                    continue
                drafts: list[DocumentDraft] = map_mail(message, prefix, number)
                problem = next(filter(None, (check_limits(d) for d in drafts)), None)
                if problem is not None:
                    bad(LoadFileError(problem[1], file=file, line=message.number,
                                      field=problem[0]))
                    continue
                number += len(drafts)
                for draft in drafts:
                    writer.add(draft)
                if progress is not None and report.records % 500 == 0:
                    progress(done_bytes + file_bytes, writer.written)
            done_bytes += file.stat().st_size
            per_file.append((file, sha, count))
        writer.flush()
        if progress is not None:
            progress(done_bytes, writer.written)
        if writer.written == 0:
            raise LoadFileError("no message could be loaded", file=path)
        report.documents = writer.written
        report.orphan_attachments = writer.link_families()
        report.attachments_linked = writer.families - report.orphan_attachments
        writer.resolve_parties()
        _finish_production(conn, made, writer)
        made.bates_prefix = prefix
        session.add(made)
        session.flush()
        report.bates = bates_report(conn, made.id, owner_id, writer.bates)
        report.email_metadata = email_report(conn, made.id, writer.tally)
        report.bad_count, report.bad_records = bad.count, bad.listed
        report.findings = findings(report)
        writer.close()
        details = report.model_dump(mode="json")
        for file, sha, count in per_file:
            _source_file(
                session,
                path=file,
                sha=sha,
                kind=SourceKind.MAIL,
                party=owner,
                production=made,
                encoding=None,
                records=count,
                details=details if file == per_file[0][0] else None,
            )
        record(
            session,
            actor=actor,
            action="import.mail",
            entity="production",
            entity_id=made.id,
            key=made.slug,
            data={"path": str(path), "files": len(per_file), "documents": report.documents},
        )
        session.flush()
    refresh_derived(engine)  # derived facts follow writes, never reads
    return report


def import_privlog(
    engine: Engine,
    path: Path,
    *,
    party: str,
    production: str | None = None,
    encoding: str | None = None,
    field_map: Sequence[str] | dict[str, str] = (),
    skip_bad: bool = False,
    actor: str = "cli",
) -> IntakeReport:
    """Load a privilege log (CSV) of ``party``; columns mapped like the DAT importer's."""
    path = Path(path)
    _require_file(path)
    overrides = dict(field_map) if isinstance(field_map, dict) else parse_overrides(field_map)
    sha = file_sha256(path)
    report = IntakeReport(kind="privlog", source=str(path), sha256=sha, party=party)
    with engine.begin() as conn, Session(bind=conn) as session:
        owner, owner_id = _owner(session, report, party)
        existing = _loaded(session, sha, SourceKind.PRIVLOG, owner_id)
        if existing is not None:
            return _already(report, existing, session)
        made = resolve(session, Production, production) if production else None
        report.production = made.slug if made else None
        try:
            codec = normalise_encoding(encoding) if encoding else detect_encoding(path)
        except LookupError as exc:
            raise LoadFileError(f"unknown encoding {encoding!r}", file=path) from exc
        report.encoding = codec
        bad = BadRecords(skip_bad)
        log = privlog_format.PrivilegeLogReader(path, codec, overrides)
        rows: list[privlog_format.PrivilegeRow] = []
        seen: set[str] = set()
        taken = set(
            session.exec(
                select(PrivilegeEntry.entry_no).where(PrivilegeEntry.party_id == owner_id)
            ).all()
        )
        for item in log:
            report.records += 1
            if isinstance(item, LoadFileError):
                bad(item)
                continue
            if item.entry_no in seen or item.entry_no in taken:
                where = "earlier in this file" if item.entry_no in seen else "already loaded"
                bad(
                    LoadFileError(
                        f"duplicate entry number {item.entry_no!r} ({where})",
                        file=path,
                        line=item.line,
                        field=log.column_name("entry_no"),
                    )
                )
                continue
            seen.add(item.entry_no)
            rows.append(item)
        if not rows:
            raise LoadFileError("no privilege-log entry could be loaded", file=path)
        assert log.fields is not None
        report.fields = field_report(
            log.fields.columns, log.fields.mapping(), log.fields.unmapped, True, None
        )
        report.entries = len(rows)
        report.bad_count, report.bad_records = bad.count, bad.listed
        report.findings = findings(report)
        source = _source_file(
            session,
            path=path,
            sha=sha,
            kind=SourceKind.PRIVLOG,
            party=owner,
            production=made,
            encoding=codec,
            records=report.records,
            details=report.model_dump(mode="json"),
        )
        table: Any = PrivilegeEntry.__table__  # type: ignore[attr-defined]
        conn.execute(
            sa.insert(table),
            [
                {
                    "party_id": owner_id,
                    "production_id": made.id if made else None,
                    "source_file_id": source.id,
                    **r.values(),
                }
                for r in rows
            ],
        )
        record(
            session,
            actor=actor,
            action="import.privlog",
            entity="party",
            entity_id=owner_id,
            key=owner.slug,
            data={"file": str(path), "sha256": sha, "entries": len(rows)},
        )
        session.flush()
    refresh_derived(engine)  # derived facts follow writes, never reads
    return report
