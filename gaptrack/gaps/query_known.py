"""Known items (docs/architecture.md §3) with what decides their state as of a date.

Every known item of the scope comes back once (known items are a few thousand rows, not a
corpus), with the three copy probes against the owing party's productions when the item rests
on another party's document, and the privilege entry it matches. The engine then sorts each
into produced (by status, explicit link or a matching copy), withheld, or a gap.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from gaptrack.gaps import sql as t
from gaptrack.gaps.copies import copy_probes
from gaptrack.gaps.privilege import withheld_entry
from gaptrack.gaps.scope import Scope, party_filter
from gaptrack.models.enums import KnownStatus


def known_rows(scope: Scope) -> Any:
    k, ri, rq = t.known, t.item, t.request
    basis = t.document.alias("basis")
    basis_production = t.production.alias("basis_production")
    probes = copy_probes(basis, k.c.party_id, scope)
    conditions: list[Any] = [
        k.c.status != KnownStatus.WITHDRAWN.value,
        *party_filter(k.c.party_id, scope),
        # Known only once the other production that shows it had arrived.
        sa.or_(basis.c.id.is_(None), basis_production.c.date_received <= scope.as_of),
        # Owed only once the letter asking for it had been sent.
        sa.or_(k.c.item_id.is_(None), rq.c.date_sent <= scope.as_of),
    ]
    if scope.committee_id is not None:
        conditions.append(rq.c.committee_id == scope.committee_id)
    if scope.request_id is not None:
        conditions.append(rq.c.id == scope.request_id)
    return (
        sa.select(
            k.c.id,
            k.c.slug,
            k.c.party_id,
            k.c.item_id,
            k.c.description,
            k.c.basis,
            k.c.basis_role,
            k.c.citation,
            k.c.doc_date,
            k.c.status,
            k.c.status_reason,
            k.c.produced_document_id,
            k.c.privilege_entry_id,
            basis.c.id.label("basis_id"),
            basis.c.begin_label.label("basis_begin"),
            basis.c.end_label.label("basis_end"),
            basis.c.party_id.label("basis_party_id"),
            basis.c.date_sent.label("basis_date"),
            *probes.labelled(),
            withheld_entry(
                scope,
                party_col=k.c.party_id,
                item_col=k.c.item_id,
                doc_date=sa.func.coalesce(
                    t.date_of(basis.c.date_sent, scope.dialect), k.c.doc_date
                ),
                doc_id=basis.c.id,
            ).label("withheld_id"),
        )
        .select_from(
            k.outerjoin(basis, basis.c.id == k.c.basis_document_id)
            .outerjoin(basis_production, basis_production.c.id == basis.c.production_id)
            .outerjoin(ri, ri.c.id == k.c.item_id)
            .outerjoin(rq, rq.c.id == ri.c.request_id)
        )
        .where(*conditions)
    )
