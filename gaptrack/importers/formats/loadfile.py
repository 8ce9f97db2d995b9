"""Concordance DAT load files (and the Opticon OPT beside them) as an importer.

The reading is :mod:`gaptrack.importers.dat`, the mapping :class:`~gaptrack.importers.mapping.
DatMapper`; this module decides how a load runs: the header row or the layout of the party's
previous volume, a mapping child for large files (:mod:`gaptrack.importers.pipeline`), the
SQLite bulk-load mode and the indexes rebuilt after a big load, and the OPT's page counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection

from gaptrack.errors import LoadFileError
from gaptrack.importers.dat import DatRecord
from gaptrack.importers.delimited import CONCORDANCE, CSV, Dialect, dialect_of, open_reader
from gaptrack.importers.encoding import detect_bytes, detect_encoding, normalise_encoding
from gaptrack.importers.fieldmap import (
    build_field_map,
    looks_like_header,
    normalise_field_name,
    parse_overrides,
)
from gaptrack.importers.indexes import (
    IN_ORDER_INDEXES,
    defer_indexes,
    indexes_left_empty,
    rebuild_indexes,
)
from gaptrack.importers.mapping import columns_left_empty
from gaptrack.importers.opt import image_file_beside, read_documents
from gaptrack.importers.pipeline import (
    ChildMapper,
    LocalMapper,
    MapSettings,
    mapping_child,
    worth_a_child,
)
from gaptrack.importers.qc import field_report, page_report
from gaptrack.importers.run import Run, SourceInput, file_sha256
from gaptrack.models import SourceKind

# From about this size (≈ 50,000 records of ~300 bytes) a DAT is a bulk load: SQLite writes
# it with the rollback journal (db.bulk_load) and, if it is at least as big as the
# table, rebuilds the random-keyed indexes after it (big_load).
BULK_LOAD_MIN_BYTES = 15_000_000


def require_file(path: Path) -> None:
    if not path.is_file():
        raise LoadFileError("no such file", file=path)


def overrides_of(value: Any) -> dict[str, str]:
    """``--map`` values, as FIELD=COLUMN strings or a dict."""
    if isinstance(value, dict):
        return dict(value)
    return parse_overrides(list(value or ()))


def codec_of(path: Path, encoding: str | None) -> str:
    try:
        return normalise_encoding(encoding) if encoding else detect_encoding(path)
    except LookupError as exc:
        raise LoadFileError(f"unknown encoding {encoding!r}", file=path) from exc


def sqlite_tuning(conn: Connection) -> None:
    # A 48 MB page cache for the import's connection: enough for the indexes written in key
    # order; the others are rebuilt at the end of a big load (indexes.defer_indexes), whose
    # sorting needs memory of its own. Sized so that a million-record import — this
    # process plus its mapping child (importers.pipeline) — peaks under 300 MB RSS; 64 MB
    # was ~3 % faster at 100k records but pushed the pair over.
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA cache_size = -49152")


def big_load(conn: Connection, size: int) -> bool:
    """Worth rebuilding indexes: a bulk load of ``size`` bytes at least as big (≈ records of
    300 bytes) as the table."""
    if size < BULK_LOAD_MIN_BYTES:
        return False
    existing = conn.exec_driver_sql("SELECT max(id) FROM document").scalar() or 0
    return size // 300 >= int(existing)


# Folders a production volume keeps its load files in.
DATA_FOLDERS = frozenset(("data", "dat", "loadfiles", "load files", "load_files", "loadfile"))


def _chain(first: DatRecord, rest: Iterator[DatRecord]) -> Iterator[DatRecord]:
    yield first
    yield from rest


def _looks_like_dat(path: Path) -> bool:
    """Its first line, decoded, is text holding Concordance's DC4 separator."""
    with path.open("rb") as handle:
        head = handle.read(65536)
    if b"\x14" not in head or head.startswith(b"PK\x03\x04"):
        return False
    first = head.decode(detect_bytes(head), errors="replace").split("\n", 1)[0]
    return "\x14" in first and "\x00" not in first and "\ufffd" not in first


