"""Document rows made ready for PostgreSQL's ``COPY`` before they reach the writer.

The counterpart of :func:`gaptrack.importers.prepared.prepare_rows`: the documents are
numbered from ids the writer reserved in advance (:mod:`gaptrack.importers.idrange`), so
every row — participants, references, and the family parent's id in the document row
itself — can be made anywhere, a large load's mapping child included, and the writer only
hands the rows to ``COPY``: nothing is read back, and the UPDATE that links families at the
end has only what is left to do (rewriting a third of a million rows took a fifth of a load).

A document row is ``(id, *the plan's kept values, parent id, production, party)``; absent
values are None (``COPY`` writes what it is given), dates naive UTC text as on SQLite (the
writer copies them with the session's time zone set to UTC).

Family parents are looked up among the documents numbered in this call and the one before
(:class:`CopyRows`): an attachment follows its parent, so nearly every parent is there. The
lookup answers what ``staging.link_families`` would — the lowest id among the party's
documents with the parent's prefix and number — as long as no earlier document of the party
has that number too; the writer checks that at the end and otherwise corrects the links
(``staging.link_families``). A parent not found is left NULL, for the same UPDATE.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from operator import itemgetter

from gaptrack.identity.resolve import party_for
from gaptrack.importers.drafts import ROW_COLUMNS, ROW_INDEX, DocumentDraft
from gaptrack.importers.idrange import IdRange
from gaptrack.importers.prepared import (
    DATE_CREATED,
    DATE_SENT,
    PreparedRows,
    Row,
    RowPlan,
    dates_as_text,
    links_parties,
    prepare_rows,
)

P_PARENT, P_LINE = -3, -4  # positions in a document row: the parent's id, the source line
_BATES = ROW_INDEX["end_label"] + 1  # the Bates columns lead every row, and are never NULL
_NULL = {"": None}.get  # _NULL(v, v): None for "", else v (a C-level call per value)
MakeRows = Callable[[Sequence[DocumentDraft], int], PreparedRows]


def copy_columns(plan: RowPlan) -> tuple[str, ...]:
    """The ``document`` columns of a PostgreSQL row made from ``plan``, in order."""
    return ("id", *plan.columns(), "parent_id", "production_id", "party_id")


def row_maker(plan: RowPlan) -> MakeRows:
    """What turns drafts into the writer's rows: :func:`prepare_rows` on SQLite, a
    :class:`CopyRows` (which remembers recent documents) on PostgreSQL."""
    if plan.postgres:
        return CopyRows(plan)
    return lambda drafts, first_id: prepare_rows(drafts, plan, first_id)


class CopyRows:
    """PostgreSQL rows of drafts, numbered on from the first id given (see module doc)."""

    def __init__(self, plan: RowPlan) -> None:
        self.plan = plan
        self.pick = itemgetter(*plan.kept) if len(plan.kept) < len(ROW_COLUMNS) else None
        # (prefix, number) -> lowest id, of the documents numbered in the last two calls
        self.older: dict[tuple[str, int], int] = {}
        self.recent: dict[tuple[str, int], int] = {}

    def __call__(self, drafts: Sequence[DocumentDraft], first_id: int) -> PreparedRows:
        plan, pick = self.plan, self.pick
        keys = plan.party_keys if links_parties(plan.party_keys) else None
        tail = (plan.production_id, plan.party_id)
        older, recent = self.older, self.recent
        documents: list[Row] = []
        participants: list[Row] = []
        references: list[Row] = []
        families: list[Row] = []
        append = documents.append
        doc_id = first_id
        for draft in drafts:
            _line, prefix, begin, _suffix, values, people, refs, parent = draft
            sent, created = values[DATE_SENT], values[DATE_CREATED]
            if isinstance(sent, dt.datetime) or isinstance(created, dt.datetime):
                values = dates_as_text(values)
            kept = values if pick is None else pick(values)
            rest = kept[_BATES:]
            parent_id = None
            if parent is not None:
                parent_id = older.get(parent) or recent.get(parent)
                families.append((doc_id, *parent))
            if (prefix, begin) not in recent:
                recent[prefix, begin] = doc_id
            append((doc_id, *kept[:_BATES], *map(_NULL, rest, rest), parent_id, *tail))
            for role, address, name, norm in people:
                party = party_for(keys, address, norm) if keys is not None else None
                participants.append(
                    (doc_id, role, address or None, name or None, norm or None, party)
                )
            if refs:
                references.extend([(doc_id, *r) for r in refs])
            doc_id += 1
        self.older, self.recent = recent, {}
        return PreparedRows(documents, participants, references, families)


def translated(rows: PreparedRows, ids: IdRange) -> PreparedRows:
    """``rows`` with their planned ids replaced by the reserved ones, when a block of ids
    did not follow on (see idrange): rare, so one Python pass over every row is fine."""
    move = ids.actual

    def parent(value: int | None) -> int | None:
        return None if value is None else move(value)

    documents = [(move(r[0]), *r[1:P_PARENT], parent(r[P_PARENT]), *r[P_PARENT + 1:])
                 for r in rows.documents]

    def hanging(table: list[Row]) -> list[Row]:
        return [(move(r[0]), *r[1:]) for r in table]

    return PreparedRows(documents, hanging(rows.participants), hanging(rows.references),
                        hanging(rows.families))


def unparented(documents: list[Row], dropped: set[int]) -> list[Row]:
    """``documents`` with the parents among ``dropped`` (rows left out: their Bates number
    was taken) left NULL, for ``staging.link_families`` to find among what is stored."""
    return [(*r[:P_PARENT], None, *r[P_PARENT + 1:]) if r[P_PARENT] in dropped else r
            for r in documents]
