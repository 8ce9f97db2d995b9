"""Native mail — EML, MBOX, maildir, any RFC 5322 file — as an importer.

The reading is :mod:`gaptrack.importers.mail`, the mapping
:func:`~gaptrack.importers.mapping.map_mail`. Bates numbers are assigned (``--bates-prefix``,
by default from the production name), continuing after the last number used with the prefix.
A large mailbox is read and mapped in a child process while this one writes, as a large DAT
is (:mod:`gaptrack.importers.pipeline`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from gaptrack.errors import LoadFileError
from gaptrack.importers.formats.loadfile import (
    BULK_LOAD_MIN_BYTES,
    big_load,
    sqlite_tuning,
    write_mapped,
)
from gaptrack.importers.indexes import (
    IN_ORDER_INDEXES,
    defer_indexes,
    indexes_left_empty,
    rebuild_indexes,
)
from gaptrack.importers.mail import MailMessage
from gaptrack.importers.mailfiles import looks_like_mail, mail_files, read_file
from gaptrack.importers.mapi import Skipped
from gaptrack.importers.mapping import DocumentDraft, check_limits, mail_prefix, map_mail
from gaptrack.importers.mimedepth import MAX_MIME_DEPTH
from gaptrack.importers.msgfile import is_msg
from gaptrack.importers.pipeline import (
    ChildMapper,
    RowBatch,
    items,
    mapping_child,
    row_batches,
    worth_a_child,
)
from gaptrack.importers.prepared import RowPlan
from gaptrack.importers.pstfile import is_pst
from gaptrack.importers.qcreport import BadRecord
from gaptrack.importers.run import MAX_BAD_LISTED, Run
from gaptrack.models import SourceKind

# What a mailbox fills: every key index but those of fields mail never has.
_MAIL_FIELDS = ("sender", "to", "cc", "bcc", "subject", "date_sent", "message_id",
                "in_reply_to", "references", "text_path", "md5")


def _size(path: Path) -> int:
    """Bytes to read (they choose the mapping child and the bulk mode, nothing else)."""
    if path.is_dir():
        return _tree_size(path, path.stat().st_mtime_ns)
    return path.stat().st_size if path.exists() else 0


@lru_cache(maxsize=8)
def _tree_size(folder: Path, stamp: int) -> int:
    """A folder's bytes, once per import rather than once per question (a maildir of half a
    million files took a walk of the tree each time); ``stamp`` renews it."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _note_unread_files(run: Run, name: str) -> None:
    """A folder's files this import did not read are named: mail of another format (EML
    beside .msg files, a PST beside them), then files that are not mail."""
    left = run.unread_files()
    other = [p for p in left if is_pst(p) or is_msg(p) or looks_like_mail(p)]
    run.note_files(other, f"hold mail of another format and were not read as {name}",
                   "(import them with gaptrack import pst|msg|mail PATH)")
    run.note_files([p for p in left if p not in set(other)], "are not mail and were not read")


# What a reader yields per item (with the bytes of its file read so far): a message, the error
# of one that cannot be read, or an Outlook item passed over because it is not mail.
Message = MailMessage | LoadFileError | Skipped


@dataclass(frozen=True, slots=True)
class MailSettings:
    """Everything needed to read and map a mail import, in either process (picklable)."""

    files: tuple[Path, ...]
    prefix: str
    first_number: int
    rows: RowPlan | None = None  # SQLite: rows made ready for executemany by the mapper
    reader: Callable[[Path], Iterator[tuple[Message, int]]] = read_file  # the format's
    # The folder imported: a document's source path is its file's path below it, so that
    # files of one name in several folders (maildir's numbered files, per custodian) differ.
    root: Path | None = None

    def local(self) -> MailMapper:
        return MailMapper(self)


