"""Inferred from another production: Q produced a document that answers an item requested of
P, P is on it (sender, to, cc, bcc, forwarded or quoted), and P's productions hold no copy.

One set-based query: document_item ⋈ request_item ⋈ request_recipient ⋈ document, P's presence
as an EXISTS on the participant index, P's copy as three NOT EXISTS-style probes on the matching
indexes. Decided findings (promoted or dismissed) and documents a known item of P already
points at are left out, so nothing is reported twice.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from gaptrack.gaps import sql as t
from gaptrack.gaps.copies import copy_probes
from gaptrack.gaps.privilege import withheld_entry
from gaptrack.gaps.scope import Scope, party_filter, received_by, request_filters
from gaptrack.models.enums import ParticipantRole

# Which role to show when P is on a document more than once: the most telling first.
ROLE_RANK = {
    ParticipantRole.FORWARDED.value: 1,
    ParticipantRole.SENDER.value: 2,
    ParticipantRole.TO.value: 3,
    ParticipantRole.CC.value: 4,
    ParticipantRole.BCC.value: 5,
    ParticipantRole.QUOTED.value: 6,
}
RANK_ROLE = {rank: role for role, rank in ROLE_RANK.items()}


def _not_known(d: Any, party_col: Any, scope: Scope) -> list[Any]:
    """P has no known item resting on this document or on another copy of the same email
    (same MIH, same body hash, or same fingerprint within the tolerance): that known item
    already reports it. One NOT EXISTS per key, each probing its own index; the "+ 0" keeps
    SQLite from scanning known items by party instead.
    """
    kd = t.known
    probes = []
    for key, extra in (
        ("id", None),
        ("mih", None),
        ("body_hash", None),
        ("fingerprint", "tolerance"),
    ):
        basis = t.document.alias(f"known_{key}")
        conditions = [
            kd.c.party_id + 0 == party_col,
            basis.c[key] == d.c[key],
        ]
        if key != "id":
            conditions.insert(0, d.c[key].is_not(None))
        if extra:
            conditions.append(
                t.seconds_apart(basis.c.date_sent, d.c.date_sent, scope.dialect)
                <= scope.tolerance_seconds
            )
        probes.append(
            ~sa.exists()
            .select_from(basis.join(kd, kd.c.basis_document_id == basis.c.id))
            .where(*conditions)
        )
    return probes


def inferred_candidates(scope: Scope, *, only_missing: bool = True) -> Any:
    """Rows: party_id, item_id, document columns, role_rank, the copy probes, withheld_id."""
    d, di, ri, rr, rq = t.document, t.document_item, t.item, t.recipient, t.request
    pr = t.production
    on_it = t.participant.alias("on_it")
    rank = sa.case(*[(on_it.c.role == role, value) for role, value in ROLE_RANK.items()], else_=9)
    role_rank = (
        sa.select(sa.func.min(rank))
        .where(on_it.c.document_id == d.c.id, on_it.c.party_id == rr.c.party_id)
        .scalar_subquery()
    )
    present = t.participant.alias("present")
    probes = copy_probes(d, rr.c.party_id, scope)
    dec = t.decision
    doc_date = t.date_of(d.c.date_sent, scope.dialect)
    query = (
        sa.select(
            rr.c.party_id.label("party_id"),
            ri.c.id.label("item_id"),
            d.c.id.label("document_id"),
            d.c.party_id.label("producer_id"),
            d.c.begin_label,
            d.c.end_label,
            d.c.subject,
            d.c.title,
            d.c.doc_type,
            d.c.date_sent,
            d.c.mih,
            d.c.fingerprint,
            role_rank.label("role_rank"),
            *(probes.labelled() if not only_missing else probes.nulls()),
            withheld_entry(
                scope,
                party_col=rr.c.party_id,
                item_col=ri.c.id,
                doc_date=doc_date,
                doc_id=d.c.id,
            ).label("withheld_id"),
        )
        .select_from(
            (
                di.join(d, d.c.id == di.c.document_id)
                if scope.all_received
                else di.join(d, d.c.id == di.c.document_id).join(pr, pr.c.id == d.c.production_id)
            )
            .join(ri, ri.c.id == di.c.item_id)
            .join(rq, rq.c.id == ri.c.request_id)
            .join(rr, rr.c.request_id == ri.c.request_id)
        )
        .where(
            d.c.party_id != rr.c.party_id,
            received_by(pr, scope),
            *request_filters(rq, scope),
            *party_filter(rr.c.party_id, scope),
            sa.exists().where(present.c.document_id == d.c.id, present.c.party_id == rr.c.party_id),
            ~sa.exists().where(
                dec.c.party_id == rr.c.party_id,
                dec.c.document_id == d.c.id,
                dec.c.item_id == ri.c.id,
            ),
        )
    )
    if only_missing:
        query = query.where(probes.none_found())
    # Last: SQLite tests terms in order, and the copy probes already drop most rows.
    return query.where(*_not_known(d, rr.c.party_id, scope))
