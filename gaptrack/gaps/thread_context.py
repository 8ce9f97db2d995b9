"""A thread with a missing message becomes evidence on the gap of a party that was on it.

For an email a party lacks (an inferred, withheld or known-item gap resting on another
party's copy) and for an email nobody produced (referenced-unproduced), the evidence gains
the thread around it: the message it answers, the message itself and its replies, each with
who produced it (:func:`gaptrack.threads.context.neighbours`). Read per batch of gaps.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.engine import Connection

from gaptrack.gaps.model import Gap, GapKind
from gaptrack.threads.context import BATCH, index_neighbours, neighbours

# Kinds whose evidence documents are copies of the missing email.
_BY_DOCUMENT = frozenset({GapKind.INFERRED, GapKind.WITHHELD, GapKind.KNOWN_NOT_PRODUCED})


def _keys_of_documents(
    connection: Connection, ids: Sequence[int]
) -> tuple[dict[int, str], dict[int, str]]:
    """Each document's MIH, and the Thread-Index of those without one."""
    mark = "%s" if connection.dialect.name == "postgresql" else "?"
    mihs: dict[int, str] = {}
    indexes: dict[int, str] = {}
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        for doc_id, mih, index in connection.exec_driver_sql(
            "SELECT id, mih, thread_index FROM document WHERE"
            " (mih IS NOT NULL OR thread_index IS NOT NULL)"
            f" AND id IN ({', '.join([mark] * len(batch))})",
            tuple(batch),
        ):
            if mih:
                mihs[int(doc_id)] = mih
            else:
                indexes[int(doc_id)] = index
    return mihs, indexes


def _missing_mih(gap: Gap, of_document: dict[int, str]) -> str | None:
    if gap.kind is GapKind.REFERENCED_UNPRODUCED:
        return gap.key.rsplit(":", 1)[-1]  # referenced:<party>:<mih>
    if gap.kind in _BY_DOCUMENT:
        return next((of_document[d] for d in gap.evidence.document_ids if d in of_document),
                    None)
    return None


def attach_thread_context(connection: Connection, gaps: Sequence[Gap]) -> None:
    """Fill ``evidence.thread`` of each gap whose missing email sits in a thread."""
    ids = sorted({d for g in gaps if g.kind in _BY_DOCUMENT for d in g.evidence.document_ids})
    of_document, index_of = _keys_of_documents(connection, ids)
    wanted = {gap.key: _missing_mih(gap, of_document) for gap in gaps}
    threads = neighbours(connection, {m for m in wanted.values() if m})
    by_index = {gap.key: next((index_of[d] for d in gap.evidence.document_ids if d in index_of),
                              None) for gap in gaps if gap.kind in _BY_DOCUMENT}
    placed = index_neighbours(connection, {i for i in by_index.values() if i})
    for gap in gaps:
        mih, index = wanted[gap.key], by_index.get(gap.key)
        if mih and mih in threads:
            gap.evidence.thread = threads[mih]
        elif index and index in placed:
            gap.evidence.thread = placed[index]
