"""Bates numbers as an import writes them: numbers already taken (refused), and continuity
counted on the way in for the QC report (``qc.bates_report``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy.engine import Connection

from gaptrack.errors import LoadFileError
from gaptrack.importers.prepared import R_BEGIN, R_END, R_END_LABEL, R_LABEL, R_PREFIX, Row
from gaptrack.importers.rows import SqlDialect
from gaptrack.importers.tally import EXAMPLES

# One document about to be written: ((prefix, begin, suffix), begin label, source line).
BatesEntry = tuple[tuple[str, int, str], str, int]


class PrefixRun:
    """One Bates prefix's documents as written, in Bates order (see BatesTracker)."""

    __slots__ = ("count", "examples", "first", "gaps", "last_begin", "last_end", "last_label",
                 "max_end", "overlaps")

    def __init__(self, begin: int) -> None:
        self.first = begin
        self.last_begin = begin - 1
        self.last_end: int | None = None
        self.last_label = ""
        self.max_end = begin
        self.count = 0
        self.gaps = 0
        self.overlaps = 0
        # (begin, label, previous end label, previous end) of the first gaps and overlaps
        self.examples: list[tuple[int, str, str, int]] = []


class BatesTracker:
    """Bates continuity of the rows as they are written, for the QC report (qc.bates_report).

    While each prefix's numbers arrive strictly ascending — as in nearly every production —
    the order they are written in is the order the report's window query would sort them
    in, so gaps, overlaps, examples and each prefix's range can be counted on the way in
    instead of by sorting the whole production again afterwards. The first number that is
    not above its predecessor gives up (``ordered`` False) and the report queries as before.
    """

    def __init__(self) -> None:
        self.ordered = True
        self.prefixes: dict[str, PrefixRun] = {}

    def add(self, documents: Sequence[Row]) -> None:
        if not self.ordered:
            return
        prefixes = self.prefixes
        run: PrefixRun | None = None
        prefix = None
        for row in documents:
            if row[R_PREFIX] != prefix or run is None:
                prefix = row[R_PREFIX]
                run = prefixes.get(prefix)
                if run is None:
                    run = prefixes[prefix] = PrefixRun(row[R_BEGIN])
            begin, end = row[R_BEGIN], row[R_END]
            if begin <= run.last_begin:
                self.ordered = False
                return
            last_end = run.last_end
            if last_end is not None and (begin > last_end + 1 or begin <= last_end):
                if begin > last_end + 1:
                    run.gaps += 1
                else:
                    run.overlaps += 1
                if len(run.examples) < EXAMPLES:
                    run.examples.append((begin, row[R_LABEL], run.last_label, last_end))
            run.last_begin, run.last_end, run.last_label = begin, end, row[R_END_LABEL]
            if end > run.max_end:
                run.max_end = end
            run.count += 1


def taken_bates(
    conn: Connection,
    sql: SqlDialect,
    entries: Sequence[BatesEntry],
    file: str,
    on_bad: Callable[[LoadFileError], None],
) -> set[int]:
    """Positions of the entries whose Bates number is already taken (earlier in ``file``
    or in the database); each is reported to ``on_bad``, naming file, line and field."""

    def duplicate(label: str, line: int, where: str) -> LoadFileError:
        return LoadFileError(f"duplicate Bates number {label!r} ({where})",
                             file=file, line=line, field="begin_bates")

    bad: set[int] = set()
    seen: set[tuple[str, int, str]] = set()
    keep: list[int] = []
    for i, (key, label, line) in enumerate(entries):
        if key in seen:
            on_bad(duplicate(label, line, "earlier in this file"))
            bad.add(i)
            continue
        seen.add(key)
        keep.append(i)
    by_prefix: dict[str, list[int]] = {}
    for prefix, begin, _ in seen:
        by_prefix.setdefault(prefix, []).append(begin)
    taken: set[tuple[str, int, str]] = set()
    m = sql.mark
    for prefix, numbers in by_prefix.items():
        rows = conn.exec_driver_sql(
            "SELECT bates_prefix, bates_begin, bates_suffix FROM document "
            f"WHERE bates_prefix = {m} AND bates_begin BETWEEN {m} AND {m}",
            (prefix, min(numbers), max(numbers)),
        ).all()
        taken.update((r[0], int(r[1]), r[2]) for r in rows)
    for i in keep if taken else ():
        key, label, line = entries[i]
        if key in taken:
            on_bad(duplicate(label, line, "already in the database"))
            bad.add(i)
    return bad
