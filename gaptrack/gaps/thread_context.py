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
from gaptrack.threads.context import BATCH, neighbours

# Kinds whose evidence documents are copies of the missing email.
_BY_DOCUMENT = frozenset({GapKind.INFERRED, GapKind.WITHHELD, GapKind.KNOWN_NOT_PRODUCED})


def _mih_of_documents(connection: Connection, ids: Sequence[int]) -> dict[int, str]:
    mark = "%s" if connection.dialect.name == "postgresql" else "?"
    out: dict[int, str] = {}
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        out.update(
            (int(doc_id), mih)
            for doc_id, mih in connection.exec_driver_sql(
                f"SELECT id, mih FROM document WHERE mih IS NOT NULL"
                f" AND id IN ({', '.join([mark] * len(batch))})",
                tuple(batch),
            )
        )
    return out


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
    of_document = _mih_of_documents(connection, ids)
    wanted = {gap.key: _missing_mih(gap, of_document) for gap in gaps}
    threads = neighbours(connection, {m for m in wanted.values() if m})
    for gap in gaps:
        mih = wanted[gap.key]
        if mih and mih in threads:
            gap.evidence.thread = threads[mih]
