"""Referenced, produced by nobody: a Message-ID that produced emails reply to or quote, which
no party produced (by ``as_of``). It is owed by each party asked to produce that is on one of
the referring emails (sender or recipient), since the original passed through their mailbox."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from gaptrack.gaps import sql as t
from gaptrack.gaps.scope import Scope, party_filter, received_by
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
    r, d, pr, dp = t.reference, t.document, t.production, t.participant
    rr, rq = t.recipient, t.request
    original = t.document.alias("original")
    original_production = t.production.alias("original_production")
    # The unanswered references first, as an aggregate (which SQLite materialises rather than
    # flattening), so the few of them drive the join, not the millions of participants.
    lost = (
        sa.select(r.c.document_id, r.c.mih, sa.func.min(r.c.message_id).label("message_id"))
        .where(
            ~sa.exists()
            .select_from(
                original
                if scope.all_received
                else original.join(
                    original_production, original_production.c.id == original.c.production_id
                )
            )
            .where(original.c.mih == r.c.mih, received_by(original_production, scope))
        )
        .group_by(r.c.document_id, r.c.mih)
        .subquery("lost")
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