class DatImporter:
    name = "dat"
    kind = SourceKind.DAT
    target = "documents"
    summary = "Concordance DAT load file (þ quotes, DC4 separators), with its Opticon OPT"
    options: tuple[str, ...] = (
        "opt", "encoding", "map", "bates_prefix", "delimiter", "quote", "newline", "text_root"
    )
    default_dialect = CONCORDANCE

    def detect(self, path: Path) -> bool:
        return path.is_file() and _looks_like_dat(path)

    always_header = False  # the first record is always the column names

    def dialect(self, run: Run) -> Dialect:
        return dialect_of(run.option("delimiter"), run.option("quote"), run.option("newline"),
                          self.default_dialect)

    def open_records(self, run: Run) -> tuple[Any, str]:
        """The reader of the file's records, and the encoding it decodes with."""
        codec = codec_of(run.path, run.option("encoding"))
        return open_reader(run.path, codec, self.dialect(run)), codec

    def sources(self, path: Path) -> list[Path]:
        require_file(path)
        return [path]

    def prepare(
        self, path: Path, options: dict[str, Any]
    ) -> AbstractContextManager[ChildMapper | None]:
        """The child process that will read and map ``path``, if it is to have one."""
        opt = options.get("opt")
        if opt is not None:
            require_file(Path(opt))
        root = options.get("text_root")
        if root is not None and not Path(root).is_dir():  # bad input, before any work
            raise LoadFileError("the text root is not a folder", file=root, field="--text-root")
        return mapping_child(worth_a_child(path.stat().st_size, options.get("pipeline")))

    def bulk(self, path: Path) -> bool:
        return path.stat().st_size >= BULK_LOAD_MIN_BYTES

    def load(self, run: Run) -> None:
        path, report, conn = run.path, run.report, run.conn
        reader, codec = self.open_records(run)
        report.encoding = run.inputs[0].encoding = codec
        overrides = overrides_of(run.option("map"))
        records = iter(reader)
        first = next(records, None)
        if first is None:
            raise LoadFileError("the file holds no records", file=path)
        previous = run.previous_fields()
        named = {normalise_field_name(c) for c in overrides.values() if not c.isdigit()}
        header = self.always_header or looks_like_header(first.values) or bool(
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
        fields = build_field_map(columns, overrides, file=str(path))
        if "begin_bates" not in fields.index:
            raise LoadFileError(
                "no Bates column found; name one with --map begin_bates=COLUMN "
                f"(columns: {', '.join(columns)})",
                file=path,
                line=first.line,
                field="begin_bates",
            )
        report.fields = field_report(
            columns, fields.mapping(), fields.unmapped, header, previous if header else None
        )
        self.has_ends = "end_bates" in fields.index
        # Generic "column N" names say nothing about the layout: keep no field list then.
        keep = header or (previous is not None and columns == previous[1])
        made = run.open_production(field_names=columns if keep else None)
        assert made.id is not None
        sqlite_tuning(conn)
        child: ChildMapper | None = run.state
        deferred: list[str] = []
        if big_load(conn, path.stat().st_size):
            kept = indexes_left_empty(fields.index)
            if child is not None:
                kept += IN_ORDER_INDEXES
            deferred = defer_indexes(conn, keep=kept)
        writer = run.open_writer(unfilled=columns_left_empty(fields.index))
        text_base = Path(run.option("text_root", path.parent))
        if not text_base.is_dir():
            raise LoadFileError("the text root is not a folder", file=text_base,
                                field="--text-root")
        # A volume's load file sits in DATA/ beside TEXT/, NATIVES/, IMAGES/: text paths are
        # also looked for from the volume (unless --text-root names the root).
        volume = (path.parent.parent if run.option("text_root") is None
                  and path.parent.name.casefold() in DATA_FOLDERS else None)
        report.text_root = str(text_base) if volume is None else f"{text_base} (then {volume})"
        settings = MapSettings(
            path=path,
            encoding=codec,
            fields=fields,
            file=str(path),
            bates_prefix=run.option("bates_prefix"),
            text_base=text_base,
            text_volume=volume,
            sqlite_dates=True,  # UTC text on both backends (see pgrows)
            skip_first=header,
            rows=writer.plan,  # rows made ready for the writer by the mapper
            dialect=getattr(reader, "dialect", CONCORDANCE),
        )
        source: LocalMapper | ChildMapper
        if child is not None:
            records.close()  # the child reads the file itself
            child.start(settings)
            source = child
        else:
            source = LocalMapper(settings, iter(data), reader)
        try:
            report.records = write_mapped(run, source)
        finally:
            source.close()
        report.text_files_missing += source.text_missing
        report.text_files_outside += int(source.extra.get("text_outside", 0))
        run.inputs[0].records = report.records
        rebuild_indexes(conn, deferred)

    def finish(self, run: Run) -> None:
        """The OPT's page counts: filled where the DAT has none, reconciled where it has."""
        opt = run.option("opt")
        if opt is None:
            opt = image_file_beside(run.path)
            if opt is not None:
                run.findings.append(f"the image load file beside it was read: {opt.name}")
        if opt is None:
            if not self.has_ends:
                run.findings.append("the DAT has no ENDBATES column and no OPT or LFP was "
                                    "given: each document is taken to end where it begins")
            return
        opt = Path(opt)
        writer, made = run.writer, run.production
        assert writer is not None and made is not None and made.id is not None
        opt_sha = file_sha256(opt)
        first_chunk = True
        batch: list[Any] = []
        for document in read_documents(opt, detect_encoding(opt), run.option("bates_prefix")):
            batch.append(document)
            if len(batch) >= writer.chunk:
                writer.stage_opt(batch, first=first_chunk)
                first_chunk, batch = False, []
        writer.stage_opt(batch, first=first_chunk)
        page_check = page_report(run.conn, made.id, 0)
        page_check.filled_from_opt = writer.apply_opt()
        run.report.page_check = page_check
        if not self.has_ends:
            ended = writer.apply_opt_ends()
            run.findings.append(f"the DAT has no ENDBATES column: the ends of {ended} "
                                "documents were taken from the OPT's last pages")
        if run.loaded_before(opt_sha, SourceKind.OPT):
            # The same image file came with an earlier volume (a re-sent OPT): it is used,
            # but recorded once.
            run.findings.append(f"{opt} was already loaded with an earlier volume")
            return
        run.extra_sources.append(SourceInput(
            opt, opt_sha, SourceKind.OPT, records=page_check.opt_documents,
            details={"dat": str(run.path)},
        ))


class StructuredLoadFileImporter(DatImporter):
    """A load file whose records a library reads whole (EDRM XML, a workbook): read in this
    process (no mapping child, no bulk mode: such files are small), its header always its
    first record; the subclass gives ``detect`` and ``open_records``."""

    kind = SourceKind.DAT
    options = ("map", "bates_prefix", "opt")
    always_header = True

    def prepare(self, path: Path, options: dict[str, Any]) -> nullcontext[None]:
        return nullcontext()

    def bulk(self, path: Path) -> bool:
        return False


class DelimitedImporter(DatImporter):
    """A load file in CSV (or, with --delimiter/--quote/--newline, pipe, caret, tab…)."""

    name = "csv"
    summary = "Delimited load file (CSV by default; --delimiter, --quote, --newline), with an OPT"
    default_dialect = CSV

    def detect(self, path: Path) -> bool:
        suffix = path.suffix.lower()
        return path.is_file() and suffix in (".csv", ".txt", ".tsv", ".dat") and bool(
            _separator(path)
        )

    def dialect(self, run: Run) -> Dialect:
        """CSV, or the separator its header row shows (pipe, caret, tab, semicolon) when none
        is given."""
        delimiter = run.option("delimiter")
        if delimiter is None:
            delimiter = _separator(run.path) or None
        return dialect_of(delimiter, run.option("quote"), run.option("newline"), CSV)


def _separator(path: Path) -> str:
    """The separator that splits the first line into a load file's header ("" if none)."""
    with path.open("rb") as handle:
        first = handle.readline(65536).decode("utf-8", "replace").lstrip("\ufeff")
    for separator in (",", "|", "^", "\t", ";"):  # ";": Excel where "," is the decimal mark
        names = [c.strip().strip('"') for c in first.split(separator)]
        if len(names) > 1 and looks_like_header(names):
            return separator
    return ""


def write_mapped(run: Run, source: LocalMapper | ChildMapper | Any) -> int:
    """Write the prepared rows a mapper yields, counting the records read (good and bad);
    bad ones go to ``run.bad``. Ends with the writer flushed."""
    writer, bad = run.writer, run.bad
    assert writer is not None
    seen = 0  # counted in a local: the report is a Pydantic model, slow to write to
    for ready in source.batches():
        seen += ready.records
        for error in ready.errors:
            bad(error)
        written = writer.written
        writer.add_prepared(ready.rows)
        if writer.written != written:
            run.progress(ready.bytes_read, writer.written)
    writer.flush()
    run.progress(source.bytes_read, writer.written)
    return seen
