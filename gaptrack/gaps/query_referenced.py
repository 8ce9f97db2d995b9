"""Referenced, produced by nobody: a Message-ID that produced emails reply to or quote, which
no party produced (by ``as_of``). It is owed by each party asked to produce that is on one of
the referring emails (sender or recipient), since the original passed through their mailbox.

A reference is answered by any copy of the referenced email, under any key: a document with
its Message-ID (MIH), or — because replies point at the *recipient's* Message-ID while the
sender's Sent copy has its own — a document with the fingerprint of the message the reply
quotes (its From/To/Cc/Subject header block, sent time within the tolerance), when the reply
has one lost reference. So an email another party produced (an inferred gap, if the party
lacks it) is never also reported as produced by nobody. A "Message-ID" without ``@`` is
not one and is ignored."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gaptrack.derive import quoted_messages
from gaptrack.gaps import sql as t
from gaptrack.gaps.scope import Scope, party_filter, received_by
from gaptrack.importers.dates import written_datetime
from gaptrack.matching import FINGERPRINT_TOLERANCE_SECONDS, fingerprint
from gaptrack.models.enums import ParticipantRole

MAILBOX_ROLES = [
    ParticipantRole.SENDER.value,
    ParticipantRole.FORWARDED.value,
    ParticipantRole.TO.value,
    ParticipantRole.CC.value,
    ParticipantRole.BCC.value,
]


def referenced_unproduced(scope: Scope) -> Any:
    """Rows: party_id, mih, message_id, the referring document's id, label, producer, date."""
    lr, d, pr, dp = t.lost_reference, t.document, t.production, t.participant
    rr, rq = t.recipient, t.request
    # The references nobody had produced by ``as_of`` (derived after writes:
    # gaptrack.gaps.lost_references), materialised so that the few of them drive the join,
    # not the millions of participants (flattened, SQLite starts from the participants).
    lost = (
        sa.select(lr.c.document_id, lr.c.mih, lr.c.message_id)
        .where(sa.or_(lr.c.answered_on.is_(None), lr.c.answered_on > scope.as_of))
        .cte("lost")
        .prefix_with("MATERIALIZED")
    )
    return (
        sa.select(
            dp.c.party_id.label("party_id"),
            lost.c.mih,
            lost.c.message_id,
            d.c.id.label("document_id"),
            d.c.begin_label,
            d.c.party_id.label("producer_id"),
            t.date_of(d.c.date_sent, scope.dialect).label("doc_date"),
        )
        .select_from(
            lost.join(d, d.c.id == lost.c.document_id)
            .join(pr, pr.c.id == d.c.production_id)
            .join(dp, dp.c.document_id == d.c.id)
        )
        .where(
            received_by(pr, scope),
            dp.c.party_id.is_not(None),
            dp.c.role.in_(MAILBOX_ROLES),
            *party_filter(dp.c.party_id, scope),
            sa.exists()
            .select_from(rr.join(rq, rq.c.id == rr.c.request_id))
            .where(rr.c.party_id == dp.c.party_id, rq.c.date_sent <= scope.as_of),
        )
        .distinct()
    )


def _quoted_keys(text: str | None) -> tuple[str, Any] | None:
    """The fingerprint and sent time of the message a reply quotes first, if it can tell."""
    quoted = quoted_messages(text)
    if not quoted or not quoted[0].sender:
        return None
    q = quoted[0]
    print_ = fingerprint(q.sender, [q.to, q.cc], q.subject)
    return (print_, written_datetime(q.sent)) if print_ else None


def _near(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return True  # a quote without a readable time: the fingerprint decides
    a, b = (v.replace(tzinfo=None) if v.tzinfo is not None else v for v in (a, b))
    return abs((a - b).total_seconds()) <= FINGERPRINT_TOLERANCE_SECONDS


def answered_by_quote(connection: Connection, rows: Sequence[Any], scope: Scope) -> list[Any]:
    """``rows`` of :func:`referenced_unproduced` less those whose referring email quotes a
    message some party produced (by fingerprint). Runs over result rows only."""
    lost = Counter(
        doc for doc, _ in {(int(r.document_id), r.mih) for r in rows}
    )
    single = [doc for doc, n in lost.items() if n == 1]
    if not single:
        return list(rows)
    d = t.document
    keys: dict[int, tuple[str, Any]] = {}
    for doc_id, text in connection.execute(
        sa.select(d.c.id, d.c.text).where(d.c.id.in_(single))
    ):
        found = _quoted_keys(text)
        if found is not None:
            keys[int(doc_id)] = found
    if not keys:
        return list(rows)
    copy, production = t.document.alias("copy"), t.production.alias("copy_production")
    produced: dict[str, list[Any]] = {}
    for print_, sent in connection.execute(
        sa.select(copy.c.fingerprint, copy.c.date_sent)
        .select_from(copy.join(production, production.c.id == copy.c.production_id))
        .where(copy.c.fingerprint.in_({k[0] for k in keys.values()}),
               received_by(production, scope))
    ):
        produced.setdefault(str(print_), []).append(sent)
    answered = {
        doc for doc, (print_, sent) in keys.items()
        if any(_near(sent, other) for other in produced.get(print_, []))
    }
    return [r for r in rows if int(r.document_id) not in answered]
