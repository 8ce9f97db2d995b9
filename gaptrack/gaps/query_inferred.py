"""Inferred from another production: Q produced a document that answers an item requested of
P, P is on it (sender, to, cc, bcc, forwarded or quoted), and P's productions hold no copy.

One set-based query: document_item ⋈ request_item ⋈ request_recipient ⋈ document, P's presence
as an EXISTS on the participant index, P's copy as three NOT EXISTS-style probes on the matching
indexes. Decided findings (promoted or dismissed: any copy of the email, for the party, under
any item) and documents a known item of P already points at are left out, so nothing is
reported twice and a decision sticks.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from gaptrack.gaps import sql as t
from gaptrack.gaps.copies import copy_probes
from gaptrack.gaps.privilege import withheld_entry
from gaptrack.gaps.scope import Scope, party_filter, request_filters
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


def _basis_keys(source: Any, document_col: Any, party_col: Any, scope: Scope, name: str) -> Any:
    """The matching keys of the documents a small table (known items, decisions) rests on,
    per party, as a materialised set (SQLite indexes it on the fly)."""
    basis = t.document.alias(f"{name}_basis")
    return (
        sa.select(
            party_col.label("party_id"),
            basis.c.id.label("id"),
            basis.c.mih.label("mih"),
            basis.c.body_hash.label("body_hash"),
            basis.c.fingerprint.label("fingerprint"),
            basis.c.date_sent.label("date_sent"),
        )
        .select_from(source.join(basis, basis.c.id == document_col))
        .where(*party_filter(party_col, scope))
        .cte(name)
        .prefix_with("MATERIALIZED")
    )


def _no_copy_in(keys: Any, ref: Any, document_id: Any, party_col: Any, scope: Scope) -> list[Any]:
    """P has no row in ``keys`` on this document or on another copy of the same email (same
    MIH, same body hash, or same fingerprint within the tolerance); probed once per key: far
    cheaper than joining documents to the small table for every row."""
    probes = []
    for key in ("id", "mih", "body_hash", "fingerprint"):
        conditions = [keys.c.party_id == party_col]
        if key == "id":
            conditions.append(keys.c.id == document_id)
        else:
            conditions = [ref.c[key].is_not(None), keys.c[key] == ref.c[key], *conditions]
        if key == "fingerprint":
            conditions.append(
                t.seconds_apart(keys.c.date_sent, ref.c.date_sent, scope.dialect)
                <= scope.tolerance_seconds
            )
        probes.append(~sa.exists().where(*conditions))
    return probes


def _not_known(ref: Any, document_id: Any, party_col: Any, scope: Scope) -> list[Any]:
    """P has no known item resting on this document or on another copy of the same email:
    that known item already reports it."""
    kd = t.known
    keys = _basis_keys(kd, kd.c.basis_document_id, kd.c.party_id, scope, "known_keys")
    return _no_copy_in(keys, ref, document_id, party_col, scope)


def _undecided(ref: Any, document_id: Any, party_col: Any, scope: Scope) -> list[Any]:
    """Staff have not promoted or dismissed this email for P: a decision is on the email (any
    copy of it, whoever produced it, now or in a later import) and the party, whichever item
    the finding was reported under, so it holds across renewed items."""
    dec = t.decision
    keys = _basis_keys(dec, dec.c.document_id, dec.c.party_id, scope, "decided_keys")
    return _no_copy_in(keys, ref, document_id, party_col, scope)


def inferred_candidates(scope: Scope, *, only_missing: bool = True, labels: bool = True) -> Any:
    """Rows: party_id, item_id, document columns (the sent time as ``sent_ms``,
    :func:`gaptrack.gaps.sql.epoch_ms`), role_rank, the copy probes, withheld_id.

    Driven by ``inferred_candidate`` (derived: P on another party's document answering P's
    item, with its matching keys), so the copy probes run on a narrow table and only the
    survivors touch ``document`` for their labels (``labels=False``: not at all, for counts).
    """
    c, ri, rq, d = t.candidate, t.item, t.request, t.document
    probes = copy_probes(c, c.c.party_id, scope)
    doc_date = t.date_of(c.c.date_sent, scope.dialect)
    query = (
        sa.select(
            c.c.party_id,
            c.c.item_id,
            c.c.document_id,
            c.c.producer_id,
            *(
                (d.c.begin_label, d.c.end_label, d.c.subject, d.c.title, d.c.doc_type)
                if labels
                else ()
            ),
            doc_date.label("doc_date"),
            c.c.mih,
            c.c.fingerprint,
            c.c.body_hash,
            t.epoch_ms(c.c.date_sent, scope.dialect).label("sent_ms"),
            c.c.role_rank,
            *(probes.labelled() if not only_missing else probes.nulls()),
            withheld_entry(
                scope,
                party_col=c.c.party_id,
                item_col=c.c.item_id,
                doc_date=doc_date,
                doc_id=c.c.document_id,
            ).label("withheld_id"),
        )
        .select_from(
            c.join(ri, ri.c.id == c.c.item_id)
            .join(rq, rq.c.id == ri.c.request_id)
            .join(d, d.c.id == c.c.document_id)
            if labels
            else c.join(ri, ri.c.id == c.c.item_id).join(rq, rq.c.id == ri.c.request_id)
        )
        .where(
            *([] if scope.all_received else [c.c.received <= scope.as_of]),
            *request_filters(rq, scope),
            *party_filter(c.c.party_id, scope),
        )
    )
    if only_missing:
        # The derived copy settles most rows without a probe; the rest are probed live (when
        # every production had arrived by ``as_of``, derivation has already probed them all).
        query = query.where(sa.or_(c.c.copy_received.is_(None), c.c.copy_received > scope.as_of))
        if not scope.all_received:
            query = query.where(probes.none_found())
    # Last: SQLite tests terms in order, and the copy probes already drop most rows.
    return query.where(
        *_not_known(c, c.c.document_id, c.c.party_id, scope),
        *_undecided(c, c.c.document_id, c.c.party_id, scope),
    )
