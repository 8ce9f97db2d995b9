"""Reading and mapping a DAT, in this process or in a child process while this one writes.

A large import spends about as long reading and mapping records (pure Python) as writing them
(SQLite). :class:`ChildMapper` moves the reading and mapping to a child process, so that on a
machine with two cores both halves run at once; the parent keeps the one connection and the
one transaction, and writes what arrives. The two produce the same stream of items — a
:class:`~gaptrack.importers.mapping.DocumentDraft` per good record and a
:class:`~gaptrack.errors.LoadFileError` per bad one, in file order — so the writer's results
cannot depend on which one ran.

The child is a plain ``python -m gaptrack.importers.pipeline`` subprocess (not
``multiprocessing``: no re-import of the caller's ``__main__``, no fork of a process that
holds a database connection or threads). It gets its settings pickled on stdin and sends
pickled batches on stdout; the pipe holds at most a batch or two, so memory stays flat and
the child never runs far ahead. It cannot outlive the import: it asks the kernel for SIGKILL
when its parent dies (``PR_SET_PDEATHSIG``, Linux), checks the parent is still the one that
started it, and a write to a pipe whose reader has gone fails with ``BrokenPipeError``. The
parent kills and reaps it on every way out (error, kill test, normal end).
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import pickle
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO, NamedTuple

from gaptrack.errors import LoadFileError
from gaptrack.importers.dat import DatReader, DatRecord
from gaptrack.importers.delimited import CONCORDANCE, DelimitedReader, Dialect, open_reader
from gaptrack.importers.fieldmap import FieldMap
from gaptrack.importers.mapping import DatMapper, DocumentDraft
from gaptrack.importers.pgrows import row_maker
from gaptrack.importers.textfiles import TextLoader
from gaptrack.importers.writer import PreparedRows, RowPlan

Item = DocumentDraft | LoadFileError
# From about this size (≈ 30,000 DAT records) an input is read and mapped in a child process
# while this one writes.
PIPELINE_MIN_BYTES = 8_000_000
BATCH = 1000  # records per message from the child: ~0.3 MB pickled
QUEUED = 8  # batches the child may map ahead of the parent (besides what the pipe holds)
_PIPE_SIZE = 1 << 20  # ask Linux for a 1 MB pipe: a few batches of slack between the two
# The child's cyclic GC: mapping makes millions of short-lived tuples, freed by reference
# counting, and the default threshold (700) set off a collection every few records — about
# a sixth of the child's CPU. A batch's worth of allocations between collections keeps
# memory flat (few cycles are ever made) at a fraction of the cost.
_CHILD_GC_THRESHOLD = (100_000, 50, 100)


@dataclass(frozen=True, slots=True)
class MapSettings:
    """Everything needed to read and map one DAT, in either process (picklable)."""

    path: Path
    encoding: str
    fields: FieldMap
    file: str
    bates_prefix: str | None
    text_base: Path
    text_volume: Path | None  # the volume holding the DAT's DATA folder (see TextLoader)
    sqlite_dates: bool
    skip_first: bool  # the first record is the header row
    # SQLite: build the rows ready for executemany here (see RowBatch); None: send drafts.
    rows: RowPlan | None = None
    dialect: Dialect = CONCORDANCE  # separator, quote and newline character

    def local(self) -> LocalMapper:
        """The mapper that reads these settings in this process (the child calls it: any
        picklable settings with a ``local()`` giving such a mapper can run there)."""
        return LocalMapper(self)


class RowBatch(NamedTuple):
    """Up to BATCH records as the writer takes them (MapSettings.rows): the bad records, in
    file order, and the good ones' rows numbered on from the previous batch's."""

    bytes_read: int
    records: int  # good and bad
    errors: list[LoadFileError]
    rows: PreparedRows


def _error_args(exc: LoadFileError) -> tuple[str, str | None, int | None, str | None]:
    return (exc.reason, exc.file, exc.line, exc.field)


def _error(args: tuple[str, str | None, int | None, str | None]) -> LoadFileError:
    reason, file, line, field = args
    return LoadFileError(reason, file=file, line=line, field=field)


# Maps one record to its document, or to a family of them (a message and its attachments);
# raises the LoadFileError of a bad record.
MapOne = Callable[[Any], "DocumentDraft | list[DocumentDraft]"]


def items(records: Iterable[Any], map_one: MapOne) -> Iterator[Item]:
    """The drafts of ``records`` in order, a bad record as its error (the writer decides)."""
    for record in records:
        try:
            made = map_one(record)
        except LoadFileError as exc:
            yield exc
            continue
        if type(made) is list:
            yield from made
        else:
            yield made  # type: ignore[misc]


def row_batches(
    records: Iterable[Any], map_one: MapOne, plan: RowPlan, position: Callable[[], int]
) -> Iterator[RowBatch]:
    """``records`` mapped and made into rows ready for ``executemany`` or ``COPY``
    (``pgrows.row_maker``), BATCH records at a time, numbered on from ``plan.first_id``;
    ``position()``: the bytes read so far."""
    next_id = plan.first_id
    make = row_maker(plan)
    drafts: list[DocumentDraft] = []
    errors: list[LoadFileError] = []
    count = 0
    # What iterating items() gives, without a generator step and a type test per record.
    for record in records:
        count += 1
        try:
            made = map_one(record)
        except LoadFileError as exc:
            errors.append(exc)
        else:
            if type(made) is list:
                drafts.extend(made)
            else:
                drafts.append(made)  # type: ignore[arg-type]
        if count >= BATCH:
            yield RowBatch(position(), count, errors, make(drafts, next_id))
            next_id += len(drafts)
            drafts, errors, count = [], [], 0
    if count:
        yield RowBatch(position(), count, errors, make(drafts, next_id))


@contextlib.contextmanager
def mapping_child(use: bool) -> Iterator[ChildMapper | None]:
    """A child process to read and map in, if ``use`` (stopped on the way out, whatever
    happens). Started before it is given its settings: its imports overlap the caller's
    first work (hashing the file)."""
    if not use:
        yield None
        return
    child = ChildMapper()
    try:
        yield child
    finally:
        child.close()


def worth_a_child(size: int, wanted: bool | None) -> bool:
    """Whether to map ``size`` bytes of input in a child: as ``wanted``, else for large
    inputs on a machine with more than one core (the child costs ~0.3 s to start)."""
    if wanted is not None:
        return wanted
    return (os.cpu_count() or 1) >= 2 and size >= PIPELINE_MIN_BYTES


class LocalMapper:
    """Read and map in this process (small files, and the reference for the child's output)."""

    def __init__(self, settings: MapSettings, records: Iterator[DatRecord] | None = None,
                 reader: DatReader | DelimitedReader | None = None) -> None:
        self.settings = settings
        self.reader = reader or open_reader(settings.path, settings.encoding, settings.dialect)
        self._records = records
        self.loader = TextLoader(settings.text_base, settings.text_volume)
        self.mapper = DatMapper(
            settings.fields,
            file=settings.file,
            bates_prefix=settings.bates_prefix,
            load_text=self.loader,
            sqlite_dates=settings.sqlite_dates,
        )

    @property
    def bytes_read(self) -> int:
        return self.reader.bytes_read

    @property
    def text_missing(self) -> int:
        return self.loader.missing

    @property
    def extra(self) -> dict[str, Any]:
        """What the format reports besides the items: for a DAT, the TEXTPATH values that
        pointed outside the text root (never read)."""
        return {"text_outside": self.loader.outside}

    def _record_stream(self) -> Iterator[DatRecord]:
        records = self._records
        if records is None:
            records = iter(self.reader)
            if self.settings.skip_first:
                next(records, None)
        return records

    def __iter__(self) -> Iterator[Item]:
        return items(self._record_stream(), self.mapper.map)

    def batches(self) -> Iterator[RowBatch]:
        """The records as :class:`RowBatch` values (``settings.rows`` must be set).

        The mapping child sends these, so the writer has no per-row work left but SQLite's.
        """
        assert self.settings.rows is not None
        return row_batches(self._record_stream(), self.mapper.map, self.settings.rows,
                           lambda: self.bytes_read)

    def close(self) -> None:
        pass


class ChildMapper:
    """Read and map in a child process; iterate the items it sends back, in file order."""

    def __init__(self) -> None:
        """Start the child; it maps once :meth:`start` gives it its settings. Started
        early, its imports (~0.4 s) overlap what this process does first."""
        self.bytes_read = 0
        self.text_missing = 0
        self.extra: dict[str, Any] = {}
        # The child imports gaptrack from where this process did, installed or not.
        root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        # Its stderr goes to a file, read only if it dies without a word (e.g. at import).
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gaptrack.importers.pipeline", str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            close_fds=True,
            env=env,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        _grow_pipe(self.process.stdout)

    def start(self, settings: Any) -> None:
        """Tell the child what to read and how to map it."""
        assert self.process.stdin is not None
        pickle.dump(settings, self.process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        self.process.stdin.close()

    def _messages(self, wanted: str) -> Iterator[Any]:
        """The payloads of the child's ``wanted`` messages, until its "end" message; its
        errors raised here, as they would have been in this process."""
        stream = self.process.stdout
        assert stream is not None
        while True:
            try:
                # One pickle per message (a fresh memo each), as the child writes them.
                kind, payload = pickle.load(stream)
            except EOFError:
                code = self.process.wait()
                self._stderr.seek(0)
                said = self._stderr.read()[-2000:].decode("utf-8", "replace")
                raise RuntimeError(
                    f"the mapping process ended unexpectedly (exit {code}): {said}"
                ) from None
            if kind == wanted:
                yield payload
            elif kind == "end":
                self.bytes_read, self.text_missing, self.extra = payload
                return
            elif kind == "fatal":
                raise _error(payload)
            elif kind in ("batch", "rows"):
                raise RuntimeError(f"the mapping process sent {kind} where {wanted} was due")
            else:
                raise RuntimeError(f"the mapping process failed:\n{payload}")

    def __iter__(self) -> Iterator[Item]:
        for bytes_read, items in self._messages("batch"):
            self.bytes_read = bytes_read
            for item in items:
                yield _error(item) if type(item) is tuple else item

    def batches(self) -> Iterator[RowBatch]:
        """:meth:`LocalMapper.batches`, made in the child (``settings.rows`` set)."""
        for payload in self._messages("rows"):
            self.bytes_read, records, errors, rows = payload
            yield RowBatch(self.bytes_read, records, [_error(e) for e in errors],
                           PreparedRows(*rows))

    def close(self) -> None:
        """Stop the child (if it still runs) and reap it: nothing outlives the import."""
        process = self.process
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
        if process.stdout is not None:
            process.stdout.close()
        process.wait()
        self._stderr.close()


def _grow_pipe(handle: IO[bytes]) -> None:
    """A bigger pipe lets the child map the next batch while this one is written (Linux)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: the default pipe still works, with less slack
        return
    setpipe = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setpipe is not None:
        with contextlib.suppress(OSError):
            fcntl.fcntl(handle.fileno(), setpipe, _PIPE_SIZE)


def _die_with_parent(parent: int) -> None:
    """SIGKILL this process when its parent dies (Linux), and exit if it already has."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _dumps(message: Any) -> bytes:
    """``message`` pickled without a memo: it is plain tuples, lists, strings and numbers,
    never self-referential, and pickling a batch of rows is then ~40 % cheaper (values
    shared between rows are written again each time, ~5 % more bytes)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(message)
    return buffer.getvalue()


def child_main(parent: int, stdin: BinaryIO, stdout: BinaryIO) -> None:
    """The child: read settings, then map and send batches until the file ends."""
    _die_with_parent(parent)
    settings: Any = pickle.load(stdin)  # MapSettings, or another format's (see local())
    _grow_pipe(stdout)
    gc.freeze()  # what is loaded by now lives as long as the child: never scan it again
    gc.set_threshold(*_CHILD_GC_THRESHOLD)
    local = settings.local()
    # A sender thread writes the pickled batches: while the parent is busy in SQLite and the
    # pipe is full, this thread waits in write() (without the GIL) and the main thread maps
    # ahead — at most QUEUED batches (a few MB), so memory stays flat.
    outbox: queue.Queue[bytes | None] = queue.Queue(maxsize=QUEUED)

    def sender() -> None:
        try:
            while (data := outbox.get()) is not None:
                stdout.write(data)
                stdout.flush()
        except (BrokenPipeError, OSError):
            os._exit(1)  # the parent has gone: nothing to report to

    thread = threading.Thread(target=sender, name="gaptrack-dat-sender", daemon=True)
    thread.start()

    def send(kind: str, payload: Any) -> None:
        outbox.put(_dumps((kind, payload)))

    try:
        if settings.rows is not None:
            # Plain tuples and lists only: the cheapest to pickle and to unpickle.
            for rows in local.batches():
                send("rows", (rows.bytes_read, rows.records,
                              [_error_args(e) for e in rows.errors], tuple(rows.rows)))
        else:
            batch: list[Any] = []
            for item in local:
                batch.append(_error_args(item) if isinstance(item, LoadFileError) else item)
                if len(batch) >= BATCH:
                    send("batch", (local.bytes_read, batch))
                    batch = []
            if batch:
                send("batch", (local.bytes_read, batch))
        send("end", (local.bytes_read, local.text_missing, local.extra))
    except LoadFileError as exc:  # the reader's own errors stop the import
        send("fatal", _error_args(exc))
    except BaseException:
        send("failed", traceback.format_exc())
    outbox.put(None)
    thread.join()


if __name__ == "__main__":
    # Run the module's own copy (not __main__'s), so pickled classes are the same objects.
    from gaptrack.importers.pipeline import child_main as _main

    _main(int(sys.argv[1]), sys.stdin.buffer, sys.stdout.buffer)