class MailMapper:
    """Reads the messages of every file in turn and maps each to its family of drafts."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self.bytes_read = 0
        self.text_missing = 0
        self.records = 0
        self.number = settings.first_number
        self.counts: list[int] = []  # messages per file
        self.problems: list[tuple[str, int, str, str]] = []  # (file, line, header, reason)
        self.problem_count = 0
        self.skipped: dict[str, int] = {}  # item class -> count (PST/MSG items not mail)
        self.cut: list[tuple[str, int]] = []  # (file, line) of messages nested too deeply

    @property
    def extra(self) -> dict[str, Any]:
        return {"records": self.records, "counts": self.counts, "problems": self.problems,
                "problem_count": self.problem_count, "skipped": self.skipped, "cut": self.cut}

    def _note(self, message: MailMessage) -> None:
        for p in message.problems:
            self.problem_count += 1
            if len(self.problems) < MAX_BAD_LISTED:
                self.problems.append((p.file, p.line, p.header, p.reason))

    def messages(self) -> Iterator[MailMessage | LoadFileError]:
        """Every message of every file in turn (a bad one as its error)."""
        done = 0
        for file in self.settings.files:
            count = 0
            for message, file_bytes in self.settings.reader(file):
                if isinstance(message, Skipped):
                    kind = message.item_class or "(no class)"
                    self.skipped[kind] = self.skipped.get(kind, 0) + 1
                    continue
                count += 1
                self.records += 1
                self.bytes_read = done + file_bytes
                yield message
            self.counts.append(count)
            done += file.stat().st_size

    def map_one(self, message: MailMessage | LoadFileError) -> list[DocumentDraft]:
        """A message's drafts (the message, then its attachments), numbered on."""
        if isinstance(message, LoadFileError):
            raise message
        if message.problems:
            self._note(message)
        if message.nesting_cut:
            self.cut.append((str(message.source), message.line))
        root = self.settings.root
        if root is not None and not message.location:
            message.location = f"{message.source.relative_to(root).as_posix()}#{message.number}"
        drafts = map_mail(message, self.settings.prefix, self.number)
        problem = next(filter(None, (check_limits(d) for d in drafts)), None)
        if problem is not None:
            raise LoadFileError(problem[1], file=message.source, line=message.line,
                                field=problem[0])
        self.number += len(drafts)
        return drafts

    def __iter__(self) -> Iterator[DocumentDraft | LoadFileError]:
        return items(self.messages(), self.map_one)

    def batches(self) -> Iterator[RowBatch]:
        assert self.settings.rows is not None
        return row_batches(self.messages(), self.map_one, self.settings.rows,
                           lambda: self.bytes_read)

    def close(self) -> None:
        pass


class MailImporter:
    name = "mail"
    kind = SourceKind.MAIL
    target = "documents"
    summary = "Mail: EML files, MBOX mailboxes, maildir folders, any RFC 5322 file (.txt, none)"
    options = ("bates_prefix",)
    # A file's messages (the Outlook formats have their own).
    reader: Callable[[Path], Iterator[tuple[Message, int]]] = staticmethod(read_file)

    def detect(self, path: Path) -> bool:
        if path.is_dir():
            return any(looks_like_mail(p) for p in path.rglob("*") if p.is_file())
        return looks_like_mail(path)

    def sources(self, path: Path) -> list[Path]:
        files = mail_files(path)
        if not files:
            raise LoadFileError(
                "no mail found (EML or MBOX files, maildir messages, RFC 5322 text)", file=path
            )
        return files

    def prepare(
        self, path: Path, options: dict[str, Any]
    ) -> AbstractContextManager[ChildMapper | None]:
        return mapping_child(worth_a_child(_size(path), options.get("pipeline")))

    def bulk(self, path: Path) -> bool:
        return _size(path) >= BULK_LOAD_MIN_BYTES

    def load(self, run: Run) -> None:
        run.empty_message = "no message could be loaded"
        made = run.open_production()
        prefix = run.option("bates_prefix") or mail_prefix(made.volume)
        run.bates_prefix = prefix
        conn = run.conn
        m = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        last = conn.exec_driver_sql(
            f"SELECT max(bates_end) FROM document WHERE bates_prefix = {m}", (prefix,)
        ).scalar()
        sqlite_tuning(conn)
        child: ChildMapper | None = run.state
        deferred: list[str] = []
        if big_load(conn, _size(run.path)):
            kept = indexes_left_empty(_MAIL_FIELDS)
            if child is not None:
                kept += IN_ORDER_INDEXES
            deferred = defer_indexes(conn, keep=kept)
        writer = run.open_writer()
        settings = MailSettings(
            files=tuple(i.path for i in run.inputs),
            prefix=prefix,
            first_number=int(last or 0) + 1,
            rows=writer.plan,
            reader=self.reader,
            root=run.path if run.path.is_dir() else None,
        )
        source: MailMapper | ChildMapper
        if child is not None:
            child.start(settings)
            source = child
        else:
            source = settings.local()
        try:
            write_mapped(run, source)
        finally:
            source.close()
        extra = source.extra
        run.report.records = int(extra["records"])
        for entry, count in zip(run.inputs, extra["counts"], strict=False):
            entry.records = int(count)
        skipped = ", ".join(f"{kind} {n}" for kind, n in sorted(extra["skipped"].items()))
        if skipped:
            total = sum(extra["skipped"].values())
            run.findings.append(f"{total} items that are not mail were skipped ({skipped})")
            run.empty_message = f"no message could be loaded ({total} items that are not " \
                                f"mail were skipped: {skipped})"
        run.report.header_problem_count = int(extra["problem_count"])
        run.report.header_problems = [
            BadRecord(file=f, line=line, field=h, reason=r) for f, line, h, r in extra["problems"]
        ]
        if extra["cut"]:
            where = ", ".join(f"{f}:{line}" for f, line in extra["cut"][:MAX_BAD_LISTED])
            run.findings.append(
                f"{len(extra['cut'])} messages nest MIME parts or attached messages deeper "
                f"than {MAX_MIME_DEPTH} levels: kept, with the parts below that depth left "
                f"out ({where})")
        rebuild_indexes(conn, deferred)
        _note_unread_files(run, self.name)

    def finish(self, run: Run) -> None:
        pass
