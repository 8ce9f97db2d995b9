"""Document ids taken from PostgreSQL's sequence ahead of the rows that will carry them.

An import numbers its documents before they are written (in the mapping child, see
:mod:`gaptrack.importers.pgrows`), so that participants and family parents can name their
document without reading anything back. The ids come from ``document``'s own sequence, in
blocks: ``nextval`` a block's worth of times in one statement. Every id so taken is this
import's alone, whoever else calls ``nextval`` meanwhile (another import, a case-file load);
a rolled-back import leaves a gap, as any rolled-back insert does.

The rows are numbered on from the first block as if every block followed the one before.
One that does not — another writer took ids in between, or took some in the middle of the
block — is recorded, and :meth:`IdRange.actual` maps a planned id to the one reserved for
it; the writer translates rows only then (``pgrows.translated``), never in the usual case.
"""

from __future__ import annotations

from bisect import bisect_right

from sqlalchemy.engine import Connection

FIRST_BLOCK = 100  # blocks then grow with the import: at most ~max(100, n) ids go unused
MAX_BLOCK = 100_000  # ...and never by more than this


class IdRange:
    """The ids reserved so far, and how planned ids map onto them."""

    def __init__(self, conn: Connection, first_block: int = FIRST_BLOCK) -> None:
        self.conn = conn
        self.sequence = conn.exec_driver_sql(
            "SELECT pg_get_serial_sequence('document', 'id')"
        ).scalar_one()
        self.block = first_block  # the smallest block taken
        ids = self._take(first_block)
        self.first = ids[0]
        self.covered = self.first - 1  # the last planned id with a reserved id
        # (first planned id, reserved ids) of each block that does not follow on
        self.starts: list[int] = []
        self.blocks: list[list[int]] = []
        self._add(ids)

    def _take(self, count: int) -> list[int]:
        rows = self.conn.exec_driver_sql(
            "SELECT array_agg(v) FROM"
            " (SELECT nextval(%s::regclass) AS v FROM generate_series(1, %s)) s",
            (self.sequence, count),
        ).scalar_one()
        return sorted(int(i) for i in rows)  # in order: planned order stays id order

    def _add(self, ids: list[int]) -> None:
        start = self.covered + 1
        if ids[0] != start or ids[-1] - ids[0] != len(ids) - 1 or self.blocks:
            self.starts.append(start)
            self.blocks.append(ids)
        self.covered += len(ids)

    def cover(self, last: int) -> None:
        """Reserve ids up to the planned id ``last``: blocks that grow with the import."""
        while self.covered < last:
            done = self.covered - self.first + 1
            self._add(self._take(min(max(done, last - self.covered, self.block), MAX_BLOCK)))

    @property
    def shifted(self) -> bool:
        """Whether some planned ids are not their own reserved id."""
        return bool(self.blocks)

    def actual(self, planned: int) -> int:
        """The reserved id of the planned id ``planned``."""
        at = bisect_right(self.starts, planned) - 1
        if at < 0:
            return planned
        return self.blocks[at][planned - self.starts[at]]
