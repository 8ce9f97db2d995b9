"""Document rows made ready for SQLite's ``executemany`` before they reach the writer.

On SQLite the writer numbers documents itself (see :mod:`gaptrack.importers.writer`), so
:func:`prepare_rows` can build every row anywhere — a large load's mapping child does so
(:class:`RowPlan`) — and the writer only passes lists on. The positions of a prepared
document row (``R_*``) are shared with the writer and the Bates tracker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from operator import itemgetter
from typing import Any, NamedTuple

from gaptrack.identity.resolve import party_for
from gaptrack.importers.drafts import FILLED_BY, ROW_COLUMNS, ROW_INDEX, DocumentDraft
from gaptrack.importers.rows import sqlite_value

DATE_SENT, DATE_CREATED = ROW_INDEX["date_sent"], ROW_INDEX["date_created"]
# Positions in a prepared document row: (id, *draft values written, parent prefix, parent
# number). The Bates columns come first and are always written (never in FILLED_BY), so
# their positions are fixed whichever columns a load leaves out; the source line is the
# last value, third from the end.
R_PREFIX, R_BEGIN = 1 + ROW_INDEX["bates_prefix"], 1 + ROW_INDEX["bates_begin"]
R_SUFFIX, R_LABEL = 1 + ROW_INDEX["bates_suffix"], 1 + ROW_INDEX["begin_label"]
R_END, R_END_LABEL = 1 + ROW_INDEX["bates_end"], 1 + ROW_INDEX["end_label"]
R_LINE = -3
assert ROW_COLUMNS[-1] == "source_line"
assert not FILLED_BY.keys() & {*ROW_COLUMNS[:R_END_LABEL], "source_line"}
NO_PARENT = ("", "")

PartyKeys = tuple[dict[str, int], dict[str, int]]
Row = tuple[Any, ...]


class RowPlan(NamedTuple):
    """What turning drafts into rows needs besides the drafts (picklable).

    The mapping child (importers.pipeline) gets one, so that it can number the documents
    and build every row ready for ``executemany``: the writer then only passes lists on.
    """

    production_id: int
    party_id: int
    first_id: int  # the id of the first document: max(id) + 1 when the import started
    party_keys: PartyKeys | None
    # The positions of ROW_COLUMNS a row carries: the columns the load can fill. The others
    # are constants of the insert statement (see BulkWriter), not a million bound blanks.
    kept: tuple[int, ...]
    postgres: bool = False  # rows for COPY (pgrows.CopyRows) rather than executemany

    def columns(self) -> tuple[str, ...]:
        """The draft columns of a prepared document row, in order (after its id)."""
        return tuple(ROW_COLUMNS[i] for i in self.kept)


class PreparedRows(NamedTuple):
    """The rows of some drafts, in the insert statements' parameter order (SQLite).

    Absent values are empty strings, as in the drafts; the statements store them as NULL.
    """

    documents: list[Row]
    participants: list[Row]
    references: list[Row]
    families: list[Row]


def prepare_rows(drafts: Sequence[DocumentDraft], plan: RowPlan, first_id: int) -> PreparedRows:
    """SQLite rows of ``drafts``, the documents numbered from ``first_id``.

    One tuple built per row (this runs a million times in a large import). A document row
    ends with the parent's Bates number ("" twice for none), which the insert statement's
    sub-select uses to find the family parent (BulkWriter._insert_document); production and
    party are constants of the statement, and so are the columns the load cannot fill
    (``plan.kept`` leaves them out). A participant row ends with its party when ``plan``
    holds party keys to link with (else the column is left NULL).
    """
    # itemgetter of several positions gathers them into a tuple in one C-level call.
    pick = itemgetter(*plan.kept) if len(plan.kept) < len(ROW_COLUMNS) else None
    keys = plan.party_keys
    link = links_parties(keys)
    no_parent = NO_PARENT
    documents: list[Row] = []
    participants: list[Row] = []
    references: list[Row] = []
    families: list[Row] = []
    append = documents.append
    doc_id = first_id
    for draft in drafts:
        _line, _prefix, _begin, _suffix, values, people, refs, parent = draft
        sent, created = values[DATE_SENT], values[DATE_CREATED]
        if isinstance(sent, dt.datetime) or isinstance(created, dt.datetime):
            values = dates_as_text(values)
        append((doc_id, *(values if pick is None else pick(values)), *(parent or no_parent)))
        if people:
            if link:
                assert keys is not None
                for p in people:
                    found = party_for(keys, p[1], p[3])
                    participants.append((doc_id, *p, "" if found is None else found))
            else:
                participants.extend([(doc_id, *p) for p in people])
        if refs:
            references.extend([(doc_id, *r) for r in refs])
        if parent is not None:
            families.append((doc_id, *parent))
        doc_id += 1
    return PreparedRows(documents, participants, references, families)


def dates_as_text(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """A draft's values with its datetimes as the text SQLite stores (naive UTC): drafts from
    the mail path carry datetimes, DAT drafts already carry the text."""
    listed = list(values)
    sent, created = listed[DATE_SENT], listed[DATE_CREATED]
    listed[DATE_SENT], listed[DATE_CREATED] = sqlite_value(sent), sqlite_value(created)
    return tuple(listed)


def links_parties(keys: PartyKeys | None) -> bool:
    """Whether participants are linked to parties as they are written (see _load_party_keys)."""
    return keys is not None and bool(keys[0] or keys[1])
